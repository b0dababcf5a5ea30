"""The verdict names change or improvement honestly (docs/analysis.md section 4)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uptake.analysis import ihi_rules, verdict
from uptake.analysis.verdict import MIN_BASELINE, min_followup

BASELINE = [60, 64, 61, 63, 59, 62, 65, 58, 62, 61, 63, 60]  # median 61.5
CAUSAL = re.compile(r"\b(caus\w*|because|due to|led to|result of|thanks to|impact)\b", re.I)


def test_it_calls_a_lasting_run_after_the_change_a_sustained_improvement() -> None:
    v = verdict([*BASELINE, 66, 67, 65, 68, 70, 66, 69, 67, 68, 70], baseline_n=12)
    assert v.label == "sustained_improvement"
    assert "The last 10 points (points 13 to 22) are all above the baseline median of 61.5" \
        in v.reason
    # 22 useful points: longest_run_max = round(log2(22)) + 3 = 7.
    assert "With 22 useful points, a run longer than 7 is unlikely by chance" in v.reason
    assert v.evidence[-1].rule == "anhoej_run"
    assert v.evidence[-1].points == tuple(range(12, 22))


def test_it_calls_a_run_that_ended_a_change_not_sustained() -> None:
    v = verdict([*BASELINE, 66, 67, 65, 68, 70, 66, 69, 67, 68, 70, 60, 59], baseline_n=12)
    assert v.label == "change_not_sustained"
    assert "10 points in a row (points 13 to 22)" in v.reason
    assert "most recent 2 points are no longer part of that run" in v.reason


def test_it_calls_isolated_points_beyond_the_limits_a_change_not_sustained() -> None:
    follow = [62, 60, 75, 61, 63, 59, 62, 60, 63, 61]
    v = verdict(BASELINE + follow, baseline_n=12, chart="i")
    assert v.label == "change_not_sustained"
    assert "Point 15 is above the upper control limit" in v.reason


def test_it_says_got_worse_for_a_run_in_the_undesired_direction() -> None:
    v = verdict([*BASELINE, 66, 67, 65, 68, 70, 66, 69, 67, 68, 70], baseline_n=12,
                direction="down")
    assert v.label == "got_worse"
    assert "higher is worse" in v.reason and "above the baseline median of 61.5" in v.reason


def test_it_says_no_signal_with_the_numbers_and_the_honesty_note() -> None:
    v = verdict([*BASELINE, 62, 60, 63, 61, 64, 59, 62, 60, 63, 61], baseline_n=12)
    assert v.label == "no_signal"
    assert "the longest run is 2 (longer than 7 would be a signal)" in v.reason
    assert "No signal is not proof of no effect" in v.reason and "d_z = 0.58" in v.reason


def test_it_says_not_enough_data_with_what_is_needed() -> None:
    v = verdict([60, 62, 61, 63, 59, 70, 71, 72, 73, 74, 75, 76, 77, 78], baseline_n=5)
    assert v.label == "not_enough_data"
    assert f"The baseline has 5 points; at least {MIN_BASELINE} are needed" in v.reason
    v = verdict([*BASELINE, 70, 71, 72], baseline_n=12)
    assert v.label == "not_enough_data"
    assert "There are 3 points after the baseline; at least 8 are needed" in v.reason


def test_it_needs_enough_follow_up_for_a_run_to_beat_the_limit() -> None:
    # With 20 baseline points a run must exceed round(log2(29)) + 3 = 8, so 9 are needed.
    assert min_followup(8) == 8 and min_followup(20) == 9
    base = [60, 64] * 10
    assert verdict(base + [70] * 8, baseline_n=20).label == "not_enough_data"
    assert verdict(base + [70] * 9, baseline_n=20).label == "sustained_improvement"


def test_it_only_counts_runs_that_start_after_the_baseline() -> None:
    # The baseline ends with six points above its median; three more follow, then noise.
    base = [55, 56, 54, 57, 55, 56, 66, 67, 65, 68, 66, 67]
    v = verdict([*base, 66, 67, 65, 58, 66, 57, 65, 58, 66, 57], baseline_n=12)
    assert v.label == "no_signal"
    assert v.runs is not None and v.runs.longest_run == 9 and v.runs.signal


def test_it_never_lets_the_ihi_trend_rule_decide_alone() -> None:
    base = [4, 6] * 5
    follow = [3, 4, 6, 7, 8, 3, 7, 4]
    assert ihi_rules(base + follow, baseline_n=10).trend
    assert verdict(base + follow, baseline_n=10, rules="ihi").label == "no_signal"


def test_it_uses_the_ihi_shift_when_asked() -> None:
    v = verdict([*BASELINE, 66, 67, 65, 68, 70, 66, 69, 67], baseline_n=12, rules="ihi")
    assert v.label == "sustained_improvement"
    assert "6 or more points in a row" in v.reason


def test_it_judges_proportions_with_a_p_chart() -> None:
    n = [25] * 20
    k = [10, 12, 11, 9, 13, 10, 12, 11, 10, 12, 18, 19, 17, 20, 18, 19, 18, 20, 19, 18]
    v = verdict(chart="p", numerators=k, denominators=n, baseline_n=10)
    assert v.label == "sustained_improvement"
    assert "baseline centre line of 44 %" in v.reason


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"chart": "xbar"}, "Unknown chart"),
        ({"rules": "ihi", "chart": "i"}, "run charts"),
        ({"rules": "mdc"}, "need control limits"),
        ({"baseline_n": 30}, "between 1 and 20"),
    ],
)
def test_it_explains_bad_options(kwargs: dict, message: str) -> None:
    options = {"baseline_n": 10} | kwargs
    with pytest.raises(ValueError, match=message):
        verdict(list(range(20)), **options)


values = st.lists(st.one_of(st.none(), st.integers(0, 20)), min_size=16, max_size=30)


@settings(max_examples=150, deadline=None)
@given(values, st.integers(8, 14), st.sampled_from(["run", "i"]))
def test_it_gives_the_mirrored_verdict_for_a_mirrored_series(
    ys: list, b: int, chart: str
) -> None:
    mirrored = [None if y is None else -y for y in ys]
    up = verdict(ys, baseline_n=b, chart=chart, direction="up")
    down = verdict(mirrored, baseline_n=b, chart=chart, direction="down")
    assert up.label == down.label
    assert [(e.rule, e.direction, e.points) for e in up.evidence] == \
        [(e.rule, e.direction, e.points) for e in down.evidence]
    assert not CAUSAL.search(up.reason), up.reason
