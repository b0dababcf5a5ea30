"""Runs analysis and control limits agree with qicharts2 and published tables.

Every pinned number comes from R, not from this code. Recipe: ``r/qicharts2_reference.R``
in this folder sources qicharts2's own computing functions (github.com/anhoej/qicharts2,
commit 1b9487e, R/helper.functions.R) and its bundled data sets, under R 4.2.2:

    git archive 1b9487e R data | tar -x -C /tmp/qic
    cd /tmp/qic && Rscript uptake/analysis/tests/r/qicharts2_reference.R

Tolerances: counts exact; limits 1e-9 relative (R printed 15 significant digits).
"""

from __future__ import annotations

import pytest

from uptake.analysis import anhoej_limits, control_chart, runs_analysis, swed_eisenhart_limits

# set.seed(19); y <- rnorm(24); y[22] <- 4; y[13:24] <- rnorm(12, mean = 2)
# (the qicharts2 vignette's I chart; printed with sprintf("%.17g")).
VIGNETTE_Y = [
    -1.1894537452597227, 0.38858122963255254, -0.34433334921072467, -0.54789613841829499,
    0.98066221575019152, -0.2366460072728519, 0.80973970434771492, -0.74477952866404118,
    -0.25978701312709895, -0.18308383041021475, 0.51862998761290513, 0.88346510072031359,
    1.0012847525821891, 2.5348299922874111, 1.8762320483140942, 4.1193033079270958,
    0.48652412607601336, 2.2551948706224385, 3.5047414384306554, 1.6099195252991163,
    2.5793581701267252, 2.2103558396869403, 2.944042775533132, 0.17330676638891696,
]
# qicharts2 data set `cdi`: hospital-acquired C. difficile infections per month, with
# risk days; the intervention began at month 25.
CDI_N = [17, 12, 27, 20, 20, 18, 22, 19, 19, 24, 17, 16, 24, 19, 19, 22, 25, 19, 17, 6, 25,
         17, 11, 14, 9, 11, 7, 13, 5, 5, 3, 5, 9, 4, 5, 9]
CDI_DAYS = [
    14768.416666666701, 14460.333333333299, 16176.916666666701, 14226.5, 14816.25,
    14335.291666666701, 14964.541666666701, 14327.875, 13200.583333333299, 13855.625,
    13794.5, 14070.833333333299, 14496.833333333299, 14332.25, 14927, 13362.125,
    14058.125, 14388.083333333299, 14673.416666666701, 14153.541666666701,
    13830.708333333299, 14171.375, 14637.958333333299, 14713.083333333299, 14750.625,
    14881.666666666701, 15203.75, 13589.75, 15111.541666666701, 13729.958333333299,
    13879.833333333299, 13895.833333333299, 13140.666666666701, 13372.916666666701,
    13959.375, 14181.333333333299,
]
# qicharts2 data set `gtt`: patients with one or more harms per month, 20 records a month
# (tapply(gtt$harms > 0, gtt$month, sum) and length).
GTT_K = [3, 6, 4, 5, 7, 5, 4, 8, 7, 9, 7, 7, 8, 5, 10, 8, 8]
GTT_N = [20] * 17


def runs_tuple(r):
    return (r.n_obs, r.n_useful, r.longest_run, r.longest_run_max, r.n_crossings,
            r.n_crossings_min, r.signal)


def test_it_matches_the_vignettes_printed_summary_for_the_i_chart() -> None:
    # Vignette summary(o): n.obs 24, n.useful 24, longest.run 13, longest.run.max 8,
    # n.crossings 4, n.crossings.min 8, runs.signal 1, CL 1.057091,
    # aLCL -2.114884, aUCL 4.229067.
    c = control_chart(VIGNETTE_Y, chart="i")
    assert runs_tuple(c.runs) == (24, 24, 13, 8, 4, 8, True)
    assert c.centre == pytest.approx(1.057091, abs=5e-7)
    # qicharts2 uses 3 * AMR / 1.128; we use 2.66 * AMR (docs/analysis.md). Recover
    # AMR from its printed limit and check ours against 2.66 * AMR.
    amr = (4.229067 - 1.057091) * 1.128 / 3
    assert c.amr == pytest.approx(amr, rel=1e-6)
    assert c.ucl[0] == pytest.approx(1.057091 + 2.66 * amr, rel=1e-6)
    assert c.lcl[0] == pytest.approx(1.057091 - 2.66 * amr, rel=1e-6)


def test_it_matches_qicharts2_for_the_vignettes_run_chart() -> None:
    # R: runs.analysis(qic.run(frame(y))) -> cl 0.846602402534014, 24 24 6 8 6 8 TRUE
    r = runs_analysis(VIGNETTE_Y)
    assert r.centre == pytest.approx(0.846602402534014, rel=1e-12)
    assert runs_tuple(r) == (24, 24, 6, 8, 6, 8, True)


def test_it_matches_qicharts2_with_a_frozen_baseline() -> None:
    # R: qic.run with freeze = 24 -> cl 19; n.obs 36, n.useful 31, longest.run 15,
    # longest.run.max 8, n.crossings 8, n.crossings.min 11, signal TRUE.
    r = runs_analysis(CDI_N, baseline_n=24)
    assert r.centre == 19
    assert runs_tuple(r) == (36, 31, 15, 8, 8, 11, True)
    # Without freezing: cl 17; 36 32 14 8 6 11 TRUE.
    r = runs_analysis(CDI_N)
    assert r.centre == 17
    assert runs_tuple(r) == (36, 32, 14, 8, 6, 11, True)


def test_it_matches_qicharts2_for_a_c_chart() -> None:
    # R: qic.c, freeze 24 -> cl 18.7083333333333, ucl 31.6842726056943,
    # lcl 5.73239406097235; runs 36 36 15 8 8 13 TRUE.
    c = control_chart(CDI_N, chart="c", baseline_n=24)
    assert c.centre == pytest.approx(18.7083333333333, rel=1e-12)
    assert c.ucl[0] == pytest.approx(31.6842726056943, rel=1e-12)
    assert c.lcl[0] == pytest.approx(5.73239406097235, rel=1e-12)
    assert runs_tuple(c.runs) == (36, 36, 15, 8, 8, 13, True)


def test_it_matches_qicharts2_for_a_u_chart_with_limits_per_point() -> None:
    # R: qic.u, freeze 24 -> cl 0.00130242263179294; ucl[1] 0.00219332528731773,
    # lcl[1] 0.000411519976268149; ucl[36] 0.00221157921790086,
    # lcl[36] 0.000393266045685021; runs 36 36 15 8 10 13 TRUE.
    c = control_chart(chart="u", numerators=CDI_N, denominators=CDI_DAYS, baseline_n=24)
    assert c.centre == pytest.approx(0.00130242263179294, rel=1e-9)
    assert c.ucl[0] == pytest.approx(0.00219332528731773, rel=1e-9)
    assert c.lcl[0] == pytest.approx(0.000411519976268149, rel=1e-9)
    assert c.ucl[35] == pytest.approx(0.00221157921790086, rel=1e-9)
    assert c.lcl[35] == pytest.approx(0.000393266045685021, rel=1e-9)
    assert runs_tuple(c.runs) == (36, 36, 15, 8, 10, 13, True)


def test_it_matches_qicharts2_for_p_and_laney_p_prime_charts() -> None:
    # R: qic.p -> cl 0.326470588235294, ucl 0.641032814930852, lcl 0.0119083615397358;
    # runs 17 17 6 7 5 5 FALSE (crossings equal to the minimum: no signal).
    p = control_chart(chart="p", numerators=GTT_K, denominators=GTT_N)
    assert p.centre == pytest.approx(0.326470588235294, rel=1e-12)
    assert p.ucl[0] == pytest.approx(0.641032814930852, rel=1e-12)
    assert p.lcl[0] == pytest.approx(0.0119083615397358, rel=1e-9)
    assert runs_tuple(p.runs) == (17, 17, 6, 7, 5, 5, False)
    # R: qic.pp -> ucl 0.584116864831039, lcl 0.0688243116395494.
    pp = control_chart(chart="pprime", numerators=GTT_K, denominators=GTT_N)
    assert pp.ucl[0] == pytest.approx(0.584116864831039, rel=1e-12)
    assert pp.lcl[0] == pytest.approx(0.0688243116395494, rel=1e-12)


# R: n <- 10:100; round(log2(n)) + 3; qbinom(0.05, n - 1, 0.5) — the formulas of
# Anhøj & Olesen (2014), PLoS ONE 9(11): e113825, as qicharts2 evaluates them (n = 24:
# 8 and 8, as the qicharts2 vignette prints). Exact integers.
LONGEST_RUN_MAX_TEXT = """
6 6 7 7 7 7 7 7 7 7 7 7 7 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 9 9 9 9 9 9 9 9
9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 10 10 10 10
10 10 10 10 10 10
"""
N_CROSSINGS_MIN_TEXT = """
2 2 3 3 4 4 4 5 5 6 6 6 7 7 8 8 8 9 9 10 10 11 11 11 12 12 13 13 14 14 14 15 15 16 16 17 17
17 18 18 19 19 20 20 21 21 21 22 22 23 23 24 24 25 25 25 26 26 27 27 28 28 29 29 29 30 30
31 31 32 32 33 33 34 34 34 35 35 36 36 37 37 38 38 39 39 39 40 40 41 41
"""
LONGEST_RUN_MAX = [int(x) for x in LONGEST_RUN_MAX_TEXT.split()]
N_CROSSINGS_MIN = [int(x) for x in N_CROSSINGS_MIN_TEXT.split()]


@pytest.mark.parametrize("n", range(10, 101))
def test_it_matches_the_anhoej_limits_table(n: int) -> None:
    assert anhoej_limits(n) == (LONGEST_RUN_MAX[n - 10], N_CROSSINGS_MIN[n - 10])


# R (same script, section 5): exact Swed-Eisenhart distribution with n1 = floor(n/2),
# n2 = ceiling(n/2) via choose(); lower = fewest runs that is not a signal
# (P(R < lower) <= 0.025), upper = most runs that is not a signal.
SWED_EISENHART = {
    10: (3, 9), 11: (4, 9), 12: (4, 10), 13: (4, 11), 14: (4, 12), 15: (5, 12), 16: (5, 13),
    17: (6, 13), 18: (6, 14), 19: (6, 15), 20: (7, 15), 21: (7, 16), 22: (8, 16),
    23: (8, 17), 24: (8, 18), 25: (9, 18), 26: (9, 19), 27: (10, 19), 28: (10, 20),
    29: (10, 21), 30: (11, 21), 31: (11, 22), 32: (12, 22), 33: (12, 23), 34: (12, 24),
    35: (13, 24), 36: (13, 25), 37: (14, 25), 38: (14, 26), 39: (14, 26), 40: (15, 27),
    41: (15, 28), 42: (16, 28), 43: (16, 29), 44: (17, 29), 45: (17, 30), 46: (17, 31),
    47: (18, 31), 48: (18, 32), 49: (19, 32), 50: (19, 33), 51: (20, 33), 52: (20, 34),
    53: (20, 35), 54: (21, 35), 55: (21, 36), 56: (22, 36), 57: (22, 37), 58: (23, 37),
    59: (23, 38), 60: (24, 38),
}


@pytest.mark.parametrize(("n", "limits"), sorted(SWED_EISENHART.items()))
def test_it_matches_the_exact_swed_eisenhart_limits(n: int, limits: tuple[int, int]) -> None:
    assert swed_eisenhart_limits(n) == limits


def test_it_agrees_with_the_printed_swed_eisenhart_table_for_ten_and_ten() -> None:
    # Swed & Eisenhart (1943), Ann. Math. Statist. 14: 66-87, tables for alpha = 0.025 in
    # each tail: with n1 = n2 = 10, 6 or fewer runs and 16 or more runs are significant.
    lower, upper = swed_eisenhart_limits(20)
    assert (lower - 1, upper + 1) == (6, 16)
