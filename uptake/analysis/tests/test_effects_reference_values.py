"""Effect sizes agree with published worked examples and with R.

Every expected value below was produced outside this code base: a published
table or worked example, or R 4.2 (Debian bookworm: r-base-core, r-cran-boot
1.3-28.1, r-cran-metafor 3.8-1) with the script quoted in the comment.
"""

from __future__ import annotations

import math

import pytest

from uptake.analysis.effects import (
    attrition,
    benjamini_hochberg,
    cluster_correction,
    cox_index,
    did_effect_size,
    fixed_effect_pool,
    hedges_g,
    hedges_g_from_stats,
    improvement_index,
    minimum_detectable_effect,
    paired_change,
)

# R's datasets::sleep, extra by group (the paired t-test's textbook example).
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

TREATED = [12, 15, 14, 10, 18, 16, 13, 17, 11, 15, 14, 19]
COMPARISON = [11, 12, 9, 14, 10, 13, 12, 8, 11, 15, 10]


def test_it_matches_borenstein_worked_example_for_g_and_its_se() -> None:
    # Borenstein, Hedges, Higgins & Rothstein (2009), Introduction to
    # Meta-Analysis, ch. 4 worked example: means 103/100, SDs 5.5/4.5, n 50/50
    # -> S_within 5.0249, d 0.5970, J 0.9923, g 0.5924, V_g 0.0411 (SE 0.2028).
    # The book puts d² in V_d where the WWC puts g², which moves SE by < 1e-4.
    r = hedges_g_from_stats(103, 5.5, 50, 100, 4.5, 50)
    assert r.pooled_sd == pytest.approx(5.0249, abs=1e-4)
    assert r.d == pytest.approx(0.5970, abs=1e-4)
    assert r.omega == pytest.approx(0.9923, abs=1e-4)
    assert r.g == pytest.approx(0.5924, abs=1e-4)
    assert r.se == pytest.approx(0.2028, abs=2e-4)


def test_it_matches_r_for_g_from_raw_scores() -> None:
    # R:
    #   t <- c(12,15,14,10,18,16,13,17,11,15,14,19); c0 <- c(11,12,9,14,10,13,12,8,11,15,10)
    #   nt <- 12; nc <- 11; N <- 23
    #   sp <- sqrt(((nt-1)*var(t)+(nc-1)*var(c0))/(N-2)); om <- 1-3/(4*N-9)
    #   g <- om*(mean(t)-mean(c0))/sp; se <- om*sqrt(N/(nt*nc)+g^2/(2*N))
    #   -> g 1.226635301, se 0.4384767442, sp 2.464466083, d 1.272634125
    # metafor::escalc("SMD") gives yi 1.2265 (it uses the exact gamma-function
    # J, 1.3e-4 below ω here) and vi 0.2069 = se² / ω² (metafor leaves ω out
    # of the variance; the WWC formula keeps it).
    r = hedges_g(TREATED, COMPARISON)
    assert r.g == pytest.approx(1.226635301, abs=1e-8)
    assert r.se == pytest.approx(0.4384767442, abs=1e-8)
    assert r.pooled_sd == pytest.approx(2.464466083, abs=1e-8)
    assert r.d == pytest.approx(1.272634125, abs=1e-8)
    assert r.g == pytest.approx(1.2265, abs=2e-4)
    assert r.se**2 / r.omega**2 == pytest.approx(0.2069, abs=1e-4)
    low, high = r.confidence_interval()
    assert low == pytest.approx(1.226635301 - 1.959963985 * 0.4384767442, abs=1e-7)
    assert high == pytest.approx(1.226635301 + 1.959963985 * 0.4384767442, abs=1e-7)


def test_it_drops_missing_scores_and_counts_them() -> None:
    r = hedges_g([*TREATED, None, math.nan], [None, *COMPARISON])
    assert (r.n_t, r.n_c, r.n_dropped_t, r.n_dropped_c) == (12, 11, 2, 1)
    assert r.g == pytest.approx(1.226635301, abs=1e-8)


@pytest.mark.parametrize(
    ("g", "expected"),
    [
        # R: 100*pnorm(0.25)-50 -> 9.870632568; 100*pnorm(-0.4)-50 -> -15.54217416.
        # WWC handbook: g = 0.25 is about +10 percentile points.
        (0.25, 9.870632568),
        (-0.4, -15.54217416),
        (0.0, 0.0),
    ],
)
def test_it_gives_the_wwc_improvement_index(g: float, expected: float) -> None:
    assert improvement_index(g) == pytest.approx(expected, abs=1e-8)


def test_it_matches_r_for_the_cox_index() -> None:
    # R: cox <- function(pt,pc,nt,nc) (1-3/(4*(nt+nc)-9))*(qlogis(pt)-qlogis(pc))/1.65
    #    cox(0.6,0.4,50,50) -> 0.4877019668; cox(0.75,0.5,30,28) -> 0.656868334
    #    (qlogis(0.75)-qlogis(0.5))/1.65 -> 0.6658256295 (no ω)
    assert cox_index(0.6, 0.4, 50, 50).index == pytest.approx(0.4877019668, abs=1e-9)
    assert cox_index(0.75, 0.5, 30, 28).index == pytest.approx(0.656868334, abs=1e-8)
    assert cox_index(0.75, 0.5, 30, 28, correction=False).index == pytest.approx(
        0.6658256295, abs=1e-9
    )


def test_it_gives_the_cox_se_from_the_log_odds_ratio_variance() -> None:
    # R: metafor::escalc(measure="OR", ai=30, bi=20, ci=20, di=30) -> vi 0.1667
    # (1/30+1/20+1/20+1/30); Cox SE without ω = sqrt(vi)/1.65.
    r = cox_index(0.6, 0.4, 50, 50, correction=False)
    assert r.se == pytest.approx(math.sqrt(1 / 30 + 1 / 20 + 1 / 20 + 1 / 30) / 1.65, abs=1e-12)
    assert r.se == pytest.approx(math.sqrt(0.1667) / 1.65, abs=1e-4)


def test_it_matches_r_paired_t_test_on_the_sleep_data() -> None:
    # R: t.test(g2, g1, paired = TRUE) with g1/g2 = sleep$extra by group
    #   mean difference 1.58; 95 % CI 0.7001142367 2.4598857633;
    #   t 4.062127683; df 9; p 0.002832890197
    #   d <- g2-g1; mean(d)/sd(d) -> 1.284557563; mean(d)/((sd(g1)+sd(g2))/2) -> 0.8334963413
    r = paired_change(SLEEP_1, SLEEP_2, seed=20261123)
    assert r.mean_difference == pytest.approx(1.58, abs=1e-12)
    assert r.confidence_interval() == pytest.approx((0.7001142367, 2.4598857633), abs=1e-9)
    assert r.t_statistic == pytest.approx(4.062127683, abs=1e-8)
    assert r.df == 9
    assert r.p_value == pytest.approx(0.002832890197, abs=1e-11)
    assert r.d_z == pytest.approx(1.284557563, abs=1e-8)
    assert r.d_av == pytest.approx(0.8334963413, abs=1e-9)
    assert r.n == 10


def test_it_matches_r_boot_bca_within_bootstrap_noise() -> None:
    # R: library(boot); set.seed(1); d <- g2 - g1
    #    b <- boot(d, function(x, i) mean(x[i]), R = 99999); boot.ci(b, type = "bca")
    #    -> 95 % BCa (1.05, 2.62)   (R prints 2 dp)
    # Our interval uses 9,999 resamples; between two bootstrap runs the
    # endpoints move by a few hundredths, so the tolerance is 0.08.
    r = paired_change(SLEEP_1, SLEEP_2, seed=20261123)
    interval = r.bootstrap_interval()
    assert interval is not None
    assert interval[0] == pytest.approx(1.05, abs=0.08)
    assert interval[1] == pytest.approx(2.62, abs=0.08)


def test_it_matches_lakens_2013_for_d_z_and_d_av() -> None:
    # Lakens (2013), Frontiers in Psychology 4:863, Table 1 movie ratings:
    # paired t(9) = 4.74, d_z = 1.50, d_av = 1.13.
    # R: t.test(m1, m2, paired=TRUE) -> t 4.7434165, CI 0.523095396 1.476904604
    m1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
    m2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]
    r = paired_change(m2, m1, seed=1)
    assert r.t_statistic == pytest.approx(4.7434165, abs=1e-6)
    assert r.d_z == pytest.approx(1.50, abs=0.005)
    assert r.d_av == pytest.approx(1.13, abs=0.005)
    assert r.confidence_interval() == pytest.approx((0.523095396, 1.476904604), abs=1e-8)


@pytest.mark.parametrize(
    ("n", "kwargs", "expected"),
    [
        # R: power.t.test(n=25, type="one.sample", power=.8)$delta -> 0.5840284072
        #    (type="paired" gives the same); docs/analysis-effects.md: one class of 25 -> d_z ≈ 0.58
        (25, {}, 0.5840284072),
        # R: power.t.test(n=25, type="two.sample", power=.8)$delta -> 0.8087109078
        (25, {"design": "two_group"}, 0.8087109078),
        # R: power.t.test(n=10, type="one.sample", power=.9, sig.level=0.01)$delta -> 1.50973215
        (10, {"alpha": 0.01, "power": 0.9}, 1.50973215),
    ],
)
def test_it_matches_r_power_t_test_for_the_minimum_detectable_effect(
    n: int, kwargs: dict[str, object], expected: float
) -> None:
    # R solves with uniroot(tol = .Machine$double.eps^0.25), so its delta is
    # only good to about 1e-5; we solve to machine precision.
    r = minimum_detectable_effect(n, **kwargs)  # type: ignore[arg-type]
    assert r.effect == pytest.approx(expected, abs=1e-5)


def test_it_says_no_signal_is_not_no_effect() -> None:
    r = minimum_detectable_effect(25)
    assert "0.58" in r.message
    assert "does not mean no effect" in r.message


def test_it_matches_metafor_fixed_effect_pooling() -> None:
    # R: library(metafor)
    #    yi <- c(0.095, 0.277, 0.367, 0.664, 0.462, 0.185)
    #    vi <- c(0.033, 0.031, 0.050, 0.011, 0.043, 0.023)
    #    r <- rma(yi, vi, method = "FE")
    #    -> b 0.4092582379, se 0.06452227129, ci 0.28279691 .. 0.5357195659,
    #       zval 6.342898813, pval 2.254815391e-10, QE 11.74334051, I2 57.42267716 %
    yi = [0.095, 0.277, 0.367, 0.664, 0.462, 0.185]
    vi = [0.033, 0.031, 0.050, 0.011, 0.043, 0.023]
    r = fixed_effect_pool(yi, [math.sqrt(v) for v in vi])
    assert r.effect == pytest.approx(0.4092582379, abs=1e-9)
    assert r.se == pytest.approx(0.06452227129, abs=1e-10)
    assert r.confidence_interval() == pytest.approx((0.28279691, 0.5357195659), abs=1e-8)
    assert r.z == pytest.approx(6.342898813, abs=1e-8)
    assert r.p_value == pytest.approx(2.254815391e-10, rel=1e-6)
    assert r.q == pytest.approx(11.74334051, abs=1e-7)
    assert r.df == 5
    assert r.i_squared * 100 == pytest.approx(57.42267716, abs=1e-6)
    assert sum(r.weights) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        # R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04), method = "BH")
        #    -> 0.030 0.048 0.048 0.030 0.200 0.048
        ([0.01, 0.04, 0.03, 0.005, 0.2, 0.04], [0.03, 0.048, 0.048, 0.03, 0.2, 0.048]),
        # R: p.adjust(c(0.05,0.038,.044,.031,.025,0.006,.013,.019), method = "BH")
        #    -> 0.0500 0.0500 0.0500 0.0496 0.0496 0.0480 0.0496 0.0496
        (
            [0.05, 0.038, 0.044, 0.031, 0.025, 0.006, 0.013, 0.019],
            [0.05, 0.05, 0.05, 0.0496, 0.0496, 0.048, 0.0496, 0.0496],
        ),
    ],
)
def test_it_matches_r_p_adjust_bh(p: list[float], expected: list[float]) -> None:
    r = benjamini_hochberg(p)
    assert list(r.adjusted) == pytest.approx(expected, abs=1e-12)
    assert r.rejected == tuple(a <= 0.05 for a in expected)


def test_it_rates_attrition_as_the_wwcr_package_examples() -> None:
    # WWCr (R, HaiwenChu/RWWC-v.4-Group-Designs) documents, from the WWC table:
    #   attrit(20,40,31,49): overall 43 %, differential 13 % -> high attrition
    #   attrit(30,40,40,48): overall 20 %, differential 8 % -> low optimistic, high cautious
    #   attrit(10,20,100,200): overall 50 %, differential 0 % -> low under both
    high = attrition(40, 20, 49, 31)
    assert round(high.overall * 100) == 43 and round(high.differential * 100) == 13
    assert high.rating == "high"
    assert attrition(40, 20, 49, 31, boundary="optimistic").rating == "high"
    mixed = attrition(40, 30, 48, 40)
    assert round(mixed.overall * 100) == 20 and round(mixed.differential * 100) == 8
    assert mixed.rating == "high"
    assert attrition(40, 30, 48, 40, boundary="optimistic").rating == "low"
    assert attrition(20, 10, 200, 100).rating == "low"
    assert attrition(20, 10, 200, 100, boundary="optimistic").rating == "low"


def test_it_corrects_for_clustering_as_the_wwc_formulas_in_r() -> None:
    # WWC Procedures Handbook v4.1, appendix F (F.1.0): the unclustered t is derived from
    # g with the g^2/2N term in its standard error, then corrected (Hedges 2007).
    # R 4.2.2, with the WWC formulas as transcribed in the WWCr package (tfromg, declust,
    # degclust; HaiwenChu/RWWC-v.4-Group-Designs):
    #   tfromg <- function(g,ni,nc) g/sqrt((ni+nc)/(ni*nc) + g^2/2/(ni+nc))
    #   declust <- function(rho,N,M) sqrt(((N-2)-2*(N/M-1)*rho)/((N-2)*(1+(N/M-1)*rho)))
    #   degclust <- function(rho,N,M) ((N-2)-2*(N/M-1)*rho)^2/((N-2)*(1-rho)^2
    #                 + N/M*(N-2*N/M)*rho^2 + 2*(N-2*N/M)*rho*(1-rho))
    #   g <- 0.3; ni <- 100; nc <- 100; M <- 8; rho <- 0.2; N <- 200; n <- N/M
    #   g*sqrt(1-2*(n-1)*rho/(N-2)) -> 0.2926369143
    #   t <- tfromg(g,ni,nc) -> 2.109487662; ta <- t*declust(rho,N,M) -> 0.8544189007
    #   h <- degclust(rho,N,M) -> 109.308204; 2*(1-pt(abs(ta),h)) -> 0.3947416409
    r = cluster_correction(0.3, 100, 100, 4, 4)
    assert r.g == pytest.approx(0.2926369143, abs=1e-9)
    assert r.t_unadjusted == pytest.approx(2.109487662, abs=1e-8)
    assert r.t_statistic == pytest.approx(0.8544189007, abs=1e-9)
    assert r.df == pytest.approx(109.308204, abs=1e-5)
    assert r.p_value == pytest.approx(0.3947416409, abs=1e-9)


def test_it_corrects_unequal_groups_of_classes_as_r() -> None:
    # Three classes of 22 trying the change against two of 22 (the PLC case), same R:
    #   g <- 0.4; ni <- 66; nc <- 44; M <- 5; rho <- 0.2; N <- 110
    #   tfromg(g,ni,nc) -> 2.035786581; ta -> 0.8573306829; h -> 66.88349515
    #   2*(1-pt(abs(ta),h)) -> 0.3943237836
    r = cluster_correction(0.4, 66, 44, 3, 2)
    assert r.t_unadjusted == pytest.approx(2.035786581, abs=1e-8)
    assert r.t_statistic == pytest.approx(0.8573306829, abs=1e-9)
    assert r.df == pytest.approx(66.88349515, abs=1e-6)
    assert r.p_value == pytest.approx(0.3943237836, abs=1e-9)


def test_it_leaves_g_alone_when_there_is_no_clustering() -> None:
    unclustered = hedges_g_from_stats(10.5, 2, 50, 10, 2, 50)
    # One student per class: g is unchanged; Hedges' variance term has N - 2
    # where the WWC's unclustered SE has N, a difference below 1e-4 here.
    r = cluster_correction(unclustered.g, 50, 50, 50, 50, icc=0.2)
    assert r.g == pytest.approx(unclustered.g)
    assert r.se == pytest.approx(unclustered.se, abs=1e-4)
    r = cluster_correction(unclustered.g, 50, 50, 2, 2, icc=0.0)
    assert r.g == pytest.approx(unclustered.g)
    assert r.se == pytest.approx(unclustered.se, abs=1e-4)


def test_it_states_the_difference_in_differences_convention() -> None:
    # Hand calculation from the formulas (N = 60 at both tests, SD 10 each):
    # ω = 1 - 3/231; g_pre = ω(50-51)/10; g_post = ω(58-55)/10; default = g_post - g_pre = 0.4ω;
    # gain difference (58-50) - (55-51) = 4, over the pooled pre SD 8 or post SD 10, times ω.
    from uptake.analysis.effects import GroupSummary

    omega = 1 - 3 / 231
    args = (
        GroupSummary(50, 10, 30),
        GroupSummary(58, 10, 30),
        GroupSummary(51, 10, 30),
        GroupSummary(55, 10, 30),
    )
    default = did_effect_size(*args)
    assert default.convention == "g_post_minus_g_pre"
    assert "g_post - g_pre" in default.description
    assert default.effect == pytest.approx(0.4 * omega, abs=1e-12)
    pre_sd = did_effect_size(
        GroupSummary(50, 8, 30), GroupSummary(58, 10, 30), GroupSummary(51, 8, 30),
        GroupSummary(55, 10, 30), convention="pre_sd",
    )  # fmt: skip
    assert pre_sd.effect == pytest.approx(omega * 4 / 8, abs=1e-12)
    post_sd = did_effect_size(
        GroupSummary(50, 8, 30), GroupSummary(58, 10, 30), GroupSummary(51, 8, 30),
        GroupSummary(55, 10, 30), convention="post_sd",
    )  # fmt: skip
    assert post_sd.effect == pytest.approx(omega * 4 / 10, abs=1e-12)


def test_it_leaves_missing_p_values_out_of_the_count_as_r_does() -> None:
    # R: p.adjust(c(0.01, NA, 0.04, 0.03, NaN, 0.2), method = "BH")
    #    -> 0.04 NA 0.05333333333 0.05333333333 NaN 0.2   (n = 4 non-missing)
    r = benjamini_hochberg([0.01, None, 0.04, 0.03, math.nan, 0.2])
    assert r.n_tests == 4
    assert r.adjusted[1] is None and r.adjusted[4] is None
    present = [r.adjusted[i] for i in (0, 2, 3, 5)]
    assert present == pytest.approx([0.04, 0.05333333333, 0.05333333333, 0.2], abs=1e-10)
    assert r.rejected == (True, None, False, False, None, False)


def test_it_pools_classes_leaving_out_one_with_a_missing_se() -> None:
    # R: library(metafor)
    #    r <- rma(c(0.2, 0.5, 0.1), sei = c(0.15, 0.2, 0.1), method = "FE")
    #    -> b 0.1852459016, se 0.07682212796, QE 3.213114754, I2 37.75510204
    r = fixed_effect_pool([0.2, 0.5, 0.3, 0.1], [0.15, 0.2, None, 0.1])
    assert (r.k, r.n_dropped) == (3, 1)
    assert r.effect == pytest.approx(0.1852459016, abs=1e-9)
    assert r.se == pytest.approx(0.07682212796, abs=1e-10)
    assert r.q == pytest.approx(3.213114754, abs=1e-8)
    assert r.i_squared * 100 == pytest.approx(37.75510204, abs=1e-6)
