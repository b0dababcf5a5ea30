"""Verdicts for many series at once; run charts with the Anhøj rules vectorised with numpy.

:func:`verdicts` gives, for every series, exactly the :class:`~uptake.analysis.verdict.Verdict`
that :func:`uptake.analysis.verdict.verdict` gives for it on a run chart with the Anhøj
rules (``chart="run"``, ``rules="default"``): the same label, centre, counts, runs
analysis, evidence and reason. The figures are computed for all series together in a
few numpy passes over one padded matrix; the ``Verdict`` objects, with their evidence
and plain-language reason, are built only for the series someone asks for
(``result[i]``), so a district recompute that only needs labels and figures never pays
for text it does not show. See docs/analysis.md ("Many series at once").

Series of different lengths are padded with missing values (NaN) to the longest: a
missing point neither extends nor breaks a run and is never in a median, so a trailing
pad changes nothing but the series' length, which is kept beside it.

Control charts, the IHI rules and "k of n" data are not vectorised: :func:`verdicts`
judges them one series at a time with :func:`verdict` and returns them in the same
result, so one call serves a district's measures whatever their chart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, overload

import numpy as np

from uptake.analysis.runs import RunsResult, Values, anhoej_limits, check_baseline, to_array
from uptake.analysis.verdict import (
    CLEAR_MAJORITY,
    LABELS,
    MIN_BASELINE,
    Evidence,
    Verdict,
    _Context,
    _Series,
    min_followup,
    verdict,
)

__all__ = ["BatchVerdicts", "verdicts"]

NOT_ENOUGH, SUSTAINED, NOT_SUSTAINED, WORSE, NO_SIGNAL = (
    LABELS.index(label) for label in ("not_enough_data", "sustained_improvement",
                                      "change_not_sustained", "got_worse", "no_signal"))


@dataclass(frozen=True)
class _Runs:
    """Runs of equal signs down each column (one column per series, as everything here:
    numpy accumulates fastest along the first axis), ignoring zeros (missing points and
    points on the centre line)."""

    n_useful: np.ndarray  # (m,)
    n_crossings: np.ndarray  # (m,)
    length: np.ndarray  # (L, m): length of the run so far at each useful point, else 0
    final: np.ndarray  # (m,): length of the last run (0 when there is none)
    final_sign: np.ndarray  # (m,): its side, +1 or -1 (0 when there is none)


def _carried(x: np.ndarray, op: np.ufunc) -> np.ndarray:
    """``op.accumulate(x, axis=0)`` in place, a row at a time: numpy accumulates along an
    axis one short strided column at a time, far slower than this on wide arrays."""
    for j in range(1, len(x)):
        op(x[j - 1], x[j], out=x[j])
    return x


def _runs(s: np.ndarray) -> _Runs:
    kind = np.int16 if len(s) < 2**15 else np.int32
    useful = s != 0
    skipped = ~useful
    held = s.copy()  # the sign of the latest useful point at or before each point
    for j in range(1, len(s)):
        np.copyto(held[j], held[j - 1], where=skipped[j])
    before = np.zeros_like(held)
    before[1:] = held[:-1]  # sign of the previous useful point, 0 when none
    starts = useful & (before != s)
    count = _carried(useful.astype(kind), np.add)
    # The useful points before each run start, carried forward (it only grows).
    base = _carried(np.where(starts, count - 1, 0).astype(kind, copy=False), np.maximum)
    return _Runs(
        n_useful=count[-1].astype(int),
        n_crossings=(starts & (before != 0)).sum(axis=0),
        length=np.where(useful, count - base, 0).astype(kind, copy=False),
        final=(count[-1] - base[-1]).astype(int),
        final_sign=held[-1],
    )


@lru_cache(maxsize=64)
def _limit_tables(width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Anhøj limits by number of useful points and the follow-up needed by present
    baseline points, for 0..width (index 0 of the limits is never read)."""
    limits = np.array([(0, 0)] + [anhoej_limits(n) for n in range(1, width + 1)])
    follow = np.array([min_followup(max(n, MIN_BASELINE)) for n in range(width + 1)])
    return limits[:, 0], limits[:, 1], follow


def _medians(y: np.ndarray, b: np.ndarray, n_base: np.ndarray) -> np.ndarray:
    """Median of each row's present baseline values (NaN when there are none).

    ``np.median`` itself, over the rows with the same number of present baseline values
    at once, each row's values kept in their order: it partitions rather than sorts, and
    which of two equal values (0.0 and -0.0) ends in the middle depends on both, so this
    is the one way to get the per-series centre to the last bit.
    """
    width = int(b.max(initial=0))  # baselines are leading points
    out = np.full(len(y), np.nan)
    if width == 0:
        return out
    packed = y[:, :width]
    gaps = np.flatnonzero(n_base < b)  # rows missing some baseline values
    if len(gaps):  # move their present values first, in their order
        outside = np.arange(width) >= b[gaps, None]
        order = np.argsort(np.isnan(packed[gaps]) | outside, axis=1, kind="stable")
        packed = packed.copy()
        packed[gaps] = np.take_along_axis(packed[gaps], order, axis=1)
    sizes = np.unique(n_base[n_base > 0]).tolist()
    if len(sizes) == 1 and len(gaps) == 0 and (n_base > 0).all():  # one size: no copies
        return np.asarray(np.median(packed[:, : sizes[0]], axis=1), dtype=float)
    for k in sizes:
        rows = np.flatnonzero(n_base == k)
        out[rows] = np.median(packed[rows, :k], axis=1)
    return out


@dataclass(frozen=True, eq=False)
class BatchVerdicts(Sequence[Verdict]):
    """The verdicts of many series: figures as arrays, one entry per series.

    ``result[i]`` (or iterating) gives series *i*'s :class:`Verdict`, equal to what
    ``verdict(values[i], baseline_n=..., direction=...)`` returns; :meth:`label` and the
    arrays give the figures without building it.

    Attributes
    ----------
    codes : ndarray of int
        Index of each series' label in ``LABELS``.
    centre : ndarray of float
        Baseline median (NaN where the verdict's ``centre`` is None).
    n_obs, baseline_n, n_baseline, n_followup : ndarray of int
        Points in each series, baseline length, present baseline and follow-up points.
    n_useful, longest_run, longest_run_max, n_crossings, n_crossings_min : ndarray of int
        The whole series' Anhøj runs analysis (``Verdict.runs``); the last four are
        meaningless (0) where ``n_useful`` is 0.
    up : ndarray of bool
        Whether higher is better for each series.
    """

    codes: np.ndarray
    centre: np.ndarray
    n_obs: np.ndarray
    baseline_n: np.ndarray
    n_baseline: np.ndarray
    n_followup: np.ndarray
    n_useful: np.ndarray
    longest_run: np.ndarray
    longest_run_max: np.ndarray
    n_crossings: np.ndarray
    n_crossings_min: np.ndarray
    up: np.ndarray
    _signs: np.ndarray  # (L, m) int8: +1 above, -1 below the centre, 0 otherwise
    _whole: _Runs
    _follow: _Runs
    _given_baseline: tuple[Any, ...]  # as given, for empty series (never checked)
    _made: tuple[Verdict, ...] | None = None  # charts not vectorised: made one at a time

    def __len__(self) -> int:
        return len(self.codes)

    def __eq__(self, other: object) -> bool:
        """Equal to another batch, list or tuple holding equal verdicts in order."""
        if not isinstance(other, BatchVerdicts | list | tuple):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                       strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal to lists, which are unhashable

    @overload
    def __getitem__(self, i: int) -> Verdict: ...

    @overload
    def __getitem__(self, i: slice) -> list[Verdict]: ...

    def __getitem__(self, i: int | slice) -> Verdict | list[Verdict]:
        if isinstance(i, slice):
            return [self._verdict(j) for j in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(f"There are {len(self)} series; there is no series {i}.")
        return self._verdict(i % len(self))

    def __iter__(self) -> Iterator[Verdict]:
        return (self._verdict(i) for i in range(len(self)))

    def label(self, i: int) -> str:
        """Series *i*'s label, without building its verdict."""
        return LABELS[int(self.codes[i])]

    @property
    def labels(self) -> list[str]:
        """Every series' label, in order."""
        return [LABELS[c] for c in self.codes.tolist()]

    # -- one verdict (plain Python on the series' own column: ~60 values at most) -----
    def _runs_result(self, i: int, signs: list[int], centre: float | None,
                     b: int) -> RunsResult:
        n_obs = len(signs)
        if centre is None or self.n_useful[i] == 0:
            return RunsResult(n_obs, 0, centre, b, None, None, None, None, False, None, ())
        longest = int(self.longest_run[i])
        end = self._whole.length[:n_obs, i].tolist().index(longest)  # first longest run
        points = [j for j in range(end, -1, -1) if signs[j]][:longest][::-1]
        run_max, cross_min = int(self.longest_run_max[i]), int(self.n_crossings_min[i])
        crossings = int(self.n_crossings[i])
        return RunsResult(n_obs, int(self.n_useful[i]), centre, b, longest, run_max, crossings,
                          cross_min, longest > run_max or crossings < cross_min,
                          "above" if signs[end] > 0 else "below", tuple(points))

    def _evidence(self, i: int, signs: list[int], follow: list[int]) -> list[Evidence]:
        better = 1 if self.up[i] else -1
        limit = int(self.longest_run_max[i])
        out = []
        lengths = self._follow.length[:len(signs), i].tolist()
        for k, at in enumerate(follow):
            if lengths[at] == limit + 1:  # a run after the baseline passes the limit here
                end = k + 1
                while end < len(follow) and signs[follow[end]] == signs[at]:
                    end += 1
                out.append(Evidence("anhoej_run", "better" if signs[at] == better else "worse",
                                    tuple(follow[k - limit:end])))
        if self.n_crossings[i] < self.n_crossings_min[i] and follow:
            for side in (1, -1):
                on_side = tuple(j for j in follow if signs[j] == side)
                if len(on_side) / len(follow) >= CLEAR_MAJORITY:
                    out.append(Evidence("anhoej_crossings",
                                        "better" if side == better else "worse", on_side))
                    break
        return sorted(out, key=lambda e: (e.points[0] if e.points else -1, e.rule))

    @classmethod
    def _of(cls, made: Sequence[Verdict]) -> BatchVerdicts:
        """The figures of verdicts made one at a time, as arrays (0 where None)."""
        def col(get: Any, dtype: Any = int) -> np.ndarray:
            return np.array([get(v) for v in made], dtype=dtype)

        def runs(name: str) -> np.ndarray:
            return col(lambda v: 0 if v.runs is None else getattr(v.runs, name) or 0)

        none = _Runs(*(np.zeros(0, dtype=int),) * 2, np.zeros((0, 0), dtype=int),
                     *(np.zeros(0, dtype=int),) * 2)
        return cls(
            codes=col(lambda v: LABELS.index(v.label), np.int8),
            centre=col(lambda v: np.nan if v.centre is None else v.centre, float),
            n_obs=runs("n_obs"), baseline_n=col(lambda v: v.baseline_n, object),
            n_baseline=col(lambda v: v.n_baseline), n_followup=col(lambda v: v.n_followup),
            n_useful=runs("n_useful"), longest_run=runs("longest_run"),
            longest_run_max=runs("longest_run_max"), n_crossings=runs("n_crossings"),
            n_crossings_min=runs("n_crossings_min"),
            up=col(lambda v: v.direction == "up", bool), _signs=np.zeros((0, len(made))),
            _whole=none, _follow=none, _given_baseline=(), _made=tuple(made))

    def _verdict(self, i: int) -> Verdict:
        if self._made is not None:
            return self._made[i]
        n_obs, code = int(self.n_obs[i]), int(self.codes[i])
        b = int(self.baseline_n[i]) if n_obs else self._given_baseline[i]
        centre = None if np.isnan(self.centre[i]) else float(self.centre[i])
        signs = self._signs[:n_obs, i].tolist()
        runs = self._runs_result(i, signs, centre, b) if n_obs else None
        follow = [j for j in range(b, n_obs) if signs[j]] if n_obs else []
        ctx = _explainer(centre, b, "up" if self.up[i] else "down", int(self.n_baseline[i]),
                         int(self.n_followup[i]), runs)
        evidence = (self._evidence(i, signs, follow)
                    if code != NOT_ENOUGH and runs is not None and runs.n_useful else [])
        if code == NOT_ENOUGH:
            reason = ctx.not_enough() or ""
        elif runs is not None and runs.n_useful == 0:
            reason = (f"All the values are equal to {ctx.centre_name}: there is no variation "
                      "to analyse.")
        elif code == SUSTAINED:
            reason = ctx.say_sustained([e for e in evidence if e.rule == "anhoej_run"
                                        and e.direction == "better"][-1])
        elif code == WORSE:
            reason = ctx.say_worse(next(e for e in evidence if e.direction == "worse"))
        elif code == NOT_SUSTAINED:
            reason = ctx.say_change([e for e in evidence if e.direction == "better"],
                                    np.array(follow, dtype=int))
        else:
            reason = ctx.say_nothing()
        return Verdict(label=LABELS[code], reason=reason, evidence=tuple(evidence),
                       centre=centre, baseline_n=b, n_baseline=ctx.n_base,
                       n_followup=ctx.n_follow, direction=ctx.direction, chart="run",
                       rules="default", runs=runs)


_NO_VALUES = np.zeros(0)


def _explainer(centre: float | None, b: int, direction: str, n_base: int, n_follow: int,
               runs: RunsResult | None) -> _Context:
    """The per-series verdict's wording, fed with figures found here: one text for both
    paths, while every number in it comes from the batch computation (the wording never
    reads the values themselves). It fills the attributes ``_Context.__init__`` sets; if
    those change, test_batch_verdicts_equal_per_series.py fails at once."""
    ctx = _Context.__new__(_Context)
    ctx.s = _Series(_NO_VALUES, centre, None, None, None, False)
    ctx.b, ctx.direction, ctx.chart, ctx.rules = b, direction, "run", "default"
    ctx.n_base, ctx.n_follow, ctx.runs = n_base, n_follow, runs
    ctx.better = "above" if direction == "up" else "below"
    return ctx


# ------------------------------------------------------------------------- input


def _matrix(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """The series as one float matrix padded with NaN, and each series' length."""
    if isinstance(values, np.ndarray) and values.ndim == 2 and values.dtype.kind in "iuf":
        y = values.astype(float, copy=False)  # only read, never changed
        bad = np.isinf(y)
        if bad.any():
            row, col = (int(k[0]) for k in np.nonzero(bad))
            raise ValueError(f"Series {row + 1}: point {col + 1} of the values is infinite.")
        return y, np.full(len(y), y.shape[1])
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray) or (
            isinstance(values, np.ndarray) and values.dtype.kind in "iuf"):
        raise ValueError("Give the series as a list of lists of numbers (or a 2-D array).")
    rows = []
    for i, v in enumerate(values):
        if not (v is None or isinstance(v, Sequence | np.ndarray)):
            raise ValueError(f"Series {i + 1} is {v!r}, not a list of numbers; give the "
                             "series as a list of lists (or a 2-D array).")
        try:
            rows.append(to_array(v))
        except ValueError as exc:
            raise ValueError(f"Series {i + 1}: {exc}") from None
    lengths = np.array([len(r) for r in rows], dtype=int)
    y = np.full((len(rows), int(lengths.max(initial=0))), np.nan)
    for i, r in enumerate(rows):
        y[i, : len(r)] = r
    return y, lengths


def _per_series(option: Any, m: int, name: str) -> tuple[Any, ...]:
    if isinstance(option, str | bytes) or not isinstance(option, Iterable):
        return (option,) * m
    out = tuple(option)
    if len(out) != m:
        raise ValueError(f"Give one {name} per series: {len(out)} for {m} series.")
    return out


def _whole_number(v: Any) -> bool:
    return isinstance(v, int | np.integer) and not isinstance(v, bool)


def _baselines(baseline_n: Any, lengths: np.ndarray) -> tuple[np.ndarray, tuple[Any, ...]]:
    """Each series' baseline length, checked as the per-series path checks it (an empty
    series' is never read, and its verdict repeats it as given)."""
    m = len(lengths)
    given = _per_series(baseline_n, m, "baseline length")
    if _whole_number(baseline_n):
        b = np.full(m, int(baseline_n))
    elif m and np.asarray(given).dtype.kind in "iu":
        b = np.asarray(given).astype(int)
    else:  # None: the whole series (as check_baseline); anything else is caught below
        b = np.array([int(v) if _whole_number(v) else n if v is None else -1
                      for v, n in zip(given, lengths.tolist(), strict=True)], dtype=int)
    bad = (lengths > 0) & ((b < 1) | (b > lengths))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        try:
            check_baseline(given[i], int(lengths[i]))
        except ValueError as exc:
            raise ValueError(f"Series {i + 1}: {exc}") from None
    return np.where(lengths > 0, b, 0), given


def _directions(direction: Any, m: int) -> np.ndarray:
    given = np.empty(m, dtype=object)
    given[:] = _per_series(direction, m, "direction")
    up = given == "up"
    wrong = ~up & (given != "down")
    if wrong.any():
        raise ValueError("The direction must be 'up' (higher is better) or 'down', not "
                         f"{given[np.flatnonzero(wrong)[0]]!r}.")
    return np.asarray(up, dtype=bool)


# ---------------------------------------------------------------------- analysis


def verdicts(
    values: Sequence[Values | None] | np.ndarray | None = None,
    *,
    baseline_n: int | Sequence[int | None] | None,
    direction: str | Sequence[str] = "up",
    chart: str = "run",
    rules: str = "default",
    numerators: Sequence[Values] | None = None,
    denominators: Sequence[Values] | None = None,
) -> BatchVerdicts:
    """The verdict of every series, as :func:`~uptake.analysis.verdict` gives it.

    Parameters
    ----------
    values : 2-D array, or sequence of sequences of float
        One series per row, baseline first; None or NaN when missing. Rows may differ
        in length (an empty row is ``not_enough_data``, as it is one at a time).
    baseline_n : int or sequence of int
        Points before the change, for all series or one per series (None: the whole
        series, as :func:`verdict` takes it).
    direction : {"up", "down"} or sequence of them
        Whether higher or lower values are better, for all series or one per series.
    chart, rules : str
        As :func:`verdict` takes them. Run charts of ``values`` with the Anhøj rules
        (``rules="default"`` or ``"anhoej"``) are vectorised; any other chart, rule set
        or "k of n" data is judged one series at a time by :func:`verdict` itself.
    numerators, denominators : sequence of sequences of float, optional
        "k of n" data instead of ``values``, one series per entry.

    Returns
    -------
    BatchVerdicts
        A sequence of :class:`Verdict`, with the figures also as arrays.

    Examples
    --------
    >>> series = [[5, 6, 4, 5, 6, 5, 4, 6, 8, 9, 8, 9, 9, 8, 9, 8, 9, 8],
    ...           [5, 6, 4, 5, 6, 5, 4, 6, 8, 9]]
    >>> result = verdicts(series, baseline_n=8)
    >>> result.labels
    ['sustained_improvement', 'not_enough_data']
    >>> result[0].centre, result[0].runs.longest_run
    (5.0, 11)
    """
    if (chart != "run" or rules not in ("default", "anhoej") or numerators is not None
            or denominators is not None):
        return _one_at_a_time(values, numerators, denominators, baseline_n=baseline_n,
                              direction=direction, chart=chart, rules=rules)
    y, lengths = _matrix(values)
    b, given = _baselines(baseline_n, lengths)
    up = _directions(direction, len(lengths))
    return _analyse(y, lengths, b, up, given)


def _analyse(y: np.ndarray, lengths: np.ndarray, b: np.ndarray, up: np.ndarray,
             given: tuple[Any, ...]) -> BatchVerdicts:
    if y.shape[1] == 0:  # only empty series: one missing point changes nothing
        y = np.full((len(y), 1), np.nan)
    m, width = y.shape
    in_base = np.arange(width) < b[:, None]
    present = ~np.isnan(y)
    n_base = (present & in_base).sum(axis=1)
    n_follow = (present & ~in_base).sum(axis=1)
    centre = _medians(y, b, n_base)
    c = centre[:, None]
    signs = (y > c).astype(np.int8) - (y < c).astype(np.int8)  # NaN on either side: 0
    signs = np.ascontiguousarray(signs.T)  # one column per series from here on
    whole = _runs(signs)
    follow_signs = np.where(in_base.T, np.int8(0), signs)
    follow = _runs(follow_signs)
    run_max_of, cross_min_of, need_of = _limit_tables(width)
    n_useful = whole.n_useful
    run_max, cross_min = run_max_of[n_useful], cross_min_of[n_useful]
    better = np.where(up, 1, -1).astype(np.int8)

    # Runs wholly after the baseline longer than the limit, found where they pass it.
    passing = follow.length == run_max + 1
    better_run = (passing & (follow_signs == better)).any(axis=0)
    worse_run = (passing & (follow_signs == -better)).any(axis=0)
    sustained = (follow.final > run_max) & (follow.final_sign == better)

    # Too few crossings counts when two thirds of the follow-up sit on one side.
    n_above = (follow.n_useful + follow_signs.sum(axis=0, dtype=np.int32)) // 2
    n_below = follow.n_useful - n_above
    n_side = np.maximum(n_above + n_below, 1)
    above = (n_above + n_below > 0) & (n_above / n_side >= CLEAR_MAJORITY)
    below = (n_above + n_below > 0) & ~above & (n_below / n_side >= CLEAR_MAJORITY)
    clustered = (n_useful > 0) & (whole.n_crossings < cross_min)
    cluster_better = clustered & np.where(up, above, below)
    cluster_worse = clustered & np.where(up, below, above)

    codes = np.full(m, NO_SIGNAL, dtype=np.int8)
    codes[(better_run | cluster_better) & ~(worse_run | cluster_worse)] = NOT_SUSTAINED
    codes[worse_run | cluster_worse] = WORSE
    codes[sustained] = SUSTAINED
    codes[n_useful == 0] = NO_SIGNAL
    codes[(n_base < MIN_BASELINE) | (n_follow < need_of[n_base])] = NOT_ENOUGH

    return BatchVerdicts(
        codes=codes, centre=centre, n_obs=lengths, baseline_n=b, n_baseline=n_base,
        n_followup=n_follow, n_useful=n_useful, longest_run=whole.length.max(axis=0),
        longest_run_max=run_max, n_crossings=whole.n_crossings, n_crossings_min=cross_min,
        up=up, _signs=signs, _whole=whole, _follow=follow, _given_baseline=given)


def _one_at_a_time(values: Any, numerators: Any, denominators: Any, *, baseline_n: Any,
                   direction: Any, chart: str, rules: str) -> BatchVerdicts:
    """Control charts, the IHI rules and "k of n" data: :func:`verdict` for each series
    (their limits and point rules are not vectorised), in the same result."""
    given = [x for x in (values, numerators, denominators) if x is not None]
    if not given:
        raise ValueError("No values were given.")
    for x in given:
        if isinstance(x, str | bytes) or not isinstance(x, Sequence | np.ndarray):
            raise ValueError("Give the series as a list of lists of numbers (or a 2-D array).")
    m = len(given[0])
    if any(len(x) != m for x in given):
        raise ValueError("Give as many numerator and denominator series as series.")
    data = [_per_series(x, m, "series") if x is not None else (None,) * m
            for x in (values, numerators, denominators)]
    made = []
    for i, (b, d, v, k, n) in enumerate(zip(_per_series(baseline_n, m, "baseline length"),
                                            _per_series(direction, m, "direction"), *data,
                                            strict=True)):
        try:
            made.append(verdict(v, baseline_n=b, direction=d, chart=chart, rules=rules,
                                numerators=k, denominators=n))
        except ValueError as exc:
            raise ValueError(f"Series {i + 1}: {exc}") from None
    return BatchVerdicts._of(made)
