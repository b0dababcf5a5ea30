"""The comparison design: classes trying the change against comparison classes.

Expected values were computed outside this code base, in R 4.2.2 (Debian bookworm
r-base-core), with the WWC Procedures Handbook v4.1 formulas quoted in each comment
(appendix E for g, its SE and the improvement index; appendix F, F.1.0, for the
clustering correction with t derived from g with the g^2/2N term in its SE).
"""

from __future__ import annotations

import pytest

from uptake.analysis.effects import comparison_design

# Each student's mean before and after the change: 12 students in 3 classes trying it,
# 11 in 1 comparison class.
PRE_T = [52, 48, 55, 50, 47, 53, 51, 49, 54, 46, 50, 52]
POST_T = [60, 55, 63, 58, 52, 61, 59, 56, 62, 53, 57, 60]
PRE_C = [51, 49, 53, 50, 48, 52, 47, 54, 50, 51, 51]
POST_C = [54, 51, 56, 52, 50, 55, 49, 57, 53, 54, 51]

# R:
#   gW <- function(t, c) { nt<-length(t); nc<-length(c); N<-nt+nc
#     sp <- sqrt(((nt-1)*var(t)+(nc-1)*var(c))/(N-2)); om <- 1-3/(4*N-9)
#     g <- om*(mean(t)-mean(c))/sp; c(g=g, se=om*sqrt(N/(nt*nc)+g^2/(2*N))) }
#   gW(PRE_T, PRE_C) -> g 0.01480871979;  gW(POST_T, POST_C) -> g 1.5943716652, se 0.4617498767
#   nt<-12; nc<-11; N<-23; M<-4; n<-N/M; rho<-0.2; om<-1-3/(4*N-9); g <- 1.5943716652
#   gadj <- g*sqrt(1-2*(n-1)*rho/(N-2))                                  -> 1.520535639
#   inner <- (N-2)-2*(n-1)*rho
#   spread <- (N-2)*(1-rho)^2 + n*(N-2*n)*rho^2 + 2*(N-2*n)*rho*(1-rho)
#   se <- om*sqrt((N/(nt*nc))*(1+(n-1)*rho) + gadj^2*spread/(2*(N-2)*inner)) -> 0.6071046965
#   gadj -/+ qnorm(0.975)*se                                -> 0.3306322992, 2.710438979
#   100*pnorm(gadj)-50                                                    -> 43.58117957
#   t <- g/sqrt(N/(nt*nc)+g^2/(2*N)); ta <- t*sqrt(inner/((N-2)*(1+(n-1)*rho)))
#   ta -> 2.272921332; h <- inner^2/spread -> 18.45737415; 2*pt(-abs(ta),h) -> 0.03519343963


def test_it_reports_g_after_the_change_when_the_groups_started_equivalent() -> None:
    r = comparison_design(PRE_T, POST_T, PRE_C, POST_C, clusters_t=3, clusters_c=1)
    assert r.baseline.g == pytest.approx(0.01480871979, abs=1e-9)
    assert r.equivalence.status == "satisfied"
    assert r.outcome.g == pytest.approx(1.5943716652, abs=1e-9)
    assert r.outcome.se == pytest.approx(0.4617498767, abs=1e-9)
    assert r.effect_kind == "g_post"
    assert r.effect == pytest.approx(1.520535639, abs=1e-8)
    assert r.cluster is not None and r.cluster.se == pytest.approx(0.6071046965, abs=1e-9)
    assert (r.ci_low, r.ci_high) == pytest.approx((0.3306322992, 2.710438979), abs=1e-8)
    assert r.improvement_index == pytest.approx(43.58117957, abs=1e-7)
    assert r.cluster.t_statistic == pytest.approx(2.272921332, abs=1e-8)
    assert r.cluster.df == pytest.approx(18.45737415, abs=1e-7)
    assert r.cluster.p_value == pytest.approx(0.03519343963, abs=1e-9)


def test_it_reports_the_difference_in_differences_when_adjustment_is_required() -> None:
    # One comparison student's mean before is 49, not 51:
    #   gW(PRE_T, c(51,49,53,50,48,52,47,54,50,51,49)) -> g 0.08528531334 (0.05 < g <= 0.25)
    #   1.5943716652 - 0.08528531334 -> 1.509086352; 100*pnorm(1.509086352)-50 -> 43.43616416
    pre_c = [*PRE_C[:-1], 49]
    r = comparison_design(PRE_T, POST_T, pre_c, POST_C, clusters_t=3, clusters_c=1)
    assert r.baseline.g == pytest.approx(0.08528531334, abs=1e-9)
    assert r.equivalence.status == "requires_adjustment"
    assert r.effect_kind == "difference_in_differences"
    assert r.effect == pytest.approx(1.509086352, abs=1e-8)
    assert r.improvement_index == pytest.approx(43.43616416, abs=1e-6)
    assert r.ci_low is None and r.cluster is None  # no SE: same students before and after
    assert "does not show that the change caused" in r.message


def test_it_withholds_g_when_the_groups_started_too_far_apart() -> None:
    # R: gW(PRE_T, c(51,49,53,50,48,52,47,54,50,51,49) - 3) -> g 1.249870971 (> 0.25)
    pre_c = [v - 3 for v in [*PRE_C[:-1], 49]]
    r = comparison_design(PRE_T, POST_T, pre_c, POST_C, clusters_t=3, clusters_c=1)
    assert r.baseline.g == pytest.approx(1.249870971, abs=1e-8)
    assert r.equivalence.status == "not_satisfied"
    assert r.effect is None and r.effect_kind is None and r.improvement_index is None
    assert "no effect size may be reported" in r.message


def test_it_turns_the_sign_when_lower_scores_are_better() -> None:
    up = comparison_design(PRE_T, POST_T, PRE_C, POST_C, clusters_t=3, clusters_c=1)
    down = comparison_design(
        PRE_T, POST_T, PRE_C, POST_C, clusters_t=3, clusters_c=1, direction="down"
    )
    assert down.outcome.g == pytest.approx(-up.outcome.g)
    assert down.effect == pytest.approx(-up.effect)  # type: ignore[operator]
    assert down.improvement_index == pytest.approx(-up.improvement_index)  # type: ignore[operator]
