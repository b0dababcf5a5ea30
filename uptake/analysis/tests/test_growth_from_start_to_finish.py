"""Per-student growth from the first to the last score, nobody dropped silently."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from uptake.analysis.growth import student_growth


def test_it_uses_each_students_first_and_last_present_scores() -> None:
    r = student_growth({"Ana": [None, 40, None, 52, 55, None], "Ben": [30, 35]})
    ana = r.students[0]
    assert (ana.first_score, ana.last_score, ana.change) == (40.0, 55.0, 15.0)
    assert (ana.first_occasion, ana.last_occasion, ana.n_scores) == (1, 4, 3)
    assert ana.outcome == "improved"


def test_it_orders_occasions_given_as_dates() -> None:
    scores = {
        dt.date(2026, 3, 1): 61.0,
        dt.date(2025, 9, 1): 50.0,
        dt.date(2026, 6, 1): None,
        dt.date(2025, 12, 1): 58.0,
    }
    r = student_growth({"Ana": scores})
    ana = r.students[0]
    assert ana.first_occasion == dt.date(2025, 9, 1)
    assert ana.last_occasion == dt.date(2026, 3, 1)
    assert ana.change == 11.0


def test_it_counts_and_names_students_without_two_scores() -> None:
    r = student_growth({"Ana": [40, 50], "Ben": [None, 48], "Cy": [None, math.nan], "Di": []})
    assert r.n_students == 4
    assert r.n_with_growth == 1
    assert r.n_without_growth == 3
    assert r.without_growth == ("Ben", "Cy", "Di")
    ben = r.students[1]
    assert ben.outcome == "not_enough_scores" and ben.first_score == 48.0 and ben.change is None
    assert "3 students have fewer than two scores" in r.message


def test_it_summarises_median_and_shares() -> None:
    # Changes: +10, +4, 0, -3, +1 -> sorted -3, 0, 1, 4, 10: median 1, mean 12/5 = 2.4.
    r = student_growth({"a": [50, 60], "b": [50, 54], "c": [50, 50], "d": [50, 47], "e": [50, 51]})
    assert r.median_change == 1.0
    assert r.mean_change == pytest.approx(2.4)
    assert (r.n_improved, r.n_stayed, r.n_declined) == (3, 1, 1)
    assert r.share_improved == pytest.approx(0.6)
    assert r.share_stayed == pytest.approx(0.2)
    assert r.share_declined == pytest.approx(0.2)
    assert r.expected_growth is None and r.share_met_expected is None


def test_it_treats_small_changes_as_stayed_within_a_tolerance() -> None:
    r = student_growth({"a": [50, 51], "b": [50, 49], "c": [50, 55]}, tolerance=1)
    assert [s.outcome for s in r.students] == ["stayed", "stayed", "improved"]


def test_it_compares_with_a_normal_years_growth() -> None:
    r = student_growth({"a": [50, 60], "b": [50, 54], "c": [50, 58]}, expected_growth=8)
    assert [s.met_expected for s in r.students] == [True, False, True]
    assert r.n_met_expected == 2
    assert r.share_met_expected == pytest.approx(2 / 3)
    assert "2 reached a normal year's growth" in r.message


def test_it_reads_growth_downwards_when_lower_is_better() -> None:
    # For example days absent: a fall is an improvement.
    r = student_growth({"a": [12, 5], "b": [4, 9]}, direction="down", expected_growth=5)
    assert [s.outcome for s in r.students] == ["improved", "declined"]
    assert [s.met_expected for s in r.students] == [True, False]


def test_it_says_so_when_nobody_has_two_scores() -> None:
    r = student_growth({"a": [None, 3], "b": [None]})
    assert r.n_with_growth == 0 and r.median_change is None and r.share_improved is None
    assert r.message.startswith("No student has two scores")


@pytest.mark.parametrize(
    ("scores", "kwargs", "words"),
    [
        ({"a": [1, "x"]}, {}, "Student 'a', occasion 1: 'x' is not a number"),
        ({"a": "12"}, {}, "not text"),
        ({"a": [1, 2]}, {"direction": "sideways"}, "'up' or 'down'"),
        ({"a": [1, 2]}, {"tolerance": -1}, "tolerance"),
        ({"a": [1, 2]}, {"expected_growth": -3}, "expected_growth"),
        ({}, {}, "no students"),
        ({"a": {1: 3, "b": 4}}, {}, "comparable"),
    ],
)
def test_it_rejects_bad_input_with_a_plain_message(
    scores: dict[str, object], kwargs: dict[str, object], words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        student_growth(scores, **kwargs)  # type: ignore[arg-type]


def test_it_serialises_the_summary() -> None:
    r = student_growth({"a": [1, 2], "b": [None, 2]})
    data = json.loads(json.dumps(r.to_dict()))
    assert data["without_growth"] == ["b"]
    assert data["students"][0]["change"] == 1.0
