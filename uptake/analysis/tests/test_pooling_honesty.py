"""Pooling says what it can and cannot show, and refuses what it should not compute."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uptake.analysis.pooling import (
    FEW_FOR_TAU2,
    MIN_POOLED_K,
    NOT_CAUSAL,
    pool,
    standardized_mean_change,
    standardized_mean_change_from_stats,
    why_not_pooled,
)

effect_values = st.floats(min_value=-3, max_value=3, allow_nan=False)
variances = st.floats(min_value=1e-3, max_value=2, allow_nan=False)


@given(
    effect=effect_values,
    vs=st.lists(variances, min_size=MIN_POOLED_K, max_size=30),
    method=st.sampled_from(["DL", "PM", "REML"]),
)
def test_pooling_identical_effects_gives_that_effect_with_no_heterogeneity(
    effect: float, vs: list[float], method: str
) -> None:
    p = pool([(effect, v) for v in vs], method=method)  # type: ignore[arg-type]
    assert p is not None
    assert p.estimate == pytest.approx(effect, abs=1e-9)
    assert p.tau2 == 0
    assert p.i2 == 0
    assert p.q == pytest.approx(0, abs=1e-9)
    # With no heterogeneity the prediction interval is the confidence interval (metafor).
    assert (p.pi_low, p.pi_high) == pytest.approx((p.ci_low, p.ci_high))
    assert "about as alike as chance allows" in p.plainly


@given(st.lists(st.tuples(effect_values, variances), min_size=MIN_POOLED_K, max_size=20))
def test_the_pooled_estimate_lies_among_the_effects_and_the_intervals_nest(
    effects: list[tuple[float, float]],
) -> None:
    for method in ("DL", "PM", "REML"):
        p = pool(effects, method=method)
        assert p is not None
        ys = [y for y, _ in effects]
        assert min(ys) - 1e-9 <= p.estimate <= max(ys) + 1e-9
        assert p.tau2 >= 0
        assert 0 <= p.i2 < 1
        assert p.pi_low <= p.ci_low <= p.estimate <= p.ci_high <= p.pi_high


@pytest.mark.parametrize("k", [0, 1, 2])
def test_fewer_than_three_classrooms_are_not_pooled_and_it_says_why(k: int) -> None:
    assert pool([(0.3, 0.05)] * k) is None
    reason = why_not_pooled(k)
    assert reason is not None
    assert ("at least 3" in reason) if k else reason.startswith("No classroom")
    assert why_not_pooled(MIN_POOLED_K) is None


def test_missing_effects_are_left_out_and_counted_before_the_minimum_applies() -> None:
    assert pool([(0.3, 0.05), (None, 0.04), (0.5, None), (0.1, 0.02)]) is None
    p = pool([(0.3, 0.05), (None, 0.04), (0.2, 0.03), (float("nan"), 0.1), (0.1, 0.02)])
    assert p is not None and (p.k, p.n_dropped) == (3, 2)


def test_few_classrooms_say_the_spread_is_poorly_estimated() -> None:
    few = pool([(0.1, 0.02), (0.5, 0.02), (0.9, 0.02)])
    many = pool([(0.1, 0.02), (0.5, 0.02), (0.9, 0.02), (0.3, 0.02), (0.7, 0.02)])
    assert few is not None and many is not None
    assert few.tau2_poorly_estimated and few.k < FEW_FOR_TAU2
    assert "poorly estimated" in few.plainly
    assert not many.tau2_poorly_estimated
    assert "poorly estimated" not in many.plainly


def test_the_plain_words_follow_the_heterogeneity_and_never_claim_a_cause() -> None:
    alike = pool([(0.30, 0.04), (0.32, 0.04), (0.28, 0.04), (0.31, 0.04), (0.29, 0.04)])
    moderate = pool([(0.0, 0.04), (0.3, 0.04), (0.7, 0.04), (0.2, 0.04), (0.5, 0.04)])
    apart = pool([(-0.5, 0.01), (0.9, 0.01), (0.2, 0.01), (1.4, 0.01), (0.0, 0.01)])
    assert alike is not None and moderate is not None and apart is not None
    assert alike.i2 < 0.25 and 0.25 <= moderate.i2 <= 0.75 and apart.i2 > 0.75
    assert "about as alike as chance allows" in alike.plainly
    assert "differ moderately" in moderate.plainly
    assert "average hides real differences; look at the classrooms" in apart.plainly
    for p in (alike, moderate, apart):
        assert p.plainly.endswith(NOT_CAUSAL)
        assert "prediction interval" in p.plainly
        assert "caused" not in p.plainly.replace(NOT_CAUSAL, "")


def test_the_prediction_interval_is_stated_in_the_words() -> None:
    p = pool([(-0.5, 0.01), (0.9, 0.01), (0.2, 0.01), (1.4, 0.01), (0.0, 0.01)])
    assert p is not None
    low = f"{p.pi_low:.2f}".replace("-", "\u2212")
    assert f"anywhere from {low} to {p.pi_high:.2f}" in p.plainly
    assert p.pi_low == pytest.approx(p.estimate - 1.959964 * math.sqrt(p.tau2 + p.se**2))


def test_bad_effects_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="greater than 0"):
        pool([(0.1, 0.0), (0.2, 0.1), (0.3, 0.1)])
    with pytest.raises(ValueError, match="finite"):
        pool([(math.inf, 0.1), (0.2, 0.1), (0.3, 0.1)])
    with pytest.raises(ValueError, match="method"):
        pool([(0.1, 0.1)] * 3, method="HS")  # type: ignore[arg-type]


def test_a_class_too_small_or_without_spread_has_no_effect_and_says_why() -> None:
    small = standardized_mean_change([1, 2, None], [2, 3, 4])
    assert not small.computed and small.yi is None and small.vi is None
    assert (small.n, small.n_dropped) == (2, 1)
    assert "at least 3 students" in small.reason and "missing" in small.reason

    flat_before = standardized_mean_change([5, 5, 5, 5], [5, 6, 7, 8])
    assert flat_before.yi is None and "same before score" in flat_before.reason

    flat_after = standardized_mean_change([1, 2, 3, 4], [9, 9, 9, 9])
    assert flat_after.yi is None and "same after score" in flat_after.reason

    fine = standardized_mean_change([1, 2, None, 3, 4], [2, 4, 5, 3, 6])
    assert fine.computed and fine.reason == "" and (fine.n, fine.n_dropped) == (4, 1)


def test_unpaired_scores_are_refused() -> None:
    with pytest.raises(ValueError, match="pairs"):
        standardized_mean_change([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="before SD"):
        standardized_mean_change_from_stats(1, 2, 0, 10, 0.5)


def test_a_fall_gives_a_negative_effect() -> None:
    e = standardized_mean_change([10, 12, 14, 16], [9, 10, 13, 14])
    assert e.yi is not None and e.yi < 0
    assert e.ci_low is not None and e.ci_high is not None and e.ci_low < e.yi < e.ci_high


def _generalized_q(effects: list[tuple[float, float]], tau2: float) -> float:
    w = [1 / (v + tau2) for _, v in effects]
    mu = sum(wi * y for wi, (y, _) in zip(w, effects, strict=True)) / sum(w)
    return sum(wi * (y - mu) ** 2 for wi, (y, _) in zip(w, effects, strict=True))


@given(st.lists(st.tuples(effect_values, variances), min_size=MIN_POOLED_K, max_size=20))
def test_paule_mandel_solves_its_estimating_equation(effects: list[tuple[float, float]]) -> None:
    # Paule & Mandel (1982): tau2 makes the generalized Q equal its expectation k - 1,
    # or is 0 when even tau2 = 0 leaves Q below it.
    p = pool(effects, method="PM")
    assert p is not None
    k = len(effects)
    if p.tau2 > 0:
        assert _generalized_q(effects, p.tau2) == pytest.approx(k - 1, abs=1e-6)
    else:
        assert _generalized_q(effects, 0.0) <= k - 1 + 1e-9


def test_paule_mandel_is_finished_by_bisection_when_statsmodels_stops_short(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from statsmodels.stats import meta_analysis

    real = meta_analysis.combine_effects

    def stopped_short(*args: object, **kwargs: object) -> object:
        fit = real(*args, **kwargs)
        fit.tau2 = fit.tau2 / 3  # as if the Newton steps ended early
        return fit

    monkeypatch.setattr(meta_analysis, "combine_effects", stopped_short)
    effects = [(-0.5, 0.01), (0.9, 0.01), (0.2, 0.02), (1.4, 0.01), (0.0, 0.03)]
    p = pool(effects, method="PM")
    assert p is not None and p.tau2 > 0
    assert _generalized_q(effects, p.tau2) == pytest.approx(len(effects) - 1, abs=1e-6)


@given(st.lists(st.tuples(effect_values, variances), min_size=MIN_POOLED_K, max_size=20))
def test_reml_sits_where_the_restricted_likelihood_is_flat_or_at_zero(
    effects: list[tuple[float, float]],
) -> None:
    # The REML score (Viechtbauer 2005, eq. 9, one intercept):
    # Σw²(y - μ)² - (Σw - Σw²/Σw), w = 1/(v + tau2); zero at an interior maximum,
    # not above zero when the maximum is at tau2 = 0.
    # Its terms are of the order of Σw², so that is the scale of the tolerance.
    def score(tau2: float) -> tuple[float, float]:
        w = [1 / (v + tau2) for _, v in effects]
        sw = sum(w)
        mu = sum(wi * y for wi, (y, _) in zip(w, effects, strict=True)) / sw
        sw2 = sum(wi * wi for wi in w)
        fit = sum(wi * wi * (y - mu) ** 2 for wi, (y, _) in zip(w, effects, strict=True))
        return fit - (sw - sw2 / sw), sw2

    p = pool(effects, method="REML")
    assert p is not None
    value, scale = score(p.tau2)
    if p.tau2 > 0:
        assert value == pytest.approx(0, abs=1e-6 * scale)
    else:
        assert value <= 1e-9 * scale
