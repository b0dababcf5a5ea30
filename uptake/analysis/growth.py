"""Per-student growth: from where each student started to where they finished.

Two bases. Without a change date (:func:`student_growth`): the first and the
last non-missing score in the period (in occasion order) and the change
between them. With a change date (:func:`phase_change`): each student's mean
over the baseline occasions against her mean over the occasions after the
change, each resting on at least :data:`MIN_PHASE_POINTS` of her scores, so
that no single occasion decides her change and the class's change agrees with
the run chart of class means (``docs/analysis.md``, "Before and after").
Students without enough scores are listed and counted, never dropped
silently. The summary gives the median change and the shares who improved,
stayed the same or declined, and, when a "normal year's growth" is given, the
share who reached it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import numpy as np

__all__ = ["MIN_PHASE_POINTS", "GrowthSummary", "StudentGrowth", "phase_change", "student_growth"]

Outcome = Literal["improved", "stayed", "declined", "not_enough_scores"]
_DIRECTIONS = ("up", "down")
# A phase mean rests on at least this many of the student's scores in the phase:
# one score is one occasion, which is exactly the swing phase summaries remove.
MIN_PHASE_POINTS = 2


@dataclass(frozen=True)
class StudentGrowth:
    """One student's start, finish and change (None without two scores).

    ``first_occasion``/``last_occasion`` are positions (0-based) in the
    student's occasion order, or the occasion keys when a mapping was given.
    """

    student: str
    n_scores: int
    first_score: float | None
    last_score: float | None
    first_occasion: Any
    last_occasion: Any
    change: float | None
    outcome: Outcome
    met_expected: bool | None
    # Phase summaries only (``basis == "phases"``): how many scores each phase mean
    # rests on; ``first_score``/``last_score`` are then the baseline and after means.
    n_baseline: int | None = None
    n_after: int | None = None


@dataclass(frozen=True)
class GrowthSummary:
    """Growth of a class (or any group) from start to finish."""

    students: tuple[StudentGrowth, ...]
    n_students: int
    n_with_growth: int
    n_without_growth: int
    without_growth: tuple[str, ...]
    median_change: float | None
    mean_change: float | None
    n_improved: int
    n_stayed: int
    n_declined: int
    share_improved: float | None
    share_stayed: float | None
    share_declined: float | None
    direction: str
    tolerance: float
    expected_growth: float | None
    n_met_expected: int | None
    share_met_expected: float | None
    message: str
    # "first_last" (first score to last) or "phases" (baseline mean to after mean).
    basis: str = "first_last"
    min_points: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a score.")
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number.") from None


def _ordered(scores: Sequence[float | None] | Mapping[Any, float | None]) -> list[tuple[Any, Any]]:
    if isinstance(scores, Mapping):
        try:
            return sorted(scores.items(), key=lambda item: item[0])
        except TypeError:
            raise ValueError("Occasions must be comparable (all dates or all numbers).") from None
    if isinstance(scores, (str, bytes)):
        raise ValueError("A student's scores must be a list of numbers, not text.")
    return list(enumerate(scores))


def _outcome(change: float, direction: str, tolerance: float) -> Outcome:
    signed = change if direction == "up" else -change
    if signed > tolerance:
        return "improved"
    if signed < -tolerance:
        return "declined"
    return "stayed"


def _one_student(
    student: str,
    scores: Sequence[float | None] | Mapping[Any, float | None],
    direction: str,
    tolerance: float,
    expected: float | None,
) -> StudentGrowth:
    present: list[tuple[Any, float]] = []
    for occasion, score in _ordered(scores):
        try:
            missing = _is_missing(score)
        except ValueError as error:
            raise ValueError(f"Student {student!r}, occasion {occasion!r}: {error}") from None
        if not missing:
            present.append((occasion, float(score)))
    if len(present) < 2:
        only = present[0] if present else (None, None)
        return StudentGrowth(
            student, len(present), only[1], None, only[0], None, None, "not_enough_scores", None
        )
    (first_at, first), (last_at, last) = present[0], present[-1]
    change = last - first
    met = None
    if expected is not None:
        met = change >= expected if direction == "up" else change <= -expected
    return StudentGrowth(
        student, len(present), first, last, first_at, last_at, change,
        _outcome(change, direction, tolerance), met,
    )  # fmt: skip


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


def student_growth(
    scores: Mapping[str, Sequence[float | None] | Mapping[Any, float | None]],
    *,
    direction: str = "up",
    tolerance: float = 0.0,
    expected_growth: float | None = None,
) -> GrowthSummary:
    """Each student's change from first to last score, and a summary.

    Parameters
    ----------
    scores : mapping of student to scores
        Either a sequence of scores in occasion order, or a mapping of
        occasion (date, number ...) to score. ``None``/NaN are missing.
    direction : {"up", "down"}
        Whether a higher ("up") or a lower score is better.
    tolerance : float
        A change no bigger than this counts as "stayed" (default 0: only no
        change at all).
    expected_growth : float, optional
        A normal year's growth on this measure, as a size (for
        ``direction="down"``, the expected fall). Each student then also says
        whether they reached it.

    Examples
    --------
    >>> r = student_growth({"Ana": [40, None, 55], "Ben": [50, 48], "Cy": [None, 61]},
    ...                    expected_growth=10)
    >>> r.n_with_growth, r.without_growth, r.median_change
    (2, ('Cy',), 6.5)
    >>> r.n_improved, r.n_declined, r.n_met_expected
    (1, 1, 1)
    """
    _check_options(direction, tolerance, expected_growth)
    if not scores:
        raise ValueError("There are no students.")
    students = tuple(
        _one_student(str(name), s, direction, float(tolerance), expected_growth)
        for name, s in scores.items()
    )
    return _summarise(students, direction, float(tolerance), expected_growth)


def _check_options(direction: str, tolerance: float, expected_growth: float | None) -> None:
    if direction not in _DIRECTIONS:
        raise ValueError(f"direction must be 'up' or 'down'; got {direction!r}.")
    if _is_missing(tolerance) or tolerance < 0:
        raise ValueError("tolerance must be a number of 0 or more.")
    if expected_growth is not None and (_is_missing(expected_growth) or expected_growth < 0):
        raise ValueError("expected_growth must be a number of 0 or more (a size of growth).")


def _summarise(
    students: tuple[StudentGrowth, ...],
    direction: str,
    tolerance: float,
    expected: float | None,
) -> GrowthSummary:
    grown = [s for s in students if s.change is not None]
    changes = np.asarray([s.change for s in grown], dtype=float)
    counts = {o: sum(s.outcome == o for s in grown) for o in ("improved", "stayed", "declined")}
    n = len(grown)
    met = sum(bool(s.met_expected) for s in grown) if expected is not None else None
    without = tuple(s.student for s in students if s.change is None)
    return GrowthSummary(
        students=students,
        n_students=len(students),
        n_with_growth=n,
        n_without_growth=len(without),
        without_growth=without,
        median_change=float(np.median(changes)) if n else None,
        mean_change=float(changes.mean()) if n else None,
        n_improved=counts["improved"],
        n_stayed=counts["stayed"],
        n_declined=counts["declined"],
        share_improved=_share(counts["improved"], n),
        share_stayed=_share(counts["stayed"], n),
        share_declined=_share(counts["declined"], n),
        direction=direction,
        tolerance=tolerance,
        expected_growth=expected,
        n_met_expected=met,
        share_met_expected=_share(met, n) if met is not None else None,
        message=_message(n, len(without), counts, met),
    )


def _message(n: int, n_without: int, counts: dict[str, int], met: int | None) -> str:
    if n == 0:
        return f"No student has two scores yet ({n_without} with fewer than two)."
    text = (
        f"Of {n} students with a start and a finish, {counts['improved']} improved, "
        f"{counts['stayed']} stayed the same and {counts['declined']} declined."
    )
    if met is not None:
        text += f" {met} reached a normal year's growth."
    if n_without:
        text += f" {n_without} students have fewer than two scores and are not included."
    return text


# --------------------------------------------------------------------------
# Phase summaries: baseline mean against after-change mean


def _present(student: str, scores: Sequence[float | None]) -> list[float]:
    out = []
    for i, score in enumerate(scores):
        try:
            missing = _is_missing(score)
        except ValueError as error:
            raise ValueError(f"Student {student!r}, score {i + 1}: {error}") from None
        if not missing:
            out.append(float(score))  # type: ignore[arg-type]
    return out


def _one_phase(
    student: str,
    before: Sequence[float | None],
    after: Sequence[float | None],
    direction: str,
    tolerance: float,
    expected: float | None,
    min_points: int,
) -> StudentGrowth:
    pre, post = _present(student, before), _present(student, after)
    pre_mean = float(np.mean(pre)) if len(pre) >= min_points else None
    post_mean = float(np.mean(post)) if len(post) >= min_points else None
    if pre_mean is None or post_mean is None:
        return StudentGrowth(
            student,
            len(pre) + len(post),
            pre_mean,
            post_mean,
            None,
            None,
            None,
            "not_enough_scores",
            None,
            len(pre),
            len(post),
        )
    change = post_mean - pre_mean
    met = None
    if expected is not None:
        met = change >= expected if direction == "up" else change <= -expected
    return StudentGrowth(
        student,
        len(pre) + len(post),
        pre_mean,
        post_mean,
        None,
        None,
        change,
        _outcome(change, direction, tolerance),
        met,
        len(pre),
        len(post),
    )


def phase_change(
    baseline: Mapping[str, Sequence[float | None]],
    after: Mapping[str, Sequence[float | None]],
    *,
    direction: str = "up",
    tolerance: float = 0.0,
    expected_growth: float | None = None,
    min_points: int = MIN_PHASE_POINTS,
) -> GrowthSummary:
    """Each student's mean after the change against her baseline mean.

    Parameters
    ----------
    baseline, after : mapping of student to scores
        Her scores on the occasions before the change date and on or after it
        (``None``/NaN missing). A student in only one mapping has no scores in
        the other phase.
    min_points : int
        The fewest scores a phase mean may rest on (default
        :data:`MIN_PHASE_POINTS`); a student with fewer in either phase is
        listed with ``outcome="not_enough_scores"`` and left out of the summary.

    Other parameters are those of :func:`student_growth`. In the result,
    ``first_score``/``last_score`` are the two phase means and
    ``basis == "phases"``.

    Examples
    --------
    The last occasion was a hard test; the phase means still see the rise:

    >>> r = phase_change({"Ana": [50, 52, 51], "Ben": [60, None]},
    ...                  {"Ana": [58, 60, 49], "Ben": [66, 64, 55]})
    >>> [(s.student, s.n_baseline, s.n_after) for s in r.students]
    [('Ana', 3, 3), ('Ben', 1, 3)]
    >>> round(r.mean_change, 2)
    4.67
    >>> r.n_improved, r.without_growth
    (1, ('Ben',))
    """
    _check_options(direction, tolerance, expected_growth)
    if isinstance(min_points, bool) or int(min_points) != min_points or min_points < 1:
        raise ValueError(f"min_points must be a whole number of at least 1; got {min_points!r}.")
    names = sorted({str(k) for k in baseline} | {str(k) for k in after})
    if not names:
        raise ValueError("There are no students.")
    pre = {str(k): v for k, v in baseline.items()}
    post = {str(k): v for k, v in after.items()}
    students = tuple(
        _one_phase(
            name,
            pre.get(name, ()),
            post.get(name, ()),
            direction,
            float(tolerance),
            expected_growth,
            int(min_points),
        )
        for name in names
    )
    summary = _summarise(students, direction, float(tolerance), expected_growth)
    return replace(
        summary,
        basis="phases",
        min_points=int(min_points),
        message=_phase_message(summary, int(min_points)),
    )


def _phase_message(summary: GrowthSummary, min_points: int) -> str:
    n, n_without = summary.n_with_growth, summary.n_without_growth
    need = f"at least {min_points} scores before the change and {min_points} after it"
    if n == 0:
        return f"No student has {need} yet ({n_without} with fewer)."
    text = (
        f"Of {n} students with {need}, comparing each one's mean after the change with "
        f"her mean before it: {summary.n_improved} improved, {summary.n_stayed} stayed "
        f"the same and {summary.n_declined} declined."
    )
    if summary.n_met_expected is not None:
        text += f" {summary.n_met_expected} reached a normal year's growth."
    if n_without:
        text += f" {n_without} students have fewer scores and are not included."
    return text
