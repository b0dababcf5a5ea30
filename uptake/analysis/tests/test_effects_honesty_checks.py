"""The honesty checks: what the product refuses to claim, and how it says so."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import subprocess
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from uptake.analysis import effects
from uptake.analysis.effects import (
    ATTRITION_BOUNDARIES,
    attrition,
    baseline_equivalence,
    cluster_correction,
    cox_index,
    did_effect_size,
    hedges_g,
    hedges_g_from_stats,
    minimum_detectable_effect,
    paired_change,
)


@pytest.mark.parametrize(
    ("g", "status", "may_report"),
    [
        # WWC: |g| <= 0.05 satisfied; 0.05 < |g| <= 0.25 needs adjustment; > 0.25 not satisfied.
        (0.0, "satisfied", True),
        (0.05, "satisfied", True),
        (-0.05, "satisfied", True),
        (0.0500001, "requires_adjustment", True),
        (0.25, "requires_adjustment", True),
        (-0.25, "requires_adjustment", True),
        (0.2500001, "not_satisfied", False),
        (-0.9, "not_satisfied", False),
    ],
)
def test_it_applies_the_baseline_equivalence_bands_inclusively(
    g: float, status: str, may_report: bool
) -> None:
    r = baseline_equivalence(g)
    assert r.status == status
    assert r.may_report_effect is may_report


def test_it_treats_a_computed_g_of_exactly_the_boundary_as_inside() -> None:
    # 0.1 + 0.15 is 0.25000000000000006 in binary floating point.
    assert baseline_equivalence(0.1 + 0.15).status == "requires_adjustment"


def test_it_explains_why_no_effect_may_be_reported() -> None:
    message = baseline_equivalence(0.3).message
    assert "0.30" in message and "no effect size may be reported" in message


@pytest.mark.parametrize(("p_t", "p_c"), [(1.0, 0.4), (0.5, 0.0), (0.0, 1.0)])
def test_it_refuses_a_cox_index_at_zero_or_one(p_t: float, p_c: float) -> None:
    r = cox_index(p_t, p_c, 20, 20)
    assert r.defined is False
    assert r.index is None and r.se is None and r.improvement_index is None
    assert r.confidence_interval() is None
    assert "undefined" in r.reason and "No adjustment" in r.reason


def test_it_can_turn_the_cox_omega_correction_off() -> None:
    on = cox_index(0.7, 0.5, 20, 20)
    off = cox_index(0.7, 0.5, 20, 20, correction=False)
    assert on.correction and not off.correction
    assert off.omega == 1.0
    assert on.index == pytest.approx(off.index * (1 - 3 / (4 * 40 - 9)))  # type: ignore[operator]


def test_it_drops_and_counts_pairs_with_a_missing_side() -> None:
    r = paired_change([1, 2, None, 4, 5, math.nan], [2, 3, 9, None, 7, 8], seed=3)
    assert r.n == 3
    assert r.n_dropped == 3
    assert r.mean_difference == pytest.approx((1 + 1 + 2) / 3)


def test_it_gives_the_same_bootstrap_interval_for_the_same_seed() -> None:
    pre = [50, 55, 61, 48, 70, 66, 58, 52, 49, 63]
    post = [54, 59, 60, 55, 74, 70, 57, 60, 55, 64]
    first = paired_change(pre, post, seed=42).bootstrap_interval()
    again = paired_change(pre, post, seed=42).bootstrap_interval()
    assert first == again
    assert first is not None
    low, high = first
    mean = paired_change(pre, post, seed=42).mean_difference
    assert low < mean < high


def test_it_skips_the_bootstrap_when_every_change_is_the_same() -> None:
    r = paired_change([1, 2, 3], [2, 3, 4], seed=1)
    assert r.bootstrap_interval() is None
    assert "no variation" in r.bootstrap_note
    assert r.d_z is None  # the SD of the changes is 0


def test_it_says_which_did_convention_it_used_and_why_there_is_no_se() -> None:
    r = did_effect_size([1, 2, 3, 4], [2, 3, 4, 6], [1, 2, 3, 5], [1, 3, 3, 5])
    assert r.convention == "g_post_minus_g_pre"
    assert "same students" in r.note
    assert r.to_dict()["convention"] == "g_post_minus_g_pre"


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: hedges_g([1], [1, 2]), "at least two students"),
        (lambda: hedges_g([3, 3], [3, 3]), "no spread"),
        (lambda: hedges_g(["a", 2], [1, 2]), "not a number"),  # type: ignore[list-item]
        (lambda: hedges_g_from_stats(1, -1, 10, 0, 1, 10), "standard deviation"),
        (lambda: cox_index(1.2, 0.5, 10, 10), "between 0 and 1"),
        (lambda: attrition(10, 11, 10, 10), "only 10 were randomised"),
        (lambda: attrition(10, 8, 10, 8, boundary="lenient"), "'cautious', 'optimistic'"),
        (lambda: did_effect_size([1, 2], [1, 2], [1, 2], [1, 3], convention="x"), "convention"),
        (lambda: paired_change([1, 2, 3], [1, 2]), "pairs"),
        (lambda: paired_change([1, None], [None, 2]), "At least two students"),
        (lambda: minimum_detectable_effect(25, design="cluster"), "'paired', 'two_group'"),
        (lambda: cluster_correction(0.2, 20, 20, 30, 2), "more classes than students"),
        (lambda: cluster_correction(0.2, 20, 20, 2, 2, icc=1.5), "intraclass correlation"),
        (lambda: effects.fixed_effect_pool([0.1], [0.0]), "greater than 0"),
        (lambda: effects.benjamini_hochberg([0.2, 1.3]), "between 0 and 1"),
    ],
)
def test_it_rejects_bad_input_with_a_plain_message(call: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        call()  # type: ignore[operator]


def test_it_encodes_the_wwc_boundary_table_rows() -> None:
    # WWC Procedures and Standards Handbook v5.0 attrition table (same as
    # Standards Handbook v4.1 Table II.1), as transcribed in the baselinr R
    # package's .wwc_attrition_table(): spot rows, in percentage points.
    cautious = ATTRITION_BOUNDARIES["cautious"]
    optimistic = ATTRITION_BOUNDARIES["optimistic"]
    assert len(cautious) == 58 and len(optimistic) == 66
    assert (cautious[0], optimistic[0]) == (5.7, 10.0)
    assert (cautious[10], optimistic[10]) == (6.3, 10.9)
    assert (cautious[20], optimistic[20]) == (5.4, 10.0)
    assert (cautious[30], optimistic[30]) == (4.1, 8.2)
    assert (cautious[57], optimistic[57]) == (0.0, 2.1)
    assert optimistic[65] == 0.3
    # Both columns fall steadily once past their peak.
    assert all(a >= b for a, b in itertools.pairwise(cautious[10:]))
    assert all(a >= b for a, b in itertools.pairwise(optimistic[12:]))


def test_it_counts_the_boundary_itself_as_low_attrition() -> None:
    # 0 % overall is impossible with a differential; use 200/200 randomised:
    # treated loses 20 (10 %), comparison loses 0 -> overall 5 %, differential 10 points.
    at_edge = attrition(200, 180, 200, 200, boundary="optimistic")
    assert at_edge.overall == pytest.approx(0.05)
    assert at_edge.max_differential == 10.5
    assert at_edge.rating == "low"
    assert attrition(200, 180, 200, 200).rating == "high"  # cautious 6.1
    # 17 % and 11 % lost of 100 each: overall exactly 14 %, differential exactly
    # 6 points, which is the cautious row-14 boundary ("highest ... to maintain low").
    on_line = attrition(100, 83, 100, 89)
    assert on_line.max_differential == 6.0
    assert on_line.rating == "low"


def test_it_rates_attrition_beyond_the_table_as_high() -> None:
    r = attrition(100, 30, 100, 30, boundary="optimistic")  # 70 % overall, 0 differential
    assert r.rating == "high"
    assert r.max_differential is None
    assert "beyond" in r.message


def test_it_returns_frozen_results_that_serialise_to_json() -> None:
    results = [
        hedges_g([1, 2, 3, 5], [1, 2, 2, 3]),
        baseline_equivalence(0.1),
        cox_index(0.6, 0.4, 30, 30),
        paired_change([1, 2, 3, 5], [2, 4, 3, 7], seed=1),
        attrition(40, 30, 48, 40),
        cluster_correction(0.3, 60, 60, 3, 3),
        effects.comparison_design(
            [1, 2, 3, 4], [2, 4, 5, 6], [1, 2, 3, 4], [1, 3, 3, 5], clusters_t=2, clusters_c=2
        ),
        minimum_detectable_effect(25),
        effects.fixed_effect_pool([0.1, 0.3], [0.1, 0.2]),
        effects.benjamini_hochberg([0.01, 0.2]),
        did_effect_size([1, 2, 3, 4], [2, 3, 4, 6], [1, 2, 3, 5], [1, 3, 3, 5]),
    ]
    for result in results:
        assert dataclasses.is_dataclass(result)
        with pytest.raises(dataclasses.FrozenInstanceError):
            result.n = 3
        json.dumps(result.to_dict())


def test_it_never_imports_django() -> None:
    code = (
        "import sys; import uptake.analysis.effects, uptake.analysis.suppression, "
        "uptake.analysis.growth; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_it_states_what_each_design_may_and_must_not_claim() -> None:
    # docs/analysis-effects.md section 1 table.
    one_class = effects.claims_for("one_class_pre_post")
    assert "a d_z presented as comparable to a WWC g" in one_class.must_not
    assert any("caused" in text for text in one_class.must_not)
    assert effects.claims_for("comparison_not_randomised").must_not == (
        "a g when abs(g_pre) > 0.25",
    )
    assert any("clustering" in text for text in effects.claims_for("randomised").must_not)
    with pytest.raises(ValueError, match="design"):
        effects.claims_for("anecdote")


def test_it_warns_that_a_paired_d_z_is_not_a_wwc_g() -> None:
    r = paired_change([1, 2, 3, 5], [2, 4, 3, 7], seed=1)
    assert "not comparable" in r.note and "caused" in r.note


@settings(max_examples=60, deadline=None)
@given(
    treated=st.lists(st.integers(0, 100), min_size=2, max_size=30),
    comparison=st.lists(st.integers(0, 100), min_size=2, max_size=30),
    shift=st.integers(-50, 50),
)
def test_it_gives_g_that_flips_sign_with_the_groups_and_ignores_a_common_shift(
    treated: list[int], comparison: list[int], shift: int
) -> None:
    assume(len(set(treated)) > 1 or len(set(comparison)) > 1)
    forward = hedges_g(treated, comparison)
    backward = hedges_g(comparison, treated)
    shifted = hedges_g([v + shift for v in treated], [v + shift for v in comparison])
    assert backward.g == pytest.approx(-forward.g, abs=1e-9)
    assert backward.se == pytest.approx(forward.se, abs=1e-9)
    assert shifted.g == pytest.approx(forward.g, abs=1e-9)
    assert baseline_equivalence(forward.g).status == baseline_equivalence(backward.g).status
