"""Group tables that share students (each class, and all classes together) are
suppressed together, so that no hidden count is the difference of shown ones.

The recovery check here is written independently of the module: an onlooker who
sees every table of every page and knows the rule asks, by linear programming,
how small and how large each hidden count could be; a hidden count is recovered
when only one whole number fits.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from uptake.analysis.suppression import (
    GroupTable,
    LinkedSuppression,
    suppress_groups,
    suppress_linked,
)

EL = "English learners"


def test_it_hides_in_the_combined_table_a_group_hidden_in_one_class() -> None:
    # Room 12 has 3 English learners (hidden there); Room 14 has 10 (shown). Showing
    # 13 together would give Room 12's 3 as 13 - 10.
    r = suppress_linked({
        "Room 12": {EL: {"Yes": 3, "No": 20}},
        "Room 14": {EL: {"Yes": 10, "No": 15}},
    })
    assert r.parts["Room 12"][EL].shown == {"No": None, "Yes": None}
    assert r.parts["Room 14"][EL].shown == {"No": 15, "Yes": 10}
    assert r.combined[EL].shown == {"No": None, "Yes": None}
    assert r.combined[EL].total == 48


def test_it_shows_in_the_combined_table_what_every_class_shows() -> None:
    r = suppress_linked({
        "Room 12": {EL: {"Yes": 12, "No": 20}},
        "Room 14": {EL: {"Yes": 10, "No": 15}},
    })
    assert r.combined[EL].shown == {"No": 35, "Yes": 22}


def test_it_hides_a_lone_small_group_and_the_next_smallest_within_one_table() -> None:
    # "All students minus the other groups" must not give the small group back.
    table = {"Asian": 12, "Black": 4, "Hispanic": 11, "White": 30}
    r = suppress_linked({"Room 12": {"Race": table}})
    shown = r.parts["Room 12"]["Race"].shown
    assert shown == {"Asian": 12, "Black": None, "Hispanic": None, "White": 30}
    assert r.combined["Race"].shown == shown


def test_it_withholds_a_table_whose_total_would_have_to_be_hidden() -> None:
    # Four students, all in one group: its count is the class's total, which the page
    # shows; the whole table goes, in the class and together.
    r = suppress_linked({
        "Room 12": {EL: {"No": 4}},
        "Room 14": {EL: {"Yes": 12, "No": 15}},
    })
    assert r.parts["Room 12"][EL].withheld
    assert r.parts["Room 12"][EL].shown == {"No": None}
    assert r.combined[EL].withheld
    assert r.combined[EL].shown == {"No": None, "Yes": None}
    assert not r.parts["Room 14"][EL].withheld


def test_it_decides_a_class_table_the_same_whatever_stands_beside_it() -> None:
    # A page with Room 12 alone (a filter, or a measure on that class only) hides the
    # same cells as the page with both classes: two pages cannot be combined.
    alone = suppress_linked({"Room 12": {"Race": {"A": 3, "B": 11, "C": 12, "D": 30}}})
    beside = suppress_linked({
        "Room 14": {"Race": {"A": 20, "B": 2, "C": 12, "D": 9}},
        "Room 12": {"Race": {"D": 30, "C": 12, "B": 11, "A": 3}},
    })
    assert alone.parts["Room 12"] == beside.parts["Room 12"]
    assert alone.parts["Room 12"]["Race"].shown == {"A": None, "B": None, "C": 12, "D": 30}


def test_it_serialises_every_table_of_the_page() -> None:
    r = suppress_linked({"Room 12": {EL: {"Yes": 3, "No": 20}}})
    data = json.loads(json.dumps(r.to_dict()))
    assert data["parts"]["Room 12"][EL] == {"shown": {"No": None, "Yes": None}, "total": 23,
                                            "withheld": False}
    assert data["combined"][EL]["total"] == 23 and data["min_size"] == 10


@pytest.mark.parametrize(
    ("parts", "words"),
    [
        ({}, "no classes"),
        ({"a": {EL: {"Yes": 12}}, "b": {"Sex": {"F": 12}}}, "same groupings"),
        ({"a": {EL: {"Yes": -1}}}, "cannot be negative"),
        ({"a": {EL: {}}}, "no groups"),
    ],
)
def test_it_rejects_tables_it_cannot_link(parts: dict, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        suppress_linked(parts)


def test_it_refuses_a_minimum_below_five() -> None:
    with pytest.raises(ValueError, match="cannot be below 5"):
        suppress_linked({"a": {EL: {"Yes": 12}}}, min_size=4)


# --------------------------------------------------------------------------
# Adversarial property test over random small pages


def _ranges(
    r: LinkedSuppression, parts: dict[str, dict[str, dict[str, int]]], dimension: str,
    groups: list[str],
) -> dict[tuple[str, str], tuple[float, float]]:
    """The smallest and largest value each hidden class count could take.

    The onlooker sees every class table and the combined table, knows each class's
    total (the page counts its students), that a listed group has at least one
    student, that a hidden group below the minimum is at most min_size - 1 (as if
    told which are small), that a withheld table's groups are anywhere from 0 to
    its total (any of the dimension's ``groups``, say Yes, No and Not reported, whether
    the class has them or not), and that each combined group is the sum of the classes'.
    """
    variables: list[tuple[str, str]] = []
    bounds: list[tuple[float, float | None]] = []
    known: dict[tuple[str, str], int] = {}
    for name, dims in parts.items():
        table, counts = r.parts[name][dimension], dims[dimension]
        for g in groups:
            if table.withheld:
                variables.append((name, g))
                bounds.append((0, table.total))
            elif g not in counts:
                known[(name, g)] = 0
            elif table.shown[g] is None:
                small = counts[g] < r.min_size
                variables.append((name, g))
                bounds.append((1, r.min_size - 1 if small else table.total))
            else:
                known[(name, g)] = int(table.shown[g])  # type: ignore[arg-type]
    combined = r.combined[dimension]
    # A group the combined table does not list has no students in any class.
    hidden_combined = [g for g in groups
                       if combined.withheld or (g in combined.shown and combined.shown[g] is None)]
    variables += [("together", g) for g in hidden_combined]
    bounds += [(0, None)] * len(hidden_combined)
    index = {v: i for i, v in enumerate(variables)}
    rows, rhs = [], []

    def equation(terms: list[tuple[tuple[str, str], float]], constant: float) -> None:
        row, value = np.zeros(len(variables)), constant
        for key, sign in terms:
            if key in index:
                row[index[key]] += sign
            else:
                value -= sign * known[key]
        if row.any():
            rows.append(row)
            rhs.append(value)
        else:
            assert abs(value) < 1e-9, "the published numbers contradict each other"

    for name in parts:  # each class's total
        equation([((name, g), 1.0) for g in groups], r.parts[name][dimension].total)
    for g in groups:  # together = the sum of the classes
        together = [(("together", g), 1.0)] + [((name, g), -1.0) for name in parts]
        if g in hidden_combined:
            equation(together, 0.0)
        else:
            equation([((name, g), -1.0) for name in parts], -float(combined.shown.get(g) or 0))
    equation([(("together", g), 1.0) for g in hidden_combined],
             combined.total - sum(combined.shown.get(g) or 0 for g in groups
                                  if g not in hidden_combined))
    a_eq, b_eq = (np.vstack(rows), np.asarray(rhs)) if rows else (None, None)
    out = {}
    for key in variables:
        if key[0] == "together":
            continue
        c = np.zeros(len(variables))
        c[index[key]] = 1.0
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert low.status == 0, "the true counts must be a solution"
        out[key] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return out


Page = tuple[dict[str, dict[str, dict[str, int]]], list[str]]


@st.composite
def pages(draw: st.DrawFn) -> Page:
    """Classes with their counts in one dimension of two to four groups."""
    names = [f"class {i}" for i in range(draw(st.integers(1, 4)))]
    universe = ["a", "b", "c", "d"][: draw(st.integers(2, 4))]
    parts: dict[str, dict[str, dict[str, int]]] = {}
    for name in names:
        counts = {g: draw(st.integers(0, 25)) for g in universe}
        listed = {g: n for g, n in counts.items() if n > 0}  # pages list groups present
        parts[name] = {"dimension": listed or {universe[0]: draw(st.integers(1, 25))}}
    return parts, universe


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=pages(), min_size=st.integers(5, 10))
def test_it_never_leaves_a_hidden_count_recoverable_across_the_linked_tables(
    page: Page, min_size: int
) -> None:
    parts, universe = page
    r = suppress_linked(parts, min_size=min_size)
    for name, dims in parts.items():
        table = r.parts[name]["dimension"]
        for g, n in dims["dimension"].items():
            assert table.shown[g] in (None, n)
            if n < min_size:
                assert table.shown[g] is None, f"{name} {g}={n} is small but shown"
        # the same class alone is decided the same way (pages cannot be combined)
        assert suppress_linked({name: dims}, min_size=min_size).parts[name] == r.parts[name]
    for g, shown in r.combined["dimension"].shown.items():
        total = sum(p["dimension"].get(g, 0) for p in parts.values())
        assert shown in (None, total)
        if 0 < total < min_size:
            assert shown is None
    for key, (low, high) in _ranges(r, parts, "dimension", universe).items():
        true = parts[key[0]]["dimension"].get(key[1], 0)
        assert low - 1e-7 <= true <= high + 1e-7
        assert high - low > 0.5, f"{key} is recoverable: it must be {true}"


def test_the_check_finds_the_leak_of_a_combined_table_decided_on_its_own() -> None:
    # The check is not vacuous: suppressing the combined counts as a table of their
    # own (the old page) shows "Yes: 13", and with Room 14's 10 that pins Room 12's 3.
    parts = {"Room 12": {"dimension": {"Yes": 3, "No": 20}},
             "Room 14": {"dimension": {"Yes": 10, "No": 15}}}
    r = suppress_linked(parts)
    alone = suppress_groups({"No": 35, "Yes": 13})
    leaky = LinkedSuppression(parts=r.parts,
                              combined={"dimension": GroupTable(alone.shown, 48)}, min_size=10)
    room12_yes = ("Room 12", "Yes")
    assert _ranges(leaky, parts, "dimension", ["No", "Yes"])[room12_yes] == pytest.approx((3, 3))
    assert _ranges(r, parts, "dimension", ["No", "Yes"])[room12_yes] == pytest.approx((1, 9))
