"""District aggregates over per-class summaries, suppressed so that no filter reveals a
small group of students, alone or by subtracting one filter from another.

Pure Python, no Django. The unit everything is built from is an :class:`Atom`: one class's
summary of one measure (its verdict, how many students it rests on, its standardized mean
change, and its students' mean change by student group). A dashboard figure is always a
sum over atoms, chosen by filters (program, school, grade...), and the rules below make
every atom that enters a figure safe on its own, so every sum of atoms is safe too, and so
is the difference of two sums of which one contains the other (it is a sum of atoms again).

1. **Verdicts and effects.** An atom resting on fewer than ``min_size`` students is left
   out of every verdict count, effect list and pooled estimate (the page says how many were
   left out, a count of classes, never of students). A breakdown row resting on fewer than
   ``min_size`` students is hidden, and a total sums only the rows shown.
2. **Student groups.** A class contributes to an attribute's group rows (English learners,
   sex...) only if *every* group of that attribute in that class has at least
   ``min_size`` students; otherwise the class is left out of that attribute entirely
   (complementary suppression at the atom: hiding only the small group would let the class
   total minus the others reveal it). An aggregated group row is then suppressed below
   ``min_size`` as well (which, by 2, can only be an empty row).

``docs/district.md`` explains the rules and why they survive differencing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "VERDICTS",
    "Atom",
    "Breakdown",
    "BreakdownRow",
    "GroupResults",
    "GroupRow",
    "countable",
    "group_results",
    "students_in",
    "verdict_breakdown",
    "verdict_counts",
]

# The verdict labels of uptake.analysis.verdict, plus classes with no change date yet.
VERDICTS: tuple[tuple[str, str], ...] = (
    ("sustained_improvement", "Sustained improvement"),
    ("change_not_sustained", "Change, not sustained"),
    ("got_worse", "Got worse"),
    ("no_signal", "No signal"),
    ("not_enough_data", "Not enough data"),
    ("no_verdict", "No change date yet"),
)
VERDICT_KEYS = tuple(key for key, _ in VERDICTS)


@dataclass(frozen=True)
class Atom:
    """One class's summary of one measure.

    ``key`` identifies it (measure id, class id); ``unit`` is the class, so that two
    measures on the same class do not count its students twice; ``facets`` maps a
    dimension ("program", "school", "grade"...) to the values the atom has there (an
    inquiry may come from two programs). ``groups`` maps a student attribute to its groups,
    each ``(n, mean_change)``.
    """

    key: Hashable
    unit: Hashable
    n_students: int
    verdict: str = ""
    kind: str = ""
    smc: float | None = None
    smc_variance: float | None = None
    groups: Mapping[str, Mapping[str, tuple[int, float | None]]] = field(default_factory=dict)
    facets: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def verdict_key(self) -> str:
        return self.verdict if self.verdict in VERDICT_KEYS else "no_verdict"


def students_in(atoms: Iterable[Atom]) -> int:
    """The students a set of atoms rests on: each class counted once (its largest count)."""
    per_unit: dict[Hashable, int] = {}
    for atom in atoms:
        per_unit[atom.unit] = max(per_unit.get(atom.unit, 0), atom.n_students)
    return sum(per_unit.values())


def countable(atoms: Iterable[Atom], min_size: int) -> tuple[list[Atom], list[Atom]]:
    """(atoms that may enter a figure, atoms left out for resting on too few students)."""
    kept: list[Atom] = []
    left_out: list[Atom] = []
    for atom in atoms:
        (kept if atom.n_students >= min_size else left_out).append(atom)
    return kept, left_out


def verdict_counts(atoms: Iterable[Atom]) -> dict[str, int]:
    """Classes by verdict, every verdict present (zeros included)."""
    counts = dict.fromkeys(VERDICT_KEYS, 0)
    for atom in atoms:
        counts[atom.verdict_key] += 1
    return counts


@dataclass(frozen=True)
class BreakdownRow:
    """One value of a dimension: its classes by verdict, ``counts`` None when hidden."""

    value: str
    students: int
    classes: int
    counts: dict[str, int] | None
    keys: tuple[Hashable, ...]

    @property
    def hidden(self) -> bool:
        return self.counts is None


@dataclass(frozen=True)
class Breakdown:
    """A verdict distribution by one dimension; ``total`` counts the shown rows' classes
    (each once, though a class may stand in two rows); ``left_out`` the small classes."""

    dimension: str
    rows: tuple[BreakdownRow, ...]
    total: dict[str, int]
    left_out: int
    min_size: int


def verdict_breakdown(atoms: Sequence[Atom], dimension: str, *, min_size: int,
                      order: Callable[[str], Any] | None = None) -> Breakdown:
    """Classes by verdict for each value of ``dimension``, suppressed as the module says."""
    kept, left_out = countable(atoms, min_size)
    by_value: dict[str, list[Atom]] = defaultdict(list)
    for atom in kept:
        for value in atom.facets.get(dimension, frozenset()):
            by_value[value].append(atom)
    rows = []
    for value in sorted(by_value, key=order or (lambda v: v)):
        members = by_value[value]
        students = students_in(members)
        counts = verdict_counts(members) if students >= min_size else None
        rows.append(BreakdownRow(value, students, len(members), counts,
                                 tuple(a.key for a in members)))
    shown = {a.key: a for row in rows if not row.hidden for a in by_value[row.value]}
    return Breakdown(dimension, tuple(rows), verdict_counts(shown.values()), len(left_out),
                     min_size)


@dataclass(frozen=True)
class GroupRow:
    """One student group across the classes that may contribute to its attribute:
    ``n`` students and their mean change (both None when the row is hidden)."""

    attribute: str
    group: str
    n: int | None
    mean_change: float | None
    classes: int
    keys: tuple[Hashable, ...]

    @property
    def hidden(self) -> bool:
        return self.n is None


@dataclass(frozen=True)
class GroupResults:
    """Group rows by attribute, and per attribute the classes left out of it."""

    rows: tuple[GroupRow, ...]
    left_out: dict[str, int]
    min_size: int

    def of(self, attribute: str) -> list[GroupRow]:
        return [row for row in self.rows if row.attribute == attribute]


def _safe_for(atom: Atom, attribute: str, min_size: int) -> bool:
    groups = atom.groups.get(attribute) or {}
    return bool(groups) and all(n >= min_size for n, _ in groups.values())


def group_results(atoms: Sequence[Atom], attributes: Sequence[str], *,
                  min_size: int) -> GroupResults:
    """Students' mean change by group, over the atoms whose every group is large enough.

    >>> a = Atom("m1/c1", "c1", 25, groups={"english_learner": {"Yes": (12, 2.0),
    ...                                                          "No": (13, 1.0)}})
    >>> b = Atom("m1/c2", "c2", 24, groups={"english_learner": {"Yes": (3, 9.0),
    ...                                                          "No": (21, 1.0)}})
    >>> r = group_results([a, b], ["english_learner"], min_size=10)
    >>> [(row.group, row.n, row.mean_change) for row in r.rows], r.left_out
    ([('No', 13, 1.0), ('Yes', 12, 2.0)], {'english_learner': 1})
    """
    rows: list[GroupRow] = []
    left_out: dict[str, int] = {}
    for attribute in attributes:
        n: dict[str, int] = defaultdict(int)
        weighted: dict[str, float] = defaultdict(float)
        with_mean: dict[str, int] = defaultdict(int)
        members: dict[str, list[Hashable]] = defaultdict(list)
        out = 0
        for atom in atoms:
            if not atom.groups.get(attribute):
                continue
            if not _safe_for(atom, attribute, min_size):
                out += 1
                continue
            for group, (count, mean) in atom.groups[attribute].items():
                n[group] += count
                members[group].append(atom.key)
                if mean is not None:
                    weighted[group] += count * mean
                    with_mean[group] += count
        left_out[attribute] = out
        for group in sorted(n):
            if n[group] < min_size:
                rows.append(GroupRow(attribute, group, None, None, 0, ()))
                continue
            mean_change = weighted[group] / with_mean[group] if with_mean[group] else None
            rows.append(GroupRow(attribute, group, n[group], mean_change,
                                 len(members[group]), tuple(members[group])))
    return GroupResults(tuple(rows), left_out, min_size)
