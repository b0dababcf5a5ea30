"""The run-chart rules behave as Anhøj and Olesen define them (docs/analysis.md section 1),
on constructed series."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uptake.analysis import ihi_rules, runs_analysis, runs_by_part


def test_it_treats_a_run_equal_to_the_limit_as_no_signal() -> None:
    # 10 useful points: longest_run_max = round(log2(10)) + 3 = 6, n_crossings_min = 2.
    r = runs_analysis([0, 0, 0, 0, 0, 0, 2, 0, 2, 2], centre=1)
    assert (r.longest_run, r.longest_run_max, r.n_crossings, r.n_crossings_min) == (6, 6, 3, 2)
    assert not r.signal
    r = runs_analysis([0, 0, 0, 0, 0, 0, 0, 2, 0, 2], centre=1)
    assert r.longest_run == 7 and r.signal


def test_it_treats_crossings_equal_to_the_minimum_as_no_signal() -> None:
    # 10 useful points, 2 crossings (minimum 2): no signal; 1 crossing: signal.
    assert not runs_analysis([0, 0, 0, 2, 2, 2, 2, 0, 0, 0], centre=1).signal
    r = runs_analysis([0, 0, 0, 0, 0, 2, 2, 2, 2, 2], centre=1)
    assert r.n_crossings == 1 and r.crossings_signal


def test_it_skips_points_on_the_centre_line_and_missing_points() -> None:
    r = runs_analysis([0, 1, 0, None, 0, float("nan"), 1, 0], centre=1)
    assert (r.n_obs, r.n_useful, r.longest_run, r.n_crossings) == (8, 4, 4, 0)
    assert r.longest_run_points == (0, 2, 4, 7)


def test_it_says_there_is_no_variation_when_all_values_are_equal() -> None:
    r = runs_analysis([3, 3, 3, 3])
    assert r.n_useful == 0 and r.longest_run is None and not r.signal


def test_it_freezes_the_median_at_the_baseline() -> None:
    r = runs_analysis([1, 2, 3, 4, 10, 11, 12, 13], baseline_n=4)
    assert r.centre == 2.5 and r.longest_run == 6 and r.baseline_n == 4


def test_it_splits_into_independent_parts_only_when_asked() -> None:
    y = [1, 2, 3, 2, 1, 10, 11, 12, 11, 10]
    assert runs_analysis(y).centre == 6.5
    first, second = runs_by_part(y, breaks=[5])
    assert (first.centre, second.centre) == (2, 11)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["a", 1], "Point 1"),
        ([1, math.inf], "infinite"),
        ([], "no values"),
    ],
)
def test_it_explains_bad_values(values: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        runs_analysis(values)


def test_it_rejects_a_baseline_longer_than_the_series() -> None:
    with pytest.raises(ValueError, match="between 1 and 3"):
        runs_analysis([1, 2, 3], baseline_n=4)


def test_it_counts_an_ihi_shift_from_six_points_skipping_the_median() -> None:
    # median 5; six points above with a point on the median in between.
    r = ihi_rules([4, 4, 5, 4, 6, 6, 5, 6, 6, 6, 6, 4, 5, 4])
    assert r.centre == 5 and r.longest_shift == 6 and r.shift
    assert not ihi_rules([4, 6, 6, 6, 6, 6, 4, 4, 6, 4]).shift  # five is not a shift


def test_it_collapses_equal_values_in_an_ihi_trend() -> None:
    # 1 2 2 3 4 5: after collapsing the tie, five points rise.
    r = ihi_rules([1, 2, 2, 3, 4, 5, 1])
    assert r.longest_trend == 5 and r.trend
    assert r.trend_points == (0, 1, 3, 4, 5)
    # Missing values are dropped, so they do not break a trend either.
    assert ihi_rules([5, 4, None, 3, 2, 1]).longest_trend == 5
    assert not ihi_rules([1, 2, 3, 4, 4, 3]).trend


def test_it_offers_the_ihi_runs_test_only_from_ten_useful_points() -> None:
    short = ihi_rules([1, 3, 1, 3, 1, 3, 1, 3, 1])
    assert short.runs_lower is None and not short.too_many_runs
    # 10 alternating points: 10 runs > upper limit 9 (Swed-Eisenhart, n1 = n2 = 5).
    many = ihi_rules([1, 3] * 5)
    assert (many.n_runs, many.runs_upper, many.too_many_runs) == (10, 9, True)


def test_it_uses_points_outside_the_xmr_limits_as_the_astronomical_proxy() -> None:
    # Baseline 10, 11, 10, 11, ...: mean 10.5, AMR 1, limits 10.5 +/- 2.66.
    y = [10, 11] * 5 + [14]
    assert ihi_rules(y, baseline_n=10).astronomical == (10,)
    assert ihi_rules([10, 11] * 5 + [13], baseline_n=10).astronomical == ()


series = st.lists(st.one_of(st.none(), st.integers(-50, 50)), min_size=1, max_size=40)


@given(series, st.integers(-1000, 1000))
def test_it_is_unchanged_by_adding_a_constant(values: list, shift: int) -> None:
    moved = [None if v is None else v + shift for v in values]
    a, b = runs_analysis(values), runs_analysis(moved)
    keys = ("n_obs", "n_useful", "longest_run", "longest_run_max", "n_crossings",
            "n_crossings_min", "signal", "longest_run_points")
    assert [getattr(a, k) for k in keys] == [getattr(b, k) for k in keys]
    ia, ib = ihi_rules(values), ihi_rules(moved)
    assert ia.to_dict() | {"centre": None} == ib.to_dict() | {"centre": None}
