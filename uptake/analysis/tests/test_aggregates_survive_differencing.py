"""District aggregates (uptake/analysis/aggregates.py): hand-computed figures, and the
differencing attack: no pair of filter settings, subtracted, reveals a group of students
smaller than the minimum."""

from __future__ import annotations

import itertools

import pytest

from uptake.analysis.aggregates import (
    Atom,
    countable,
    group_results,
    students_in,
    verdict_breakdown,
)

MIN = 10


def atom(key: str, unit: str, n: int, verdict: str, *, school: str, program: str,
         grade: str, el: tuple[int, int] | None = None, mean: float = 1.0) -> Atom:
    groups = {}
    if el is not None:
        groups["english_learner"] = {"Yes": (el[0], mean + 1.0), "No": (el[1], mean)}
    return Atom(key, unit, n, verdict, "score", None, None, groups,
                {"school": frozenset({school}), "program": frozenset({program}),
                 "grade": frozenset({grade})})


# A small district: six classes in two schools and two programs. Class c3 has 3 English
# learners, c5 has 8 students in all.
ATOMS = [
    atom("m1/c1", "c1", 25, "sustained_improvement", school="Cedar", program="Math",
         grade="3", el=(12, 13), mean=2.0),
    atom("m1/c2", "c2", 22, "no_signal", school="Cedar", program="Math", grade="4",
         el=(10, 12), mean=1.0),
    atom("m2/c3", "c3", 24, "sustained_improvement", school="Birch", program="Math",
         grade="3", el=(3, 21), mean=4.0),
    atom("m3/c4", "c4", 30, "got_worse", school="Birch", program="Writing", grade="4",
         el=(15, 15), mean=-1.0),
    atom("m3/c5", "c5", 8, "sustained_improvement", school="Birch", program="Writing",
         grade="4", el=(0, 8), mean=0.5),
    atom("m4/c1", "c1", 25, "", school="Cedar", program="Writing", grade="3",
         el=(12, 13), mean=0.0),
]


def test_small_classes_are_left_out_and_counted_as_classes():
    kept, left_out = countable(ATOMS, MIN)
    assert [a.key for a in left_out] == ["m3/c5"]
    assert len(kept) == 5
    # Two measures on class c1 count its 25 students once.
    assert students_in(kept) == 25 + 22 + 24 + 30


def test_verdict_breakdown_by_school_by_hand():
    breakdown = verdict_breakdown(ATOMS, "school", min_size=MIN)
    rows = {r.value: r for r in breakdown.rows}
    assert rows["Cedar"].counts == {"sustained_improvement": 1, "change_not_sustained": 0,
                                    "got_worse": 0, "no_signal": 1, "not_enough_data": 0,
                                    "no_verdict": 1}
    # Birch: c3 and c4 (c5 rests on 8 students and is left out everywhere).
    assert rows["Birch"].counts["sustained_improvement"] == 1
    assert rows["Birch"].counts["got_worse"] == 1
    assert rows["Birch"].classes == 2 and rows["Birch"].students == 54
    assert breakdown.left_out == 1
    assert breakdown.total["sustained_improvement"] == 2
    assert sum(breakdown.total.values()) == 5


def test_a_row_resting_on_too_few_students_is_hidden_and_left_out_of_the_total():
    atoms = [atom("a", "u1", 12, "no_signal", school="Cedar", program="P", grade="3"),
             atom("b", "u2", 12, "got_worse", school="Birch", program="P", grade="3")]
    # Grade 3 at Cedar only: fine. Now a dimension whose one value rests on one class of
    # 12 students, but the minimum is 15: both rows hidden, the total empty.
    breakdown = verdict_breakdown(atoms, "school", min_size=15)
    assert all(r.counts is None for r in breakdown.rows) or breakdown.rows == ()
    assert sum(breakdown.total.values()) == 0


def test_groups_by_hand():
    kept, _ = countable(ATOMS, MIN)
    results = group_results(kept, ["english_learner"], min_size=MIN)
    rows = {r.group: r for r in results.of("english_learner")}
    # c1 (twice: two measures), c2, c4 contribute; c3 has 3 English learners and is left
    # out of the attribute entirely, its 21 other students too.
    assert results.left_out == {"english_learner": 1}
    assert rows["Yes"].n == 12 + 10 + 15 + 12
    assert rows["No"].n == 13 + 12 + 15 + 13
    expected_yes = (12 * 3.0 + 10 * 2.0 + 15 * 0.0 + 12 * 1.0) / 49
    assert rows["Yes"].mean_change == pytest.approx(expected_yes)


# ---------------------------------------------------------------------- differencing

FILTERS = {
    "school": [None, "Cedar", "Birch"],
    "program": [None, "Math", "Writing"],
    "grade": [None, "3", "4"],
}


def _settings() -> list[dict[str, str]]:
    out = []
    for values in itertools.product(*FILTERS.values()):
        out.append({d: v for d, v in zip(FILTERS, values, strict=True) if v is not None})
    return out


def _apply(setting: dict[str, str]) -> list[Atom]:
    return [a for a in ATOMS if all(v in a.facets[d] for d, v in setting.items())]


def _group_figures(setting: dict[str, str]) -> dict[str, int]:
    kept, _ = countable(_apply(setting), MIN)
    results = group_results(kept, ["english_learner"], min_size=MIN)
    return {r.group: r.n or 0 for r in results.rows}


def _students_behind_verdicts(setting: dict[str, str]) -> int:
    breakdown = verdict_breakdown(_apply(setting), "program", min_size=MIN)
    shown = [r for r in breakdown.rows if r.counts is not None]
    kept = {k for r in shown for k in r.keys}
    return students_in(a for a in ATOMS if a.key in kept)


def _nested_pairs() -> list[tuple[dict[str, str], dict[str, str]]]:
    """Pairs of filter settings whose classes contain one another: subtracting one from the
    other isolates the classes in between, the differencing attack (two settings that do
    not nest give a difference of two unrelated sets, which is no group at all)."""
    pairs = []
    for first, second in itertools.combinations(_settings(), 2):
        a = {x.key for x in _apply(first)}
        b = {x.key for x in _apply(second)}
        if a != b and (a <= b or b <= a):
            pairs.append((first, second))
    return pairs


@pytest.mark.parametrize(("first", "second"), _nested_pairs())
def test_no_difference_of_two_filters_reveals_a_small_group(first, second):
    a, b = _group_figures(first), _group_figures(second)
    for group in set(a) | set(b):
        difference = abs(a.get(group, 0) - b.get(group, 0))
        assert difference == 0 or difference >= MIN, (first, second, group, difference)
    students = abs(_students_behind_verdicts(first) - _students_behind_verdicts(second))
    assert students == 0 or students >= MIN, (first, second, students)


def test_there_are_nested_pairs_to_attack_with():
    assert len(_nested_pairs()) > 20


def test_the_three_english_learners_of_c3_never_show():
    # Birch's figures with and without its Math class (c3): the English-learner rows do
    # not move, because c3 is left out of the attribute (its 3 learners would show).
    birch = _group_figures({"school": "Birch"})
    birch_writing = _group_figures({"school": "Birch", "program": "Writing"})
    assert birch == birch_writing == {"Yes": 15, "No": 15}
