"""Per-student change from phase means: a hard last occasion no longer turns a class's
rise into a decline (issue 10, seen 2: "17 of 22 declining" under a rising run chart)."""

from __future__ import annotations

import pytest

from uptake.analysis.growth import MIN_PHASE_POINTS, phase_change, student_growth

# Eight baseline occasions around 50, then eight after the change around 56, the last of
# them a hard test (44). Each of six students sits a fixed distance from the class mean.
BASELINE = [50, 51, 49, 50, 52, 48, 50, 50]
AFTER = [55, 57, 56, 58, 57, 56, 58, 44]
OFFSETS = [-5, -3, -1, 1, 3, 5]


def _student(values: list[int], offset: int) -> list[float]:
    return [v + offset for v in values]


def test_it_agrees_with_the_chart_where_first_against_last_contradicted_it() -> None:
    names = [f"S{i}" for i in range(len(OFFSETS))]
    before = {n: _student(BASELINE, o) for n, o in zip(names, OFFSETS, strict=True)}
    after = {n: _student(AFTER, o) for n, o in zip(names, OFFSETS, strict=True)}
    old = student_growth({n: before[n] + after[n] for n in names})
    assert old.n_declined == 6 and old.mean_change == pytest.approx(-6.0)  # the contradiction
    new = phase_change(before, after)
    # Hand calculation: mean(AFTER) - mean(BASELINE) = 55.125 - 50 for every student.
    assert new.basis == "phases" and new.min_points == MIN_PHASE_POINTS == 2
    assert new.n_improved == 6 and new.n_declined == 0
    assert new.mean_change == pytest.approx(5.125)
    assert "mean after the change with her mean before it" in new.message


def test_it_leaves_out_and_counts_students_with_too_few_scores_in_a_phase() -> None:
    r = phase_change(
        {"Ana": [50, 52], "Ben": [48, None, None], "Cy": [51, 49]},
        {"Ana": [55, 57], "Ben": [60, 62], "Cy": [53]},
    )
    assert [(s.student, s.outcome) for s in r.students] == [
        ("Ana", "improved"),
        ("Ben", "not_enough_scores"),
        ("Cy", "not_enough_scores"),
    ]
    assert (r.n_with_growth, r.without_growth) == (1, ("Ben", "Cy"))
    assert (r.students[1].n_baseline, r.students[2].n_after) == (1, 1)


def test_it_judges_a_fall_as_improvement_when_lower_is_better() -> None:
    r = phase_change({"Ana": [10, 12]}, {"Ana": [6, 8]}, direction="down")
    assert r.students[0].change == pytest.approx(-4.0) and r.n_improved == 1


def test_it_refuses_a_minimum_below_one_score() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        phase_change({"Ana": [1, 2]}, {"Ana": [3, 4]}, min_points=0)
