"""Pooling and the standardized mean change agree with metafor's own published values.

Every expected number below is copied from the metafor repository
(https://github.com/wviechtb/metafor, commit 71ae8f5a, July 2026), the file and line
given beside it: its tests (tests/testthat, which pin values against published papers
and Stata's metan) and its rendered documentation (docs/). None was produced by this
code. metafor's tests allow a 1 % relative tolerance; we hold to the printed digits.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from uptake.analysis.pooling import (
    pool,
    small_sample_correction,
    standardized_mean_change,
    standardized_mean_change_from_stats,
)

# --------------------------------------------------------------------------
# The BCG vaccine trials (Colditz et al. 1994), metafor's dat.bcg, as printed in
# docs/index.html lines 179-191: (tpos, tneg, cpos, cneg) per trial.
BCG = [
    (4, 119, 11, 128),  # Aronson 1948
    (6, 300, 29, 274),  # Ferguson & Simes 1949
    (3, 228, 11, 209),  # Rosenthal et al 1960
    (62, 13536, 248, 12619),  # Hart & Sutherland 1977
    (33, 5036, 47, 5761),  # Frimodt-Moller et al 1973
    (180, 1361, 372, 1079),  # Stein & Aronson 1953
    (8, 2537, 10, 619),  # Vandiviere et al 1973
    (505, 87886, 499, 87892),  # TPT Madras 1980
    (29, 7470, 45, 7232),  # Coetzee & Berjak 1968
    (17, 1699, 65, 1600),  # Rosenthal et al 1961
    (186, 50448, 141, 27197),  # Comstock et al 1974
    (5, 2493, 3, 2338),  # Comstock & Webster 1969
    (27, 16886, 29, 17825),  # Comstock et al 1976
]
# escalc(measure="RR") as printed in docs/index.html lines 216-228 (yi, vi).
BCG_PRINTED = [
    (-0.8893, 0.3256), (-1.5854, 0.1946), (-1.3481, 0.4154), (-1.4416, 0.0200),
    (-0.2175, 0.0512), (-0.7861, 0.0069), (-1.6209, 0.2230), (0.0120, 0.0040),
    (-0.4694, 0.0564), (-1.3713, 0.0730), (-0.3394, 0.0124), (0.4459, 0.5325),
    (-0.0173, 0.0714),
]  # fmt: skip


def _log_risk_ratios() -> list[tuple[float, float]]:
    # The log risk ratio and its large-sample variance (escalc "RR").
    return [
        (
            math.log((a / (a + b)) / (c / (c + d))),
            1 / a - 1 / (a + b) + 1 / c - 1 / (c + d),
        )
        for a, b, c, d in BCG
    ]


def test_the_bcg_effects_are_metafors() -> None:
    for (yi, vi), (y_ref, v_ref) in zip(_log_risk_ratios(), BCG_PRINTED, strict=True):
        assert yi == pytest.approx(y_ref, abs=5e-5)
        assert vi == pytest.approx(v_ref, abs=5e-5)


def test_dersimonian_laird_matches_metafor_and_stata_on_bcg() -> None:
    # tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r, "RE model w/ DL estimator,
    # measure='RR'" (lines 31-51), checked there against Stata's metan: beta -0.7141,
    # ci -1.0644 to -0.3638, zval -3.9952, tau2 0.3088, I2 92.1173 %; QE 152.2330 (line 19,
    # the same Q). The SE is beta / zval.
    p = pool(_log_risk_ratios(), method="DL")
    assert p is not None
    assert p.estimate == pytest.approx(-0.7141, abs=5e-5)
    assert p.ci_low == pytest.approx(-1.0644, abs=5e-5)
    assert p.ci_high == pytest.approx(-0.3638, abs=5e-5)
    assert p.estimate / p.se == pytest.approx(-3.9952, abs=5e-4)
    assert p.tau2 == pytest.approx(0.3088, abs=5e-5)
    assert 100 * p.i2 == pytest.approx(92.1173, abs=5e-5)
    assert p.q == pytest.approx(152.2330, abs=5e-5)
    assert (p.k, p.q_df) == (13, 12)
    assert p.q_p < 1e-4  # printed "p-val < .0001" (docs/reference/rma.uni.html line 549)


def test_paule_mandel_matches_metafor_on_bcg() -> None:
    # tests/testthat/test_misc_rma_uni.r lines 25-31: the iterated DerSimonian-Laird
    # estimator gives tau2 0.3181; it converges to the Paule-Mandel estimator (DerSimonian
    # & Kacker 2007; the fixed point of the iteration solves generalized Q = k - 1).
    p = pool(_log_risk_ratios(), method="PM")
    assert p is not None
    assert p.tau2 == pytest.approx(0.3181, abs=5e-5)


def test_reml_and_the_prediction_interval_match_metafors_documentation_on_bcg() -> None:
    # docs/reference/rma.uni.html lines 541-556, rma(yi, vi, data=dat, method="REML"):
    # tau^2 0.3132, I^2 92.22 %, Q(df = 12) 152.2330, estimate -0.7145, se 0.1798,
    # ci.lb -1.0669, ci.ub -0.3622.
    # docs/reference/predict.rma.html line 253, predict(res, digits=2): pi.lb -1.87,
    # pi.ub 0.44 (normal quantile: the model was fitted with test="z").
    p = pool(_log_risk_ratios(), method="REML")
    assert p is not None
    assert p.tau2 == pytest.approx(0.3132, abs=5e-5)
    assert 100 * p.i2 == pytest.approx(92.22, abs=5e-3)
    assert p.q == pytest.approx(152.2330, abs=5e-5)
    assert p.estimate == pytest.approx(-0.7145, abs=5e-5)
    assert p.se == pytest.approx(0.1798, abs=5e-5)
    assert p.ci_low == pytest.approx(-1.0669, abs=5e-5)
    assert p.ci_high == pytest.approx(-0.3622, abs=5e-5)
    assert round(p.pi_low, 2) == -1.87
    assert round(p.pi_high, 2) == 0.44


# --------------------------------------------------------------------------
# The CLASP trials, DerSimonian & Kacker (2007), Tables 3 and 4 (pp. 111-112), as
# tests/testthat/test_analysis_example_dersimonian2007.r lines 10-13 (data) and 56-58
# (expected tau, mu and se per estimator) give them.
CLASP_N1 = [156, 303, 565, 1570, 103, 4659]
CLASP_N2 = [74, 303, 477, 1565, 105, 4650]
CLASP_A = [5, 5, 12, 69, 9, 313]
CLASP_C = [8, 17, 9, 94, 11, 352]


def _log_odds_ratios() -> list[tuple[float, float]]:
    # escalc(measure="OR", ai, n1i, ci, n2i): no zero cells, so no correction.
    out = []
    for a, n1, c, n2 in zip(CLASP_A, CLASP_N1, CLASP_C, CLASP_N2, strict=True):
        b, d = n1 - a, n2 - c
        out.append((math.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d))
    return out


@pytest.mark.parametrize(
    ("method", "tau", "mu", "se"),
    [
        ("PM", 0.3681, -0.3811, 0.2060),
        ("DL", 0.2323, -0.3240, 0.1540),
        ("REML", 0.1843, -0.2980, 0.1343),
    ],
)
def test_the_clasp_example_matches_dersimonian_and_kacker(
    method: str, tau: float, mu: float, se: float
) -> None:
    p = pool(_log_odds_ratios(), method=method)  # type: ignore[arg-type]
    assert p is not None
    assert p.tau == pytest.approx(tau, abs=5e-5)
    assert p.estimate == pytest.approx(mu, abs=5e-5)
    assert p.se == pytest.approx(se, abs=5e-5)


# --------------------------------------------------------------------------
# The standardized mean change (SMCR), Morris (2008), as
# tests/testthat/test_analysis_example_morris2008.r lines 11-26 (data) and 34-37
# (escalc(measure="SMCR", m1i=m_post, m2i=m_pre, sd1i=sd_pre, ni=ni, ri=ri)).
MORRIS = {
    "treatment": {
        "m_pre": [30.6, 23.5, 0.5, 53.4, 35.6],
        "m_post": [38.5, 26.8, 0.7, 75.9, 36.0],
        "sd_pre": [15.0, 3.1, 0.1, 14.5, 4.7],
        "ni": [20, 50, 9, 10, 14],
        "ri": [0.47, 0.64, 0.77, 0.89, 0.44],
        "yi": [0.5056, 1.0481, 1.8054, 1.4181, 0.0801],
        "vi": [0.0594, 0.0254, 0.2322, 0.1225, 0.0802],
    },
    "control": {
        "m_pre": [23.1, 24.9, 0.6, 55.7, 34.8],
        "m_post": [19.7, 25.3, 0.6, 60.7, 33.4],
        "sd_pre": [13.8, 4.1, 0.2, 17.3, 3.1],
        "ni": [20, 42, 9, 11, 14],
        "ri": [0.47, 0.64, 0.77, 0.89, 0.44],
        "yi": [-0.2365, 0.0958, 0.0000, 0.2667, -0.4250],
        "vi": [0.0544, 0.0173, 0.0511, 0.0232, 0.0864],
    },
}


def _rows(group: str) -> list[dict[str, float]]:
    data = MORRIS[group]
    return [dict(zip(data, values, strict=True)) for values in zip(*data.values(), strict=True)]


def _scores_with(row: dict[str, float], sd_post: float = 1.0) -> tuple[list[float], list[float]]:
    """Per-student scores whose mean, SD and correlation are exactly the row's."""
    n = int(row["ni"])
    rng = np.random.default_rng(n)
    basis = rng.standard_normal((n, 2))
    basis -= basis.mean(axis=0)
    u, _ = np.linalg.qr(basis)  # two orthonormal columns, each summing to zero
    scale = math.sqrt(n - 1)
    pre = row["m_pre"] + row["sd_pre"] * scale * u[:, 0]
    r = row["ri"]
    post = row["m_post"] + sd_post * scale * (r * u[:, 0] + math.sqrt(1 - r * r) * u[:, 1])
    return list(pre), list(post)


@pytest.mark.parametrize("group", ["treatment", "control"])
def test_the_smcr_from_summary_statistics_matches_metafor(group: str) -> None:
    for row in _rows(group):
        e = standardized_mean_change_from_stats(
            row["m_pre"], row["m_post"], row["sd_pre"], int(row["ni"]), row["ri"]
        )
        assert e.yi == pytest.approx(row["yi"], abs=5e-5)
        assert e.vi == pytest.approx(row["vi"], abs=5e-5)


@pytest.mark.parametrize("group", ["treatment", "control"])
def test_the_smcr_from_students_scores_matches_metafor(group: str) -> None:
    for row in _rows(group):
        pre, post = _scores_with(row)
        e = standardized_mean_change(pre, post)
        assert e.n == row["ni"]
        assert e.r == pytest.approx(row["ri"], abs=1e-12)
        assert e.yi is not None and e.vi is not None
        assert e.yi == pytest.approx(row["yi"], abs=5e-5)
        assert e.vi == pytest.approx(row["vi"], abs=5e-5)
        assert e.ci_low == pytest.approx(e.yi - 1.959964 * math.sqrt(e.vi), abs=1e-6)


def test_the_correction_is_metafors_exact_one_not_the_approximation() -> None:
    # Morris's treatment study 3 (n = 9, m = 8): metafor gives 1.8054 = c(8)·2.0; the
    # approximation 1 - 3/(4m - 1) would give 1.8065, outside metafor's printed digits.
    assert 2 * small_sample_correction(8) == pytest.approx(1.8054, abs=5e-5)
    approximation = 2 * (1 - 3 / (4 * 8 - 1))
    assert approximation == pytest.approx(1.8065, abs=5e-5)


def test_pooling_morris_smcr_with_reml_matches_metafor() -> None:
    # tests/testthat/test_misc_rma_uni.r lines 69-88: rma() on the treatment groups'
    # SMCR gives tau2 0.3164.
    effects = []
    for row in _rows("treatment"):
        e = standardized_mean_change_from_stats(
            row["m_pre"], row["m_post"], row["sd_pre"], int(row["ni"]), row["ri"]
        )
        effects.append((e.yi, e.vi))
    p = pool(effects, method="REML")
    assert p is not None
    assert p.tau2 == pytest.approx(0.3164, abs=5e-5)
