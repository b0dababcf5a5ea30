"""Control-chart limits and rule sets follow docs/analysis.md section 3 (constructed series)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from uptake.analysis import control_chart


def test_it_takes_moving_ranges_only_between_present_neighbours() -> None:
    # MRs: |12-10| = 2, gap removes |None-12| and |14-None|, |15-14| = 1 -> AMR 1.5.
    c = control_chart([10, 12, None, 14, 15], chart="i")
    assert c.amr == pytest.approx(1.5)
    assert c.centre == pytest.approx(12.75)
    assert c.ucl[0] == pytest.approx(12.75 + 2.66 * 1.5)


def test_it_screens_large_moving_ranges_only_on_request() -> None:
    # MRs: nine of 1, then 30 and 30: AMR = 69/11 = 6.27; 3.267 * AMR = 20.5 drops the 30s.
    y = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 41, 11]
    assert control_chart(y).amr == pytest.approx(69 / 11)
    screened = control_chart(y, screen=True)
    assert screened.amr == pytest.approx(1.0) and screened.screened


def test_it_draws_the_mr_chart_with_a_3_267_upper_limit() -> None:
    c = control_chart([10, 12, 11, 13], chart="mr")
    assert c.values == (None, 2, 1, 2)
    assert c.centre == pytest.approx(5 / 3)
    assert c.ucl[1] == pytest.approx(3.267 * 5 / 3) and c.lcl[1] == 0


def test_it_pools_the_p_chart_centre_and_clamps_limits() -> None:
    # 1/2 and 9/10 pooled: 10/12, not the mean of 0.5 and 0.9.
    c = control_chart(chart="p", numerators=[1, 9], denominators=[2, 10])
    assert c.centre == pytest.approx(10 / 12)
    assert c.ucl == (1.0, 1.0)
    assert c.lcl[0] == pytest.approx(10 / 12 - 3 * (10 / 12 * 2 / 12 / 2) ** 0.5)
    low = control_chart(chart="p", numerators=[1, 0], denominators=[10, 10])
    assert low.lcl == (0.0, 0.0)


def test_it_treats_a_zero_denominator_as_a_missing_point() -> None:
    c = control_chart(chart="p", numerators=[1, 0, 3], denominators=[4, 0, 4])
    assert c.values[1] is None and c.centre == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"chart": "p", "numerators": [5], "denominators": [4]}, "larger than the denominator"),
        ({"chart": "p", "numerators": [-1], "denominators": [4]}, "negative"),
        ({"chart": "p", "numerators": [1, 2], "denominators": [4]}, "pair up"),
        ({"chart": "p", "values": [1, 2]}, "numerators and denominators"),
        ({"chart": "c", "values": [1, -2]}, "negative"),
        ({"chart": "x", "values": [1, 2]}, "Unknown chart"),
        ({"values": [1, 2], "rules": "bogus"}, "Unknown rule set"),
    ],
)
def test_it_explains_bad_input(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        control_chart(**kwargs)


def test_it_computes_u_limits_that_vary_with_exposure() -> None:
    c = control_chart(chart="u", numerators=[2, 4], denominators=[1, 4])
    # u-bar = 6/5 = 1.2; limits 1.2 +/- 3 sqrt(1.2 / n_i), LCL clamped at 0.
    assert c.ucl[0] == pytest.approx(1.2 + 3 * (1.2 / 1) ** 0.5)
    assert c.ucl[1] == pytest.approx(1.2 + 3 * (1.2 / 4) ** 0.5)
    assert c.lcl == (0.0, 0.0)


def test_it_flags_points_strictly_beyond_the_limits() -> None:
    # Baseline 10, 12 alternating: mean 11, AMR 2, UCL 11 + 5.32 = 16.32.
    y = [10, 12] * 5 + [16.32, 16.33]
    c = control_chart(y, baseline_n=10)
    assert c.outside == (11,)
    assert [s.rule for s in c.signals] == ["outside_limits"]


BASE = [12, 10] * 5  # mean 11, AMR 2, sigma = 2.66 * 2 / 3 = 1.7733


def rules_fired(extra: Sequence[float], rules: str) -> dict[str, tuple[int, ...]]:
    c = control_chart([*BASE, *extra], baseline_n=10, rules=rules)
    return {s.rule: s.points for s in c.signals}


def test_it_applies_the_making_data_count_rules() -> None:
    # 7 points above the mean (a shift); 6 are not enough.
    assert rules_fired([12] * 7, "mdc")["mdc_shift"] == tuple(range(10, 17))
    assert "mdc_shift" not in rules_fired([12] * 6 + [10], "mdc")
    # 7 rising points (6 steps) is a trend; a tie breaks it (NHSRplotthedots).
    assert "mdc_trend" in rules_fired([10.1, 10.2, 10.3, 10.4, 10.5, 10.6, 10.7], "mdc")
    assert "mdc_trend" not in rules_fired([10.1, 10.2, 10.3, 10.3, 10.5, 10.6, 10.7], "mdc")
    # 2 of 3 beyond 2 sigma (> 14.547), all three on the same side.
    fired = rules_fired([15, 11.5, 15, 10], "mdc")
    assert fired["two_of_three"] == (10, 12)
    assert "two_of_three" not in rules_fired([15, 10, 15, 10], "mdc")
    # A point beyond the limit (> 16.32) is flagged on its own, not as "close to the limits".
    fired = rules_fired([17, 11.5, 15, 10], "mdc")
    assert fired["outside_limits"] == (10,) and "two_of_three" not in fired


def test_it_applies_the_western_electric_rules() -> None:
    # 4 of 5 beyond 1 sigma (> 12.773) on the same side.
    assert rules_fired([13, 13, 11, 13, 13], "we")["four_of_five"] == (10, 11, 13, 14)
    assert rules_fired([12] * 8, "we")["we_shift"] == tuple(range(10, 18))
    assert "we_shift" not in rules_fired([12] * 7, "we")


def test_it_applies_the_nelson_rules() -> None:
    assert "nelson_shift" in rules_fired([12] * 9, "nelson")
    assert "nelson_shift" not in rules_fired([12] * 8, "nelson")
    assert "nelson_trend" in rules_fired([10, 10.2, 10.4, 10.6, 10.8, 11], "nelson")
    assert "nelson_alternating" in rules_fired([10.5, 11.5] * 7, "nelson")
    assert "nelson_alternating" not in rules_fired([10.5, 11.5] * 6 + [10.5], "nelson")
    assert "nelson_hugging" in rules_fired([11.2, 10.8] * 8, "nelson")
    assert "nelson_mixture" in rules_fired([13, 9] * 4, "nelson")
