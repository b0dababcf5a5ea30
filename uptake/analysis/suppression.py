"""Small-group suppression, with complementary suppression, for every aggregate.

A count of fewer than ``min_size`` students (default 10, never below 5) is
hidden (*primary* suppression). Hiding it is not enough when totals are
shown: a single hidden cell in a row is the row total minus the others. So
further cells are hidden (*complementary* suppression) until no hidden
count can be worked out from what is shown:

1. every published total that has any hidden cell has at least two hidden
   (the classic rule; the next-smallest shown cell is hidden), repeated
   until nothing changes; then
2. an audit solves, for every hidden count, the smallest and largest value
   it could take given everything shown (the totals, that counts are whole
   numbers of at least 0 - or 1 when zeros are shown - and that a primary
   count is below ``min_size``). If only one whole number is possible the
   count could be recovered, so another cell is hidden and both steps repeat.

Zeros are shown by default (a group with no students reveals nothing about a
student) and are then never used for complementary suppression; pass
``suppress_zeros=True`` to hide them like any other small count.
Tables that share students - each class's groups and the groups of all
classes together - are decided at once by ``suppress_linked``: each class
table by the rule above, on its own counts only, and the combined table
hides every group hidden in any class. A combined table is then a function
of the class tables as shown, so no page, filter or pair of pages can
subtract one from another.

``docs/analysis-effects.md`` describes the algorithm and its limits.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from scipy.linalg import null_space
from scipy.optimize import linprog

__all__ = [
    "ABSOLUTE_MIN_SIZE",
    "DEFAULT_MIN_SIZE",
    "GroupTable",
    "LinkedSuppression",
    "Suppression",
    "SuppressionResult",
    "TableSuppression",
    "TableSuppressionResult",
    "suppress_groups",
    "suppress_linked",
    "suppress_table",
]

DEFAULT_MIN_SIZE = 10
ABSOLUTE_MIN_SIZE = 5

Kind = Literal["primary", "complementary"]


@dataclass(frozen=True)
class Suppression:
    """One hidden group (or the total, ``name`` None) and why it is hidden."""

    name: str | None
    kind: Kind
    reason: str


@dataclass(frozen=True)
class SuppressionResult:
    """Group counts as they may be shown: ``None`` where hidden."""

    shown: dict[str, int | None]
    total: int | None
    total_shown: bool
    min_size: int
    suppressions: tuple[Suppression, ...]
    primary: tuple[str, ...] = field(default=())
    complementary: tuple[str, ...] = field(default=())

    def is_suppressed(self, name: str) -> bool:
        """True when the named group's count must not be shown."""
        return self.shown[name] is None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TableSuppression:
    """One hidden cell of a table; ``column`` None is a row total, ``row`` None
    a column total, both None the grand total."""

    row: str | None
    column: str | None
    kind: Kind
    reason: str


@dataclass(frozen=True)
class TableSuppressionResult:
    """A two-way table of counts as it may be shown: ``None`` where hidden.

    Margins that were not requested are ``None`` dicts / values.
    """

    cells: dict[str, dict[str, int | None]]
    row_totals: dict[str, int | None] | None
    column_totals: dict[str, int | None] | None
    grand_total: int | None
    min_size: int
    suppressions: tuple[TableSuppression, ...]

    def is_suppressed(self, row: str, column: str) -> bool:
        """True when the cell must not be shown."""
        return self.cells[row][column] is None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------
# Validation


def _check_min_size(min_size: int) -> None:
    if isinstance(min_size, bool) or not isinstance(min_size, int):
        raise ValueError(f"The minimum group size must be a whole number; got {min_size!r}.")
    if min_size < ABSOLUTE_MIN_SIZE:
        raise ValueError(
            f"The minimum group size cannot be below {ABSOLUTE_MIN_SIZE} (got {min_size}): "
            "smaller groups would let individual students be identified."
        )


def _check_count(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ValueError(f"The count for {where} must be a whole number; got {value!r}.")
    if value < 0:
        raise ValueError(f"The count for {where} cannot be negative; got {value}.")
    return int(value)


# --------------------------------------------------------------------------
# The engine: quantities (cells and totals) linked by "total = sum of parts".


@dataclass
class _Problem:
    values: dict[Hashable, int]
    equations: list[tuple[Hashable, list[Hashable]]]
    cells: set[Hashable]
    labels: dict[Hashable, str]
    min_size: int
    suppress_zeros: bool
    # Quantities that are hidden: primary, complementary, or never published.
    status: dict[Hashable, str] = field(default_factory=dict)
    reasons: dict[Hashable, str] = field(default_factory=dict)

    def hidden(self, key: Hashable) -> bool:
        return key in self.status

    def targets(self) -> list[Hashable]:
        """Hidden quantities that must not be recoverable."""
        return [k for k, s in self.status.items() if s in ("primary", "complementary")]


def _primary(problem: _Problem) -> None:
    for key, value in problem.values.items():
        if key in problem.status or value >= problem.min_size:
            continue
        if value == 0 and not problem.suppress_zeros:
            continue  # shown: a group of nobody reveals nothing about a student
        problem.status[key] = "primary"
        problem.reasons[key] = (
            f"{problem.labels[key]} counts fewer than {problem.min_size} students"
        )


def _eligible(problem: _Problem, key: Hashable) -> bool:
    if problem.hidden(key):
        return False
    return problem.values[key] > 0 or problem.suppress_zeros


def _hide_another(
    problem: _Problem, equation: tuple[Hashable, list[Hashable]], target: Hashable
) -> bool:
    """Hide the smallest shown cell of the equation, else its total. False if nothing left."""
    total, parts = equation
    candidates = [k for k in parts if _eligible(problem, k)]
    if candidates:
        choice = min(candidates, key=lambda k: problem.values[k])
    elif not problem.hidden(total):
        choice = total
    else:
        return False
    problem.status[choice] = "complementary"
    problem.reasons[choice] = (
        f"hidden so that {problem.labels[target]} cannot be worked out from {problem.labels[total]}"
    )
    return True


def _count_rule(problem: _Problem) -> None:
    """Until nothing changes: no equation may have exactly one hidden target."""
    changed = True
    while changed:
        changed = False
        targets = set(problem.targets())
        for equation in problem.equations:
            total, parts = equation
            members = [total, *parts]
            unknown = [k for k in members if problem.hidden(k)]
            if len(unknown) == 1 and unknown[0] in targets:
                changed = _hide_another(problem, equation, unknown[0]) or changed
                targets = set(problem.targets())


def _system(
    problem: _Problem,
) -> tuple[list[Hashable], np.ndarray, np.ndarray, list[tuple[float, float | None]]]:
    """The published equations over the hidden quantities: A·x = b, with bounds."""
    unknown = list(problem.status)
    index = {k: i for i, k in enumerate(unknown)}
    rows: list[np.ndarray] = []
    rhs: list[float] = []
    for total, parts in problem.equations:
        members = [(total, 1.0)] + [(p, -1.0) for p in parts]
        if not any(problem.hidden(k) for k, _ in members):
            continue
        row = np.zeros(len(unknown))
        known = 0.0
        for key, sign in members:
            if problem.hidden(key):
                row[index[key]] += sign
            else:
                known += sign * problem.values[key]
        rows.append(row)
        rhs.append(-known)
    floor = 0.0 if problem.suppress_zeros else 1.0
    bounds: list[tuple[float, float | None]] = []
    for key in unknown:
        low = floor if key in problem.cells else 0.0
        high = problem.min_size - 1.0 if problem.status[key] == "primary" else None
        bounds.append((low, high))
    a_eq = np.vstack(rows) if rows else np.zeros((0, len(unknown)))
    return unknown, a_eq, np.asarray(rhs), bounds


def _can_move(
    direction: np.ndarray, x: np.ndarray, bounds: list[tuple[float, float | None]]
) -> bool:
    """True if x + t·direction stays within the bounds for some small t > 0."""
    for d, value, (low, high) in zip(direction, x, bounds, strict=True):
        if d > 1e-9 and high is not None and value >= high:
            return False
        if d < -1e-9 and value <= low:
            return False
    return True


def _exposed(problem: _Problem) -> list[Hashable]:
    """Hidden targets that only one whole number fits.

    The true values are a feasible point. If some direction that keeps every
    published total unchanged moves the target without leaving the bounds, the
    target is not determined - a cheap certificate. Otherwise two linear
    programmes find its range. The row/column-sum constraints are totally
    unimodular, so the range's ends are whole numbers and a range of positive
    length holds at least two.
    """
    unknown, a_eq, b_eq, bounds = _system(problem)
    index = {k: i for i, k in enumerate(unknown)}
    x = np.asarray([float(problem.values[k]) for k in unknown])
    free = null_space(a_eq) if len(a_eq) else np.eye(len(unknown))
    exposed = []
    for key in problem.targets():
        i = index[key]
        direction = free @ free[i]
        if direction[i] > 1e-9 and (
            _can_move(direction, x, bounds) or _can_move(-direction, x, bounds)
        ):
            continue
        if direction[i] <= 1e-9 or _lp_determined(i, a_eq, b_eq, bounds):
            exposed.append(key)
    return exposed


def _lp_determined(
    i: int, a_eq: np.ndarray, b_eq: np.ndarray, bounds: list[tuple[float, float | None]]
) -> bool:
    objective = np.zeros(a_eq.shape[1])
    objective[i] = 1.0
    equations = {"A_eq": a_eq, "b_eq": b_eq} if len(a_eq) else {}
    low = linprog(objective, bounds=bounds, method="highs", **equations)
    high = linprog(-objective, bounds=bounds, method="highs", **equations)
    if high.status == 3:  # unbounded above
        return False
    top, bottom = -float(high.fun), float(low.fun)
    return math.floor(top + 1e-7) <= math.ceil(bottom - 1e-7)


def _audit(problem: _Problem) -> None:
    """Hide more until no hidden target has only one possible whole-number value."""
    while True:
        _count_rule(problem)
        exposed = _exposed(problem)
        if not exposed:
            return
        target = exposed[0]
        containing = [eq for eq in problem.equations if target in (eq[0], *eq[1])]
        # Then, failing that, any equation that already has a hidden count: the
        # target is pinned through a chain of equations.
        linked = [eq for eq in problem.equations if any(problem.hidden(k) for k in (eq[0], *eq[1]))]
        if not any(
            _hide_another(problem, equation, target)
            for group in (containing, linked)
            for equation in sorted(group, key=lambda eq: _cheapest(problem, eq))
        ):
            _withhold_all_totals(problem, target)


def _withhold_all_totals(problem: _Problem, target: Hashable) -> None:
    """Last resort: with no total published, no hidden count can be derived."""
    for total, _parts in problem.equations:
        if not problem.hidden(total):
            problem.status[total] = "complementary"
            problem.reasons[total] = (
                f"hidden so that {problem.labels[target]} cannot be worked out from the totals"
            )


def _cheapest(problem: _Problem, equation: tuple[Hashable, list[Hashable]]) -> float:
    values = [problem.values[k] for k in equation[1] if _eligible(problem, k)]
    return min(values) if values else math.inf


def _run(problem: _Problem, unpublished: Sequence[Hashable]) -> _Problem:
    for key in unpublished:
        problem.status[key] = "unpublished"
    _primary(problem)
    _audit(problem)
    return problem


# --------------------------------------------------------------------------
# Public API

_TOTAL = ("__total__",)


def suppress_groups(
    groups: Mapping[str, int],
    *,
    min_size: int = DEFAULT_MIN_SIZE,
    total_shown: bool = True,
    suppress_zeros: bool = False,
) -> SuppressionResult:
    """Hide small groups, and enough others that no hidden count can be recovered.

    Parameters
    ----------
    groups : mapping of str to int
        Number of students in each group (for example by home language).
    min_size : int
        Smallest group that may be shown (default 10; below 5 is refused).
    total_shown : bool
        Whether the overall total is shown beside the groups. When it is,
        a hidden group is never the only hidden one.
    suppress_zeros : bool
        Hide groups of 0 as well (by default they are shown).

    Examples
    --------
    >>> r = suppress_groups({"A": 40, "B": 3, "C": 25, "D": 31})
    >>> r.shown
    {'A': 40, 'B': None, 'C': None, 'D': 31}
    >>> r.primary, r.complementary, r.total
    (('B',), ('C',), 99)
    """
    _check_min_size(min_size)
    if not groups:
        raise ValueError("There are no groups to show.")
    values: dict[Hashable, int] = {
        name: _check_count(n, f"group {name!r}") for name, n in groups.items()
    }
    values[_TOTAL] = sum(values.values())
    labels: dict[Hashable, str] = {name: f"group {name!r}" for name in groups}
    labels[_TOTAL] = "the total"
    problem = _Problem(
        values=values,
        equations=[(_TOTAL, list(groups))],
        cells=set(groups),
        labels=labels,
        min_size=min_size,
        suppress_zeros=suppress_zeros,
    )
    _run(problem, [] if total_shown else [_TOTAL])
    suppressions = tuple(
        Suppression(
            name=None if key == _TOTAL else str(key),
            kind=problem.status[key],  # type: ignore[arg-type]
            reason=problem.reasons[key],
        )
        for key in [*groups, _TOTAL]
        if problem.status.get(key) in ("primary", "complementary")
    )
    return SuppressionResult(
        shown={name: None if problem.hidden(name) else values[name] for name in groups},
        total=None if problem.hidden(_TOTAL) else values[_TOTAL],
        total_shown=total_shown,
        min_size=min_size,
        suppressions=suppressions,
        primary=tuple(s.name for s in suppressions if s.kind == "primary" and s.name),
        complementary=tuple(s.name for s in suppressions if s.kind == "complementary" and s.name),
    )


def suppress_table(
    table: Mapping[str, Mapping[str, int]],
    *,
    min_size: int = DEFAULT_MIN_SIZE,
    row_totals: bool = True,
    column_totals: bool = True,
    grand_total: bool = True,
    suppress_zeros: bool = False,
) -> TableSuppressionResult:
    """Suppress a two-way table of counts (rows by columns) and its totals.

    Cells below ``min_size`` are hidden; then complementary cells so that no
    hidden cell can be worked out from the shown cells and the shown row,
    column and grand totals. A total below ``min_size`` is hidden too.

    Parameters
    ----------
    table : mapping of row name to mapping of column name to int
        Every row must have the same columns.

    Examples
    --------
    >>> r = suppress_table({"Group A": {"met": 12, "not met": 3},
    ...                     "Group B": {"met": 20, "not met": 15},
    ...                     "Group C": {"met": 30, "not met": 22}})
    >>> r.cells["Group A"]
    {'met': None, 'not met': None}
    >>> sorted((s.row, s.column, s.kind) for s in r.suppressions)[:2]
    [('Group A', 'met', 'complementary'), ('Group A', 'not met', 'primary')]
    """
    _check_min_size(min_size)
    if not table:
        raise ValueError("The table has no rows.")
    rows = list(table)
    columns = list(next(iter(table.values())))
    if not columns:
        raise ValueError("The table has no columns.")
    values: dict[Hashable, int] = {}
    labels: dict[Hashable, str] = {}
    for r in rows:
        if list(table[r]) != columns:
            raise ValueError(
                f"Row {r!r} has columns {list(table[r])!r} but the first row has {columns!r}; "
                "every row needs the same columns."
            )
        for c in columns:
            values[(r, c)] = _check_count(table[r][c], f"row {r!r}, column {c!r}")
            labels[(r, c)] = f"the cell ({r}, {c})"
    for r in rows:
        values[(r, None)] = sum(values[(r, c)] for c in columns)
        labels[(r, None)] = f"the total of row {r!r}"
    for c in columns:
        values[(None, c)] = sum(values[(r, c)] for r in rows)
        labels[(None, c)] = f"the total of column {c!r}"
    values[(None, None)] = sum(values[(r, None)] for r in rows)
    labels[(None, None)] = "the grand total"
    equations: list[tuple[Hashable, list[Hashable]]] = [
        ((r, None), [(r, c) for c in columns]) for r in rows
    ]
    equations += [((None, c), [(r, c) for r in rows]) for c in columns]
    equations.append(((None, None), [(r, None) for r in rows]))
    equations.append(((None, None), [(None, c) for c in columns]))
    unpublished: list[Hashable] = []
    if not row_totals:
        unpublished += [(r, None) for r in rows]
    if not column_totals:
        unpublished += [(None, c) for c in columns]
    if not grand_total:
        unpublished.append((None, None))
    problem = _run(
        _Problem(
            values=values,
            equations=equations,
            cells={(r, c) for r in rows for c in columns},
            labels=labels,
            min_size=min_size,
            suppress_zeros=suppress_zeros,
        ),
        unpublished,
    )
    return _table_result(problem, rows, columns, min_size, row_totals, column_totals, grand_total)


def _table_result(
    problem: _Problem,
    rows: list[str],
    columns: list[str],
    min_size: int,
    row_totals: bool,
    column_totals: bool,
    grand_total: bool,
) -> TableSuppressionResult:
    def shown(key: Hashable) -> int | None:
        return None if problem.hidden(key) else problem.values[key]

    suppressions = tuple(
        TableSuppression(
            row=key[0],  # type: ignore[index]
            column=key[1],  # type: ignore[index]
            kind=status,  # type: ignore[arg-type]
            reason=problem.reasons[key],
        )
        for key, status in problem.status.items()
        if status in ("primary", "complementary")
    )
    return TableSuppressionResult(
        cells={r: {c: shown((r, c)) for c in columns} for r in rows},
        row_totals={r: shown((r, None)) for r in rows} if row_totals else None,
        column_totals={c: shown((None, c)) for c in columns} if column_totals else None,
        grand_total=shown((None, None)) if grand_total else None,
        min_size=min_size,
        suppressions=suppressions,
    )


# --------------------------------------------------------------------------
# Linked tables: classes and all classes together


@dataclass(frozen=True)
class GroupTable:
    """One group table as it may be shown: ``None`` where a group is hidden.

    ``withheld`` means no group of the table may be shown, nor which groups it
    has: its students are too few, or all in one small group, for any split to
    be safe beside its total (which the page shows anyway).
    """

    shown: dict[str, int | None]
    total: int
    withheld: bool = False

    @property
    def hidden(self) -> tuple[str, ...]:
        return tuple(name for name, n in self.shown.items() if n is None)


@dataclass(frozen=True)
class LinkedSuppression:
    """Every table of a page: ``parts[part][dimension]`` and ``combined[dimension]``."""

    parts: dict[str, dict[str, GroupTable]]
    combined: dict[str, GroupTable]
    min_size: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def suppress_linked(
    parts: Mapping[str, Mapping[str, Mapping[str, int]]],
    *,
    min_size: int = DEFAULT_MIN_SIZE,
) -> LinkedSuppression:
    """Suppress group tables that share students: each part (a class) and the parts combined.

    ``parts`` maps each part to its dimensions (for example "English learners"),
    each a mapping of group to number of students; a group a part does not list
    has no students there. The combined table of a dimension adds the parts up.
    Every part's total is taken to be published (pages show how many students
    a table counts).

    The rule, which makes every table a function of what is shown elsewhere:

    1. each part's table is suppressed on its own counts only (``suppress_groups``
       with its total shown), so a class's table is the same on every page that
       shows it, whatever other classes stand beside it; if that rule has to hide
       the part's total, the whole table is withheld;
    2. the combined table hides every group hidden in any part, and is withheld
       when any part's table is.

    A combined group shown is then the sum of shown part counts, a hidden one
    is hidden wherever it could be subtracted, and the combined total is the sum
    of the part totals: the combined table tells nothing the parts do not.

    Examples
    --------
    >>> r = suppress_linked({
    ...     "Room 12": {"English learners": {"Yes": 3, "No": 20}},
    ...     "Room 14": {"English learners": {"Yes": 10, "No": 15}},
    ... })
    >>> r.parts["Room 12"]["English learners"].shown
    {'No': None, 'Yes': None}
    >>> r.parts["Room 14"]["English learners"].shown
    {'No': 15, 'Yes': 10}
    >>> r.combined["English learners"].shown
    {'No': None, 'Yes': None}
    """
    _check_min_size(min_size)
    if not parts:
        raise ValueError("There are no classes to show.")
    dimensions = list(next(iter(parts.values())))
    for name, tables in parts.items():
        if sorted(tables) != sorted(dimensions):
            raise ValueError(
                f"{name!r} has the groupings {sorted(tables)!r} but the first class has "
                f"{sorted(dimensions)!r}; every class needs the same groupings."
            )
    decided = {
        name: {d: _part_table(tables[d], min_size) for d in dimensions}
        for name, tables in parts.items()
    }
    combined = {d: _combined_table([decided[name][d] for name in parts], parts, d)
                for d in dimensions}
    return LinkedSuppression(parts=decided, combined=combined, min_size=min_size)


def _part_table(groups: Mapping[str, int], min_size: int) -> GroupTable:
    # Sorted, so that the tie-break of the complementary rule (first in order) does
    # not depend on the order the groups were read in: the same counts, the same cells.
    counts = tuple(sorted((g, _check_count(n, f"group {g!r}")) for g, n in groups.items()))
    decided = _decide_part(counts, min_size)
    return GroupTable(dict(decided.shown), decided.total, decided.withheld)  # a copy


@lru_cache(maxsize=4096)
def _decide_part(counts: tuple[tuple[str, int], ...], min_size: int) -> GroupTable:
    # The audit's linear programmes take about 1.5 ms a table; a class's counts stay the
    # same between page loads until a teacher enters data, so recent answers are kept.
    ordered = dict(counts)
    result = suppress_groups(ordered, min_size=min_size)
    total = sum(ordered.values())
    if result.total is None:
        return GroupTable({g: None for g in ordered}, total, withheld=True)
    return GroupTable(result.shown, total)


def _combined_table(
    tables: list[GroupTable],
    parts: Mapping[str, Mapping[str, Mapping[str, int]]],
    dimension: str,
) -> GroupTable:
    counts: dict[str, int] = {}
    for groups in parts.values():
        for g, n in groups[dimension].items():
            counts[g] = counts.get(g, 0) + int(n)
    counts = dict(sorted(counts.items()))
    total = sum(t.total for t in tables)
    if any(t.withheld for t in tables):
        return GroupTable({g: None for g in counts}, total, withheld=True)
    hidden = {g for t in tables for g in t.hidden}
    return GroupTable({g: None if g in hidden else n for g, n in counts.items()}, total)
