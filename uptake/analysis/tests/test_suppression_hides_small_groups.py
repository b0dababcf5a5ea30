"""Small groups are hidden, and so is enough else that nobody can subtract them back.

The recovery checks here are written independently of the module: an
interval argument for one-way tables and a rank test (is the hidden cell's
unit vector in the row space of the published equations?) for two-way tables.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uptake.analysis.suppression import suppress_groups, suppress_table


def test_it_hides_a_small_group_and_the_next_smallest_beside_a_total() -> None:
    r = suppress_groups({"A": 40, "B": 3, "C": 25, "D": 31})
    assert r.shown == {"A": 40, "B": None, "C": None, "D": 31}
    assert r.total == 99
    assert r.primary == ("B",)
    assert r.complementary == ("C",)
    reasons = {s.name: s.reason for s in r.suppressions}
    assert "fewer than 10" in reasons["B"]
    assert "cannot be worked out" in reasons["C"]


def test_it_needs_no_complement_when_the_total_is_not_shown() -> None:
    r = suppress_groups({"A": 3, "B": 40, "C": 12}, total_shown=False)
    assert r.shown == {"A": None, "B": 40, "C": 12}
    assert r.complementary == ()
    assert r.total is None


def test_it_needs_no_complement_when_two_groups_are_already_small() -> None:
    r = suppress_groups({"A": 3, "B": 6, "C": 40})
    assert r.shown == {"A": None, "B": None, "C": 40}
    assert r.complementary == ()


def test_it_defeats_recovery_from_bounds_when_two_small_groups_are_both_nine() -> None:
    # A + B = 68 - 50 = 18 and each hidden group is known to be at most 9,
    # so both would be exactly 9: a third group must be hidden.
    r = suppress_groups({"A": 9, "B": 9, "C": 50, "D": 60})
    assert r.shown["A"] is None and r.shown["B"] is None
    assert r.shown["C"] is None
    assert r.complementary == ("C",)


def test_it_defeats_recovery_when_two_ones_are_hidden_and_zeros_are_shown() -> None:
    # With zeros shown, a hidden group has at least 1; A + B = 2 pins both to 1.
    r = suppress_groups({"A": 1, "B": 1, "C": 30, "D": 35})
    assert r.shown["C"] is None
    assert r.shown["D"] == 35


def test_it_hides_the_total_when_there_is_nothing_else_to_hide() -> None:
    r = suppress_groups({"A": 4})
    assert r.shown == {"A": None}
    assert r.total is None
    r = suppress_groups({"A": 12, "B": 0, "C": 4})
    # C is small, A is the only other nonzero group: hiding A leaves A + C = 16
    # with C in 1..9 and A at least 1, so C is no longer determined.
    assert r.shown == {"A": None, "B": 0, "C": None}
    assert r.total == 16


def test_it_shows_zeros_unless_asked_to_hide_them() -> None:
    r = suppress_groups({"A": 0, "B": 3, "C": 20, "D": 30})
    assert r.shown == {"A": 0, "B": None, "C": None, "D": 30}
    r = suppress_groups({"A": 0, "B": 3, "C": 20, "D": 30}, suppress_zeros=True)
    assert r.shown == {"A": None, "B": None, "C": 20, "D": 30}
    assert set(r.primary) == {"A", "B"}


def test_it_respects_a_higher_district_minimum() -> None:
    r = suppress_groups({"A": 12, "B": 14, "C": 40}, min_size=15)
    assert r.shown == {"A": None, "B": None, "C": 40}


@pytest.mark.parametrize("min_size", [4, 0, -1])
def test_it_refuses_a_minimum_below_five(min_size: int) -> None:
    with pytest.raises(ValueError, match="cannot be below 5"):
        suppress_groups({"A": 20}, min_size=min_size)


@pytest.mark.parametrize(
    ("groups", "words"),
    [
        ({"A": -1}, "cannot be negative"),
        ({"A": 2.5}, "whole number"),
        ({"A": "7"}, "whole number"),
        ({}, "no groups"),
    ],
)
def test_it_rejects_bad_counts(groups: dict[str, object], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        suppress_groups(groups)  # type: ignore[arg-type]


def test_it_serialises_the_result() -> None:
    r = suppress_groups({"A": 40, "B": 3, "C": 25})
    data = json.loads(json.dumps(r.to_dict()))
    assert data["shown"]["B"] is None
    assert {s["kind"] for s in data["suppressions"]} == {"primary", "complementary"}


# --------------------------------------------------------------------------
# Adversarial property tests


def _one_way_interval(
    hidden: dict[str, int], primary: set[str], total_left: int, floor: int, min_size: int
) -> dict[str, tuple[int, int]]:
    """What an attacker who knows the rule can say about each hidden group."""
    bounds = {k: (floor, min_size - 1 if k in primary else total_left) for k in hidden}
    out: dict[str, tuple[int, int]] = {}
    for k in hidden:
        others_low = sum(bounds[o][0] for o in hidden if o != k)
        others_high = sum(bounds[o][1] for o in hidden if o != k)
        low = max(bounds[k][0], total_left - others_high)
        high = min(bounds[k][1], total_left - others_low)
        out[k] = (low, high)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    counts=st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8),
    min_size=st.integers(min_value=5, max_value=15),
    total_shown=st.booleans(),
    suppress_zeros=st.booleans(),
)
def test_it_never_leaves_a_hidden_group_recoverable_from_the_total(
    counts: list[int], min_size: int, total_shown: bool, suppress_zeros: bool
) -> None:
    groups = {f"g{i}": n for i, n in enumerate(counts)}
    r = suppress_groups(
        groups, min_size=min_size, total_shown=total_shown, suppress_zeros=suppress_zeros
    )
    hidden = {k: groups[k] for k, v in r.shown.items() if v is None}
    for k, n in groups.items():
        if n < min_size and (n > 0 or suppress_zeros):
            assert r.shown[k] is None, f"{k}={n} is below {min_size} but shown"
        elif r.shown[k] is not None:
            assert r.shown[k] == n
    if not (total_shown and r.total is not None):
        return
    # With a shown total: 0 or at least 2 hidden groups ...
    assert len(hidden) != 1
    if not hidden:
        return
    # ... and no hidden group pinned to a single value by the bounds.
    total_left = r.total - sum(v for v in r.shown.values() if v is not None)
    floor = 0 if suppress_zeros else 1  # shown zeros tell an onlooker hidden ones are >= 1
    intervals = _one_way_interval(hidden, set(r.primary), total_left, floor, min_size)
    for k, (low, high) in intervals.items():
        assert low <= groups[k] <= high
        assert low < high, f"{k} is recoverable: it must be {low}"


def _linearly_determined(result: object, table: dict[str, dict[str, int]]) -> list[tuple]:
    """Hidden cells whose value follows from the shown cells and totals by linear algebra."""
    rows = list(table)
    cols = list(next(iter(table.values())))
    cells = result.cells  # type: ignore[attr-defined]
    rt = result.row_totals  # type: ignore[attr-defined]
    ct = result.column_totals  # type: ignore[attr-defined]
    gt = result.grand_total  # type: ignore[attr-defined]
    unknown: list[tuple] = [(r, c) for r in rows for c in cols if cells[r][c] is None]
    unknown += [(r, None) for r in rows if rt is None or rt[r] is None]
    unknown += [(None, c) for c in cols if ct is None or ct[c] is None]
    if gt is None:
        unknown.append((None, None))
    index = {k: i for i, k in enumerate(unknown)}
    equations: list[tuple[tuple, list[tuple]]] = [((r, None), [(r, c) for c in cols]) for r in rows]
    equations += [((None, c), [(r, c) for r in rows]) for c in cols]
    equations += [((None, None), [(r, None) for r in rows])]
    matrix = []
    for total, parts in equations:
        row = np.zeros(len(unknown))
        for key, sign in [(total, 1.0)] + [(p, -1.0) for p in parts]:
            if key in index:
                row[index[key]] += sign
        if row.any():
            matrix.append(row)
    if not matrix:
        return []
    a = np.vstack(matrix)
    rank = np.linalg.matrix_rank(a)
    determined = []
    for key in unknown:
        if key[0] is None or key[1] is None:
            continue
        unit = np.zeros(len(unknown))
        unit[index[key]] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            determined.append(key)
    return determined


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=st.tuples(st.integers(2, 4), st.integers(2, 4)),
    data=st.data(),
    min_size=st.integers(min_value=5, max_value=12),
    margins=st.tuples(st.booleans(), st.booleans(), st.booleans()),
    suppress_zeros=st.booleans(),
)
def test_it_never_leaves_a_hidden_cell_recoverable_from_row_and_column_totals(
    shape: tuple[int, int],
    data: st.DataObject,
    min_size: int,
    margins: tuple[bool, bool, bool],
    suppress_zeros: bool,
) -> None:
    n_rows, n_cols = shape
    values = data.draw(
        st.lists(st.integers(0, 40), min_size=n_rows * n_cols, max_size=n_rows * n_cols)
    )
    table = {
        f"r{i}": {f"c{j}": values[i * n_cols + j] for j in range(n_cols)} for i in range(n_rows)
    }
    r = suppress_table(
        table,
        min_size=min_size,
        row_totals=margins[0],
        column_totals=margins[1],
        grand_total=margins[2],
        suppress_zeros=suppress_zeros,
    )
    for row, cols in table.items():
        for col, n in cols.items():
            if n < min_size and (n > 0 or suppress_zeros):
                assert r.cells[row][col] is None
            elif r.cells[row][col] is not None:
                assert r.cells[row][col] == n
    for row in table:
        if r.row_totals and r.row_totals[row] is not None:
            hidden = sum(v is None for v in r.cells[row].values())
            assert hidden != 1
    assert _linearly_determined(r, table) == []


def test_it_protects_a_two_way_table_across_rows_and_columns() -> None:
    table = {
        "Group A": {"met": 12, "not met": 3},
        "Group B": {"met": 20, "not met": 15},
        "Group C": {"met": 30, "not met": 22},
    }
    r = suppress_table(table)
    assert r.cells["Group A"] == {"met": None, "not met": None}
    assert r.cells["Group B"] == {"met": None, "not met": None}
    assert r.cells["Group C"] == {"met": 30, "not met": 22}
    assert r.row_totals == {"Group A": 15, "Group B": 35, "Group C": 52}
    assert r.grand_total == 102
    kinds = {(s.row, s.column): s.kind for s in r.suppressions}
    assert kinds[("Group A", "not met")] == "primary"
    assert list(kinds.values()).count("primary") == 1


def test_it_hides_a_small_row_total_and_its_cells() -> None:
    table = {"A": {"x": 4, "y": 3}, "B": {"x": 20, "y": 25}, "C": {"x": 30, "y": 28}}
    r = suppress_table(table)
    assert r.row_totals is not None and r.row_totals["A"] is None
    assert r.cells["A"] == {"x": None, "y": None}
    assert _linearly_determined(r, table) == []


def test_it_rejects_ragged_tables() -> None:
    with pytest.raises(ValueError, match="same columns"):
        suppress_table({"A": {"x": 1, "y": 2}, "B": {"x": 3}})
