"""Effect sizes and the honesty checks that decide what may be claimed.

Every formula follows the What Works Clearinghouse (WWC) Procedures and
Standards Handbook (version 5.0; the formulas are unchanged from version 4.1).
``docs/analysis-effects.md`` states each formula, each convention and what the
product may and must not say for each study design.

Missing values (``None`` or NaN) are dropped and counted; results are frozen
dataclasses with named fields and ``to_dict()``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import numpy as np
from scipy import optimize, stats

__all__ = [
    "ATTRITION_BOUNDARIES",
    "DESIGN_CLAIMS",
    "Attrition",
    "BaselineEquivalence",
    "Claims",
    "ClusterCorrection",
    "ComparisonDesign",
    "CoxIndex",
    "DidEffectSize",
    "FixedEffectPool",
    "GroupSummary",
    "HedgesG",
    "MinimumDetectableEffect",
    "MultipleComparisons",
    "PairedChange",
    "attrition",
    "baseline_equivalence",
    "benjamini_hochberg",
    "claims_for",
    "cluster_correction",
    "comparison_design",
    "cox_index",
    "did_effect_size",
    "fixed_effect_pool",
    "hedges_g",
    "hedges_g_from_stats",
    "improvement_index",
    "minimum_detectable_effect",
    "paired_change",
]

# The WWC's CIs for g are normal-theory: g ± 1.96·SE.
_Z_975 = float(stats.norm.ppf(0.975))
# Cox (1970) logit-to-d conversion constant used by the WWC.
_COX_CONSTANT = 1.65


class _Result:
    """Mixin: every result turns into a plain dict (JSON-ready)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


# --------------------------------------------------------------------------
# Input cleaning


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number.") from None


def _clean(values: Iterable[float | None], name: str) -> tuple[np.ndarray, int]:
    """Drop missing values; return the numbers and how many were dropped."""
    kept: list[float] = []
    dropped = 0
    for value in values:
        if _is_missing(value):
            dropped += 1
        else:
            kept.append(float(value))  # type: ignore[arg-type]
    return np.asarray(kept, dtype=float), dropped


def _check_positive_int(value: int, name: str, *, minimum: int = 1) -> None:
    if isinstance(value, bool) or int(value) != value or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}; got {value!r}.")


def _check_choice(value: str, name: str, choices: Sequence[str]) -> None:
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}.")


def _omega(n_total: int) -> float:
    """Hedges' small-sample correction ω = 1 - 3/(4N - 9) (WWC)."""
    return 1.0 - 3.0 / (4.0 * n_total - 9.0)


# --------------------------------------------------------------------------
# Hedges' g


@dataclass(frozen=True)
class HedgesG(_Result):
    """Hedges' g for a treated group against a comparison group.

    ``g`` is the bias-corrected standardised mean difference; ``d`` is the
    same difference before the ω correction. ``se`` follows the WWC
    formula. ``n_dropped_t``/``n_dropped_c`` count missing values removed.
    """

    g: float
    se: float
    d: float
    omega: float
    pooled_sd: float
    mean_t: float
    mean_c: float
    sd_t: float
    sd_c: float
    n_t: int
    n_c: int
    improvement_index: float
    n_dropped_t: int = 0
    n_dropped_c: int = 0

    def confidence_interval(self, confidence_level: float = 0.95) -> tuple[float, float]:
        """Normal-theory interval ``g ± z·SE``."""
        z = float(stats.norm.ppf(0.5 + confidence_level / 2))
        return (self.g - z * self.se, self.g + z * self.se)


def hedges_g_from_stats(
    mean_t: float, sd_t: float, n_t: int, mean_c: float, sd_c: float, n_c: int
) -> HedgesG:
    """Hedges' g from group means, standard deviations and sizes.

    ``S_pooled = sqrt(((n_t-1)s_t² + (n_c-1)s_c²)/(n_t+n_c-2))``,
    ``ω = 1 - 3/(4N - 9)``, ``g = ω(ȳ_t - ȳ_c)/S_pooled`` and
    ``SE_g = ω·sqrt((n_t+n_c)/(n_t n_c) + g²/(2(n_t+n_c)))``.

    Parameters
    ----------
    mean_t, sd_t, n_t : float, float, int
        Mean, standard deviation and size of the treated group.
    mean_c, sd_c, n_c : float, float, int
        The same for the comparison group.

    Returns
    -------
    HedgesG

    Examples
    --------
    Borenstein et al. (2009), *Introduction to Meta-Analysis*, ch. 4:

    >>> r = hedges_g_from_stats(103, 5.5, 50, 100, 4.5, 50)
    >>> round(r.g, 4), round(r.se, 4)
    (0.5924, 0.2028)
    """
    _check_positive_int(n_t, "The treated group size", minimum=2)
    _check_positive_int(n_c, "The comparison group size", minimum=2)
    for value, name in ((sd_t, "treated"), (sd_c, "comparison")):
        if _is_missing(value) or value < 0:
            raise ValueError(f"The {name} group's standard deviation must be 0 or more.")
    for value, name in ((mean_t, "treated"), (mean_c, "comparison")):
        if _is_missing(value):
            raise ValueError(f"The {name} group's mean is missing.")
    n_total = n_t + n_c
    pooled = math.sqrt(((n_t - 1) * sd_t**2 + (n_c - 1) * sd_c**2) / (n_total - 2))
    if pooled == 0:
        raise ValueError(
            "Every score is the same within both groups, so there is no spread "
            "to measure an effect size against."
        )
    omega = _omega(n_total)
    d = (mean_t - mean_c) / pooled
    g = omega * d
    se = omega * math.sqrt(n_total / (n_t * n_c) + g**2 / (2 * n_total))
    return HedgesG(
        g=g, se=se, d=d, omega=omega, pooled_sd=pooled,
        mean_t=float(mean_t), mean_c=float(mean_c), sd_t=float(sd_t), sd_c=float(sd_c),
        n_t=int(n_t), n_c=int(n_c), improvement_index=improvement_index(g),
    )  # fmt: skip


def hedges_g(treatment: Iterable[float | None], control: Iterable[float | None]) -> HedgesG:
    """Hedges' g from the raw scores of two groups (missing values dropped).

    Parameters
    ----------
    treatment, control : iterable of float or None
        Scores of the treated and the comparison group. ``None``/NaN are
        dropped and counted in ``n_dropped_t``/``n_dropped_c``.

    Returns
    -------
    HedgesG

    Examples
    --------
    >>> r = hedges_g([12, 15, 14, 10, 18, 16, 13, 17, 11, 15, 14, 19],
    ...              [11, 12, 9, 14, 10, 13, 12, 8, 11, 15, 10, None])
    >>> round(r.g, 3), r.n_c, r.n_dropped_c
    (1.227, 11, 1)
    """
    t, dropped_t = _clean(treatment, "treatment")
    c, dropped_c = _clean(control, "control")
    if len(t) < 2 or len(c) < 2:
        raise ValueError(
            "Each group needs at least two students with a score to compute an effect size "
            f"(treated group has {len(t)}, comparison group has {len(c)})."
        )
    result = hedges_g_from_stats(
        float(t.mean()), float(t.std(ddof=1)), len(t),
        float(c.mean()), float(c.std(ddof=1)), len(c),
    )  # fmt: skip
    return replace(result, n_dropped_t=dropped_t, n_dropped_c=dropped_c)


def improvement_index(g: float) -> float:
    """WWC improvement index: ``100·Φ(g) - 50`` percentile points.

    The expected change in percentile rank for an average comparison-group
    student had they received the intervention.

    Examples
    --------
    >>> round(improvement_index(0.25), 2)
    9.87
    """
    if _is_missing(g):
        raise ValueError("The effect size is missing.")
    return 100.0 * float(stats.norm.cdf(g)) - 50.0


# --------------------------------------------------------------------------
# Baseline equivalence

EquivalenceStatus = Literal["satisfied", "requires_adjustment", "not_satisfied"]


@dataclass(frozen=True)
class BaselineEquivalence(_Result):
    """WWC baseline equivalence of the groups before the intervention."""

    g: float
    status: EquivalenceStatus
    may_report_effect: bool
    message: str


# A tiny tolerance so that a g printed as 0.05 or 0.25 lands on the inclusive side.
_EPS = 1e-12


def baseline_equivalence(g: float) -> BaselineEquivalence:
    """Classify a baseline (pre-test) effect size as WWC does.

    ``|g| ≤ 0.05`` satisfied; ``0.05 < |g| ≤ 0.25`` satisfied only with a
    statistical adjustment for the baseline; ``|g| > 0.25`` not satisfied:
    no effect size may be reported. Boundaries are inclusive.

    Examples
    --------
    >>> baseline_equivalence(0.05).status
    'satisfied'
    >>> baseline_equivalence(-0.25).status
    'requires_adjustment'
    >>> baseline_equivalence(0.26).may_report_effect
    False
    """
    if _is_missing(g):
        raise ValueError("The baseline effect size is missing.")
    size = abs(g)
    if size <= 0.05 + _EPS:
        status: EquivalenceStatus = "satisfied"
        message = (
            f"The groups started within {size:.2f} standard deviations of each other "
            "(0.05 or less): baseline equivalence is satisfied."
        )
    elif size <= 0.25 + _EPS:
        status = "requires_adjustment"
        message = (
            f"The groups started {size:.2f} standard deviations apart (between 0.05 and "
            "0.25): an effect may be reported only after adjusting for the starting scores."
        )
    else:
        status = "not_satisfied"
        message = (
            f"The groups started {size:.2f} standard deviations apart (more than 0.25): "
            "they are not comparable, so no effect size may be reported."
        )
    return BaselineEquivalence(
        g=float(g), status=status, may_report_effect=status != "not_satisfied", message=message
    )


# --------------------------------------------------------------------------
# Difference in differences


@dataclass(frozen=True)
class GroupSummary:
    """Mean, standard deviation and size of one group at one occasion."""

    mean: float
    sd: float
    n: int


DidConvention = Literal["g_post_minus_g_pre", "pre_sd", "post_sd"]
_DID_CONVENTIONS: tuple[str, ...] = ("g_post_minus_g_pre", "pre_sd", "post_sd")
_DID_DESCRIPTIONS = {
    "g_post_minus_g_pre": (
        "g_post - g_pre: each test's difference standardised by its own pooled SD and ω "
        "(WWC difference-in-differences adjustment)"
    ),
    "pre_sd": (
        "ω·[(post_t - pre_t) - (post_c - pre_c)] / pooled pre-test SD (Morris 2008, d_ppc2)"
    ),
    "post_sd": "ω·[(post_t - pre_t) - (post_c - pre_c)] / pooled post-test SD",
}


@dataclass(frozen=True)
class DidEffectSize(_Result):
    """Difference-in-differences effect size, with the convention used."""

    effect: float
    convention: DidConvention
    description: str
    g_pre: float
    g_post: float
    improvement_index: float
    note: str


def _summary(data: GroupSummary | Iterable[float | None], label: str) -> GroupSummary:
    if isinstance(data, GroupSummary):
        return data
    values, _ = _clean(data, label)
    if len(values) < 2:
        raise ValueError(f"The {label} scores need at least two students with a score.")
    return GroupSummary(float(values.mean()), float(values.std(ddof=1)), len(values))


def did_effect_size(
    pre_treatment: GroupSummary | Iterable[float | None],
    post_treatment: GroupSummary | Iterable[float | None],
    pre_comparison: GroupSummary | Iterable[float | None],
    post_comparison: GroupSummary | Iterable[float | None],
    *,
    convention: str = "g_post_minus_g_pre",
) -> DidEffectSize:
    """Difference-in-differences effect size for a two-group pre/post design.

    Each argument is either raw scores (missing values dropped) or a
    :class:`GroupSummary`.

    Parameters
    ----------
    convention : {"g_post_minus_g_pre", "pre_sd", "post_sd"}
        ``"g_post_minus_g_pre"`` (default, the WWC's): ``g_post - g_pre``,
        each with its own pooled SD and ω. ``"pre_sd"``/``"post_sd"``: the
        difference in mean gains over the pooled pre- or post-test SD,
        times ω for the post-test sample size.

    Examples
    --------
    >>> r = did_effect_size(GroupSummary(50, 10, 30), GroupSummary(58, 10, 30),
    ...                     GroupSummary(51, 10, 30), GroupSummary(55, 10, 30))
    >>> r.convention, round(r.effect, 3)
    ('g_post_minus_g_pre', 0.395)
    """
    _check_choice(convention, "convention", _DID_CONVENTIONS)
    pre_t = _summary(pre_treatment, "treated pre-test")
    post_t = _summary(post_treatment, "treated post-test")
    pre_c = _summary(pre_comparison, "comparison pre-test")
    post_c = _summary(post_comparison, "comparison post-test")
    g_pre = hedges_g_from_stats(pre_t.mean, pre_t.sd, pre_t.n, pre_c.mean, pre_c.sd, pre_c.n)
    g_post = hedges_g_from_stats(post_t.mean, post_t.sd, post_t.n, post_c.mean, post_c.sd, post_c.n)
    if convention == "g_post_minus_g_pre":
        effect = g_post.g - g_pre.g
    else:
        gain_difference = (post_t.mean - pre_t.mean) - (post_c.mean - pre_c.mean)
        sd = g_pre.pooled_sd if convention == "pre_sd" else g_post.pooled_sd
        effect = g_post.omega * gain_difference / sd
    return DidEffectSize(
        effect=effect,
        convention=convention,  # type: ignore[arg-type]
        description=_DID_DESCRIPTIONS[convention],
        g_pre=g_pre.g,
        g_post=g_post.g,
        improvement_index=improvement_index(effect),
        note=(
            "No standard error is given: the pre- and post-test differences come from the "
            "same students and their correlation is not known."
        ),
    )


# --------------------------------------------------------------------------
# Cox index


@dataclass(frozen=True)
class CoxIndex(_Result):
    """WWC Cox index for a yes/no outcome; ``index`` is None when undefined."""

    index: float | None
    se: float | None
    defined: bool
    reason: str
    p_t: float
    p_c: float
    n_t: int
    n_c: int
    omega: float
    correction: bool
    improvement_index: float | None

    def confidence_interval(self, confidence_level: float = 0.95) -> tuple[float, float] | None:
        """Normal-theory interval, or None when the index is undefined."""
        if self.index is None or self.se is None:
            return None
        z = float(stats.norm.ppf(0.5 + confidence_level / 2))
        return (self.index - z * self.se, self.index + z * self.se)


def cox_index(p_t: float, p_c: float, n_t: int, n_c: int, *, correction: bool = True) -> CoxIndex:
    """Cox index: ``ω·[logit(p_t) - logit(p_c)]/1.65`` (WWC).

    Undefined when either proportion is 0 or 1: the result says so and
    ``index`` is None (0.5 is never added silently). ``correction=False``
    drops the ω factor. The standard error is that of the log odds ratio
    divided by 1.65 (Sánchez-Meca et al. 2003), times ω when corrected.

    Examples
    --------
    >>> round(cox_index(0.6, 0.4, 50, 50).index, 4)
    0.4877
    >>> cox_index(1.0, 0.4, 50, 50).defined
    False
    """
    _check_positive_int(n_t, "The treated group size", minimum=2)
    _check_positive_int(n_c, "The comparison group size", minimum=2)
    for p, name in ((p_t, "treated"), (p_c, "comparison")):
        if _is_missing(p) or not 0 <= p <= 1:
            raise ValueError(f"The {name} group's proportion must be between 0 and 1; got {p!r}.")
    omega = _omega(n_t + n_c) if correction else 1.0
    at_edge = [name for p, name in ((p_t, "treated"), (p_c, "comparison")) if p in (0, 1)]
    if at_edge:
        reason = (
            f"The Cox index is undefined because the {' and '.join(at_edge)} group's proportion "
            "is 0 % or 100 % (the log odds are infinite). No adjustment was made."
        )
        return CoxIndex(None, None, False, reason, float(p_t), float(p_c), int(n_t), int(n_c),
                        omega, correction, None)  # fmt: skip
    log_odds_ratio = math.log(p_t / (1 - p_t)) - math.log(p_c / (1 - p_c))
    index = omega * log_odds_ratio / _COX_CONSTANT
    variance = 1 / (n_t * p_t * (1 - p_t)) + 1 / (n_c * p_c * (1 - p_c))
    se = omega * math.sqrt(variance) / _COX_CONSTANT
    return CoxIndex(index, se, True, "", float(p_t), float(p_c), int(n_t), int(n_c),
                    omega, correction, improvement_index(index))  # fmt: skip


# --------------------------------------------------------------------------
# Paired change (one class, pre/post on the same students)


@dataclass(frozen=True)
class PairedChange(_Result):
    """Change from pre to post on the same students.

    ``ci_low``/``ci_high`` is the paired t interval; ``bootstrap_low``/
    ``bootstrap_high`` the BCa bootstrap interval (None when it cannot be
    computed, with ``bootstrap_note`` saying why). ``d_z`` divides by the SD
    of the differences (not comparable with a WWC g); ``d_av`` by the mean of
    the two SDs.
    """

    mean_difference: float
    ci_low: float
    ci_high: float
    bootstrap_low: float | None
    bootstrap_high: float | None
    bootstrap_note: str
    t_statistic: float | None
    df: int
    p_value: float | None
    d_z: float | None
    d_av: float | None
    n: int
    n_dropped: int
    confidence_level: float
    note: str = (
        "d_z divides by the spread of the changes, so it is not comparable with a WWC "
        "Hedges' g between groups; the change alone does not show that the professional "
        "learning caused it - compare with a normal year's growth."
    )

    def confidence_interval(self) -> tuple[float, float]:
        """The paired t interval for the mean change."""
        return (self.ci_low, self.ci_high)

    def bootstrap_interval(self) -> tuple[float, float] | None:
        """The BCa bootstrap interval, when it could be computed."""
        if self.bootstrap_low is None or self.bootstrap_high is None:
            return None
        return (self.bootstrap_low, self.bootstrap_high)


def _pairs(
    pre: Sequence[float | None], post: Sequence[float | None]
) -> tuple[np.ndarray, np.ndarray, int]:
    if len(pre) != len(post):
        raise ValueError(
            f"Pre and post scores must come in pairs, one per student; got {len(pre)} pre "
            f"and {len(post)} post scores."
        )
    kept_pre: list[float] = []
    kept_post: list[float] = []
    dropped = 0
    for a, b in zip(pre, post, strict=True):
        if _is_missing(a) or _is_missing(b):
            dropped += 1
            continue
        kept_pre.append(float(a))  # type: ignore[arg-type]
        kept_post.append(float(b))  # type: ignore[arg-type]
    return np.asarray(kept_pre), np.asarray(kept_post), dropped


def _bca(
    diffs: np.ndarray, seed: int | None, level: float
) -> tuple[float | None, float | None, str]:
    if len(diffs) < 3 or np.ptp(diffs) == 0:
        return None, None, "Too few students or no variation in the changes for a bootstrap."
    result = stats.bootstrap(
        (diffs,), np.mean, method="BCa", confidence_level=level,
        n_resamples=9999, rng=np.random.default_rng(seed),
    )  # fmt: skip
    low, high = result.confidence_interval
    if not (math.isfinite(low) and math.isfinite(high)):
        return None, None, "The bootstrap interval could not be computed for these data."
    note = (
        f"BCa bootstrap, 9,999 resamples, seed {seed}."
        if seed is not None
        else ("BCa bootstrap, 9,999 resamples, unseeded (pass seed= to reproduce it).")
    )
    return float(low), float(high), note


def paired_change(
    pre: Sequence[float | None],
    post: Sequence[float | None],
    *,
    seed: int | None = None,
    confidence_level: float = 0.95,
) -> PairedChange:
    """Mean change for one class measured before and after, with two CIs.

    Parameters
    ----------
    pre, post : sequence of float or None
        One score per student, in the same order. A pair with a missing side
        is dropped and counted in ``n_dropped``.
    seed : int, optional
        Seed for the BCa bootstrap, so the interval can be reproduced.
    confidence_level : float
        0.95 by default.

    Examples
    --------
    R's ``sleep`` data, ``t.test(g2, g1, paired = TRUE)``:

    >>> g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> r = paired_change(g1, g2, seed=1)
    >>> round(r.mean_difference, 2), [round(x, 4) for x in r.confidence_interval()]
    (1.58, [0.7001, 2.4599])
    """
    if not 0 < confidence_level < 1:
        raise ValueError("confidence_level must be between 0 and 1, for example 0.95.")
    before, after, dropped = _pairs(pre, post)
    n = len(before)
    if n < 2:
        raise ValueError(
            f"At least two students need both a pre and a post score; {n} do "
            f"({dropped} had a missing score)."
        )
    diffs = after - before
    mean = float(diffs.mean())
    sd_diff = float(diffs.std(ddof=1))
    df = n - 1
    t_crit = float(stats.t.ppf(0.5 + confidence_level / 2, df))
    half = t_crit * sd_diff / math.sqrt(n)
    t_stat = p_value = d_z = None
    if sd_diff > 0:
        t_stat = mean / (sd_diff / math.sqrt(n))
        p_value = float(2 * stats.t.sf(abs(t_stat), df))
        d_z = mean / sd_diff
    sd_average = (float(before.std(ddof=1)) + float(after.std(ddof=1))) / 2
    d_av = mean / sd_average if sd_average > 0 else None
    low, high, note = _bca(diffs, seed, confidence_level)
    return PairedChange(
        mean_difference=mean, ci_low=mean - half, ci_high=mean + half,
        bootstrap_low=low, bootstrap_high=high, bootstrap_note=note,
        t_statistic=t_stat, df=df, p_value=p_value, d_z=d_z, d_av=d_av,
        n=n, n_dropped=dropped, confidence_level=confidence_level,
    )  # fmt: skip


# --------------------------------------------------------------------------
# Attrition (WWC)

# WWC Procedures and Standards Handbook, Version 5.0 (2022), attrition
# boundary table (the same values as Standards Handbook v4.1, Table II.1,
# "Highest differential attrition rate for a sample to maintain low attrition,
# by overall attrition rate, under 'optimistic' and 'cautious' assumptions"):
# differential attrition in percentage points, by overall attrition in whole
# percent. Cautious: 0-57 %; optimistic: 0-65 %. Beyond the last row attrition
# is high. Transcription as in the baselinr R package (attrition_boundary());
# the WWCr R package's transcription places the optimistic values of rows
# 13-57 one row later (it repeats 10.9 six times, not five) - ours is the
# stricter of the two; see docs/analysis-effects.md.
_CAUTIOUS = (
    5.7, 5.8, 5.9, 5.9, 6.0, 6.1, 6.2, 6.3, 6.3, 6.3,  # 0-9
    6.3, 6.2, 6.2, 6.1, 6.0, 5.9, 5.9, 5.8, 5.7, 5.5,  # 10-19
    5.4, 5.3, 5.2, 5.1, 4.9, 4.8, 4.7, 4.5, 4.4, 4.3,  # 20-29
    4.1, 4.0, 3.8, 3.6, 3.5, 3.3, 3.2, 3.1, 2.9, 2.8,  # 30-39
    2.6, 2.5, 2.3, 2.1, 2.0, 1.8, 1.6, 1.5, 1.3, 1.2,  # 40-49
    1.0, 0.9, 0.7, 0.6, 0.4, 0.3, 0.2, 0.0,  # 50-57
)  # fmt: skip
_OPTIMISTIC = (
    10.0, 10.1, 10.2, 10.3, 10.4, 10.5, 10.7, 10.8, 10.9, 10.9,  # 0-9
    10.9, 10.9, 10.9, 10.8, 10.8, 10.7, 10.6, 10.5, 10.3, 10.2,  # 10-19
    10.0, 9.9, 9.7, 9.5, 9.4, 9.2, 9.0, 8.8, 8.6, 8.4,  # 20-29
    8.2, 8.0, 7.8, 7.6, 7.4, 7.2, 7.0, 6.7, 6.5, 6.3,  # 30-39
    6.0, 5.8, 5.6, 5.3, 5.1, 4.9, 4.6, 4.4, 4.2, 3.9,  # 40-49
    3.7, 3.5, 3.2, 3.0, 2.8, 2.6, 2.3, 2.1, 1.9, 1.6,  # 50-59
    1.4, 1.1, 0.9, 0.7, 0.5, 0.3,  # 60-65
)  # fmt: skip
ATTRITION_BOUNDARIES: dict[str, tuple[float, ...]] = {
    "cautious": _CAUTIOUS,
    "optimistic": _OPTIMISTIC,
}


@dataclass(frozen=True)
class Attrition(_Result):
    """WWC overall and differential attrition and the resulting rating."""

    overall: float
    differential: float
    attrition_t: float
    attrition_c: float
    boundary: str
    max_differential: float | None
    rating: Literal["low", "high"]
    message: str


def _boundary_for(overall_percent: float, table: tuple[float, ...]) -> float | None:
    """Highest allowed differential for this overall attrition, or None past the table.

    The table has whole-percent rows; between two rows we take the smaller
    boundary, so a rate is never judged more leniently than either row.
    """
    low_row = math.floor(overall_percent + 1e-9)
    high_row = math.ceil(overall_percent - 1e-9)
    if high_row >= len(table):
        return None
    return min(table[low_row], table[high_row])


def attrition(
    randomized_t: int,
    analyzed_t: int,
    randomized_c: int,
    analyzed_c: int,
    *,
    boundary: str = "cautious",
) -> Attrition:
    """Overall and differential attrition and the WWC low/high rating.

    Overall attrition is the share of all randomised students missing from
    the analysis; differential attrition is the absolute difference between
    the two groups' attrition rates. Attrition is low when the differential
    (in percentage points) is at or below the boundary for the overall rate.

    Parameters
    ----------
    boundary : {"cautious", "optimistic"}
        The WWC boundary; use "optimistic" only when the review protocol says
        attrition is unlikely to be related to the intervention.

    Examples
    --------
    >>> r = attrition(40, 30, 48, 40)
    >>> round(r.overall * 100, 1), round(r.differential * 100, 1), r.rating
    (20.5, 8.3, 'high')
    >>> attrition(40, 30, 48, 40, boundary="optimistic").rating
    'low'
    """
    _check_choice(boundary, "boundary", tuple(ATTRITION_BOUNDARIES))
    for randomized, analyzed, name in (
        (randomized_t, analyzed_t, "treated"),
        (randomized_c, analyzed_c, "comparison"),
    ):
        _check_positive_int(randomized, f"The number randomised to the {name} group")
        _check_positive_int(analyzed, f"The number analysed in the {name} group", minimum=0)
        if analyzed > randomized:
            raise ValueError(
                f"The {name} group analyses {analyzed} students but only {randomized} "
                "were randomised."
            )
    rate_t = (randomized_t - analyzed_t) / randomized_t
    rate_c = (randomized_c - analyzed_c) / randomized_c
    overall = (randomized_t + randomized_c - analyzed_t - analyzed_c) / (
        randomized_t + randomized_c
    )
    differential = abs(rate_t - rate_c)
    limit = _boundary_for(overall * 100, ATTRITION_BOUNDARIES[boundary])
    low = limit is not None and differential * 100 <= limit + 1e-9
    if limit is None:
        why = f"overall attrition of {overall:.0%} is beyond the {boundary} boundary table"
    else:
        relation = "within" if low else "above"
        why = (
            f"differential attrition of {differential * 100:.1f} points is {relation} the "
            f"{boundary} limit of {limit:.1f} points for {overall:.0%} overall attrition"
        )
    return Attrition(
        overall=overall, differential=differential, attrition_t=rate_t, attrition_c=rate_c,
        boundary=boundary, max_differential=limit, rating="low" if low else "high",
        message=f"{'Low' if low else 'High'} attrition: {why} (WWC Handbook v5.0).",
    )  # fmt: skip


# --------------------------------------------------------------------------
# Clustering correction for mismatched analyses


@dataclass(frozen=True)
class ClusterCorrection(_Result):
    """Effect size and significance corrected for clustering (Hedges 2007; WWC).

    ``g`` is the corrected effect size and ``se`` its standard error;
    ``t_statistic``/``df``/``p_value`` are the corrected test.
    """

    g: float
    se: float
    g_unadjusted: float
    icc: float
    average_cluster_size: float
    n_clusters: int
    t_unadjusted: float
    t_statistic: float
    df: float
    p_value: float

    def confidence_interval(self, confidence_level: float = 0.95) -> tuple[float, float]:
        """Normal-theory interval ``g ± z·SE`` on the corrected values."""
        z = float(stats.norm.ppf(0.5 + confidence_level / 2))
        return (self.g - z * self.se, self.g + z * self.se)


def cluster_correction(
    g: float, n_t: int, n_c: int, clusters_t: int, clusters_c: int, *, icc: float = 0.2
) -> ClusterCorrection:
    """Correct g and its test when classes were assigned but students analysed.

    With ``N = n_t + n_c`` students in ``M`` clusters of average size
    ``n = N/M`` and intraclass correlation rho (WWC default 0.20 for
    achievement), following Hedges (2007) as the WWC Procedures Handbook
    (v4.1 and v5.0) applies it:

    - ``g_adj = g·sqrt(1 - 2(n-1)rho/(N-2))``
    - ``SE = ω·sqrt((N/(n_t n_c))·(1+(n-1)rho) + g_adj²·((N-2)(1-rho)² + n(N-2n)rho²
      + 2(N-2n)rho(1-rho)) / (2(N-2)((N-2) - 2(n-1)rho)))``
    - ``t_a = t·sqrt(((N-2) - 2(n-1)rho)/((N-2)(1+(n-1)rho)))`` with
      ``h = ((N-2) - 2(n-1)rho)² / ((N-2)(1-rho)² + n(N-2n)rho² + 2(N-2n)rho(1-rho))``
      degrees of freedom, where ``t = g / sqrt(N/(n_t n_c) + g²/(2N))`` is
      the two-sample t the unclustered analysis implies, derived from g with
      the g²/2N term in its standard error (WWC Procedures Handbook v4.1,
      appendix F, F.1.0; the WWCr package's ``tfromg``).

    Examples
    --------
    >>> r = cluster_correction(0.3, 100, 100, 4, 4)
    >>> round(r.g, 3), r.p_value > 0.05
    (0.293, True)
    """
    _check_positive_int(n_t, "The treated group size", minimum=2)
    _check_positive_int(n_c, "The comparison group size", minimum=2)
    _check_positive_int(clusters_t, "The number of treated classes")
    _check_positive_int(clusters_c, "The number of comparison classes")
    if clusters_t > n_t or clusters_c > n_c:
        raise ValueError("A group cannot have more classes than students.")
    if _is_missing(icc) or not 0 <= icc < 1:
        raise ValueError(
            f"The intraclass correlation must be from 0 up to (not including) 1; got {icc!r}."
        )
    if _is_missing(g):
        raise ValueError("The effect size is missing.")
    big_n = n_t + n_c
    m = clusters_t + clusters_c
    n = big_n / m
    rho = icc
    inner = (big_n - 2) - 2 * (n - 1) * rho
    if inner <= 0:
        raise ValueError("Too few students per class for this intraclass correlation.")
    g_adj = g * math.sqrt(1 - 2 * (n - 1) * rho / (big_n - 2))
    spread = (
        (big_n - 2) * (1 - rho) ** 2
        + n * (big_n - 2 * n) * rho**2
        + 2 * (big_n - 2 * n) * rho * (1 - rho)
    )
    omega = _omega(big_n)
    variance = (big_n / (n_t * n_c)) * (1 + (n - 1) * rho) + g_adj**2 * spread / (
        2 * (big_n - 2) * inner
    )
    t_unadjusted = g / math.sqrt(big_n / (n_t * n_c) + g**2 / (2 * big_n))
    t_adj = t_unadjusted * math.sqrt(inner / ((big_n - 2) * (1 + (n - 1) * rho)))
    df = inner**2 / spread
    p_value = float(2 * stats.t.sf(abs(t_adj), df))
    return ClusterCorrection(
        g=g_adj, se=omega * math.sqrt(variance), g_unadjusted=float(g), icc=float(icc),
        average_cluster_size=n, n_clusters=m, t_unadjusted=t_unadjusted,
        t_statistic=t_adj, df=df, p_value=p_value,
    )  # fmt: skip


# --------------------------------------------------------------------------
# The comparison design: classes trying the change against classes not yet

EffectKind = Literal["g_post", "difference_in_differences"]


@dataclass(frozen=True)
class ComparisonDesign(_Result):
    """Classes trying the change against comparison classes, judged as the WWC does.

    ``baseline`` is g on the scores before the change and ``equivalence`` its
    WWC rating; ``outcome`` is g on the scores after it. ``effect`` is what
    may be reported: g after the change when the groups started equivalent,
    the difference in differences (g_post - g_pre, the WWC's adjustment) when
    they started 0.05-0.25 SD apart, and None when they started further apart.
    ``cluster`` corrects the reported g and its test for classes being the
    unit of assignment; ``ci_low``/``ci_high`` is the WWC interval (on the
    corrected g and SE when corrected), None when no standard error applies.
    A positive effect always favours the classes trying the change.
    """

    n_t: int
    n_c: int
    clusters_t: int
    clusters_c: int
    direction: str
    baseline: HedgesG
    equivalence: BaselineEquivalence
    outcome: HedgesG
    effect: float | None
    effect_kind: EffectKind | None
    improvement_index: float | None
    ci_low: float | None
    ci_high: float | None
    cluster: ClusterCorrection | None
    message: str


def comparison_design(
    pre_treatment: Iterable[float | None],
    post_treatment: Iterable[float | None],
    pre_comparison: Iterable[float | None],
    post_comparison: Iterable[float | None],
    *,
    clusters_t: int,
    clusters_c: int,
    direction: str = "up",
    icc: float = 0.2,
) -> ComparisonDesign:
    """Hedges' g after the change, with baseline equivalence, the improvement
    index, the WWC interval and the clustering correction.

    Each argument holds one score per student (her summary before and after the
    change; missing values dropped). ``clusters_t``/``clusters_c`` are the
    numbers of classes: classes, not students, chose whether to try the change,
    so the correction of :func:`cluster_correction` always applies (ICC 0.20,
    the WWC default for achievement). ``direction="down"`` when a lower score
    is better: the signs are turned so that a positive g favours the change.

    Examples
    --------
    >>> r = comparison_design([50, 52, 49, 55], [60, 63, 58, 64],
    ...                       [51, 50, 53, 52], [54, 52, 55, 53],
    ...                       clusters_t=2, clusters_c=2)
    >>> r.equivalence.status, r.effect_kind, round(r.outcome.g, 2), round(r.effect, 2)
    ('satisfied', 'g_post', 3.13, 3.03)
    """
    _check_choice(direction, "direction", ("up", "down"))
    sign = 1.0 if direction == "up" else -1.0
    baseline = _signed_g(pre_treatment, pre_comparison, sign)
    outcome = _signed_g(post_treatment, post_comparison, sign)
    equivalence = baseline_equivalence(baseline.g)
    if equivalence.status == "satisfied":
        kind: EffectKind | None = "g_post"
        effect: float | None = outcome.g
    elif equivalence.status == "requires_adjustment":
        kind, effect = "difference_in_differences", outcome.g - baseline.g
    else:
        kind, effect = None, None
    cluster = None
    low = high = None
    if kind == "g_post":
        cluster = cluster_correction(
            outcome.g, outcome.n_t, outcome.n_c, clusters_t, clusters_c, icc=icc
        )
        effect = cluster.g
        low, high = cluster.confidence_interval()
    return ComparisonDesign(
        n_t=outcome.n_t, n_c=outcome.n_c, clusters_t=clusters_t, clusters_c=clusters_c,
        direction=direction, baseline=baseline, equivalence=equivalence, outcome=outcome,
        effect=effect, effect_kind=kind,
        improvement_index=None if effect is None else improvement_index(effect),
        ci_low=low, ci_high=high, cluster=cluster,
        message=_comparison_message(equivalence, kind),
    )  # fmt: skip


def _signed_g(
    treatment: Iterable[float | None], control: Iterable[float | None], sign: float
) -> HedgesG:
    t, _ = _clean(treatment, "treatment")
    c, _ = _clean(control, "control")
    return hedges_g(sign * t, sign * c)


def _comparison_message(equivalence: BaselineEquivalence, kind: EffectKind | None) -> str:
    if kind == "g_post":
        return (
            f"{equivalence.message} The effect size is Hedges' g after the change, corrected "
            "for classes (not students) having chosen whether to try it. The classes were "
            "not assigned at random, so it describes a difference between these groups; it "
            "does not show that the change caused it."
        )
    if kind == "difference_in_differences":
        return (
            f"{equivalence.message} The effect size is the difference in differences "
            "(g after minus g before), the adjustment the What Works Clearinghouse accepts; "
            "no interval is given, because the scores before and after come from the same "
            "students. It does not show that the change caused the difference."
        )
    return equivalence.message


# --------------------------------------------------------------------------
# Minimum detectable effect

_DESIGNS = ("paired", "two_group")


@dataclass(frozen=True)
class MinimumDetectableEffect(_Result):
    """Smallest standardised effect the design detects with the given power."""

    effect: float
    measure: str
    design: str
    n: int
    n_comparison: int | None
    alpha: float
    power: float
    message: str


def _power(effect: float, df: float, scale: float, alpha: float) -> float:
    # As R's power.t.test with strict = FALSE: the far tail is ignored.
    t_crit = stats.t.isf(alpha / 2, df)
    return float(stats.nct.sf(t_crit, df, effect * scale))


def minimum_detectable_effect(
    n: int,
    *,
    design: str = "paired",
    n_comparison: int | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
) -> MinimumDetectableEffect:
    """Smallest effect a two-sided t test detects with the given power.

    Solved from the noncentral t distribution exactly as R's
    ``power.t.test`` (``strict = FALSE``).

    Parameters
    ----------
    n : int
        Students with both scores (``"paired"``) or in the treated group
        (``"two_group"``).
    design : {"paired", "two_group"}
        ``"paired"`` gives d_z; ``"two_group"`` gives d for independent groups.
    n_comparison : int, optional
        Comparison-group size for ``"two_group"``; defaults to ``n``.

    Examples
    --------
    >>> round(minimum_detectable_effect(25).effect, 2)
    0.58
    >>> round(minimum_detectable_effect(25, design="two_group").effect, 2)
    0.81
    """
    _check_choice(design, "design", _DESIGNS)
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError("alpha and power must each be between 0 and 1.")
    if design == "paired":
        _check_positive_int(n, "The number of students", minimum=2)
        df: float = n - 1
        scale = math.sqrt(n)
        n_c = None
    else:
        n_c = n if n_comparison is None else n_comparison
        _check_positive_int(n, "The treated group size", minimum=2)
        _check_positive_int(n_c, "The comparison group size", minimum=2)
        df = n + n_c - 2
        scale = math.sqrt(n * n_c / (n + n_c))
    if _power(1e-9, df, scale, alpha) >= power:
        raise ValueError("The requested power is below the test's false-alarm rate.")
    effect = float(optimize.brentq(lambda d: _power(d, df, scale, alpha) - power, 1e-9, 100.0))
    measure = "d_z" if design == "paired" else "d"
    return MinimumDetectableEffect(
        effect=effect, measure=measure, design=design, n=int(n), n_comparison=n_c,
        alpha=alpha, power=power,
        message=(
            f"With {n} students this design can reliably ({power:.0%} power) detect only effects "
            f"of about {measure} = {effect:.2f} or larger; a smaller real effect would often show "
            "no signal, so no signal does not mean no effect."
        ),
    )  # fmt: skip


# --------------------------------------------------------------------------
# Fixed-effect pooling across classes


@dataclass(frozen=True)
class FixedEffectPool(_Result):
    """Inverse-variance (fixed-effect) pooled effect and heterogeneity.

    ``k`` classes were pooled; ``n_dropped`` had a missing effect or SE.
    """

    effect: float
    se: float
    z: float
    p_value: float
    q: float
    df: int
    q_p_value: float
    i_squared: float
    k: int
    weights: tuple[float, ...]
    n_dropped: int = 0

    def confidence_interval(self, confidence_level: float = 0.95) -> tuple[float, float]:
        """Normal-theory interval for the pooled effect."""
        z = float(stats.norm.ppf(0.5 + confidence_level / 2))
        return (self.effect - z * self.se, self.effect + z * self.se)


def fixed_effect_pool(
    effects: Sequence[float | None], standard_errors: Sequence[float | None]
) -> FixedEffectPool:
    """Pool effect sizes (for example g per class) with inverse-variance weights.

    ``w_i = 1/SE_i²``, ``M = Σw_i y_i/Σw_i``, ``SE_M = 1/sqrt(Σw_i)``,
    ``Q = Σw_i(y_i - M)²``, ``I² = max(0, (Q - df)/Q)`` (Borenstein et al.
    2009, ch. 11 and 16). Returned weights are normalised to sum to 1. A
    class whose effect or SE is missing is left out and counted.

    Examples
    --------
    >>> r = fixed_effect_pool([0.2, 0.4, None], [0.1, 0.1, 0.2])
    >>> round(r.effect, 2), round(r.se, 4), r.k, r.n_dropped
    (0.3, 0.0707, 2, 1)
    """
    if len(effects) != len(standard_errors):
        raise ValueError("Give one standard error for each effect size.")
    pairs = [
        (float(y), float(se))  # type: ignore[arg-type]
        for y, se in zip(effects, standard_errors, strict=True)
        if not (_is_missing(y) or _is_missing(se))
    ]
    if not pairs:
        raise ValueError("There are no effect sizes to pool.")
    y = np.asarray([p[0] for p in pairs])
    se = np.asarray([p[1] for p in pairs])
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(se))):
        raise ValueError("Every effect size and standard error must be a finite number.")
    if np.any(se <= 0):
        raise ValueError("Every standard error must be greater than 0.")
    w = 1 / se**2
    pooled = float(np.sum(w * y) / np.sum(w))
    pooled_se = float(1 / math.sqrt(np.sum(w)))
    q = float(np.sum(w * (y - pooled) ** 2))
    df = len(y) - 1
    z = pooled / pooled_se
    return FixedEffectPool(
        effect=pooled, se=pooled_se, z=z, p_value=float(2 * stats.norm.sf(abs(z))),
        q=q, df=df, q_p_value=float(stats.chi2.sf(q, df)) if df > 0 else 1.0,
        i_squared=max(0.0, (q - df) / q) if q > 0 else 0.0, k=len(y),
        weights=tuple(float(v) for v in w / np.sum(w)),
        n_dropped=len(effects) - len(pairs),
    )  # fmt: skip


# --------------------------------------------------------------------------
# Benjamini-Hochberg


@dataclass(frozen=True)
class MultipleComparisons(_Result):
    """Benjamini-Hochberg adjusted p-values and which findings remain significant.

    Missing p-values stay missing (None) in ``adjusted`` and ``rejected`` and
    do not count towards the number of tests, as in R's ``p.adjust``.
    """

    p_values: tuple[float | None, ...]
    adjusted: tuple[float | None, ...]
    rejected: tuple[bool | None, ...]
    alpha: float
    n_tests: int


def benjamini_hochberg(
    p_values: Sequence[float | None], *, alpha: float = 0.05
) -> MultipleComparisons:
    """Benjamini-Hochberg false-discovery-rate adjustment (as R's ``p.adjust``).

    ``adjusted_(i) = min_{j >= i} min(1, m·p_(j)/j)`` over the m sorted
    non-missing p-values; a finding stays significant when its adjusted
    p-value is at most alpha.

    Examples
    --------
    >>> r = benjamini_hochberg([0.01, 0.04, None, 0.005])
    >>> [None if p is None else round(p, 3) for p in r.adjusted], r.rejected
    ([0.015, 0.04, None, 0.015], (True, True, None, True))
    """
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1, for example 0.05.")
    present = [i for i, v in enumerate(p_values) if not _is_missing(v)]
    p = np.asarray([float(p_values[i]) for i in present])  # type: ignore[arg-type]
    if len(p) == 0:
        raise ValueError("There are no p-values to adjust.")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("Every p-value must be a number between 0 and 1.")
    m = len(p)
    order = np.argsort(p)
    scaled = p[order] * m / np.arange(1, m + 1)
    monotone = np.minimum.accumulate(scaled[::-1])[::-1]
    adjusted_present = np.empty(m)
    adjusted_present[order] = np.minimum(monotone, 1.0)
    adjusted: list[float | None] = [None] * len(p_values)
    for slot, value in zip(present, adjusted_present, strict=True):
        adjusted[slot] = float(value)
    return MultipleComparisons(
        p_values=tuple(None if _is_missing(v) else float(v) for v in p_values),  # type: ignore[arg-type]
        adjusted=tuple(adjusted),
        rejected=tuple(None if a is None else a <= alpha for a in adjusted),
        alpha=alpha,
        n_tests=m,
    )


# --------------------------------------------------------------------------
# What may be claimed, by design (docs/analysis-effects.md section 1)


@dataclass(frozen=True)
class Claims(_Result):
    """What the product may and must not say for one study design."""

    design: str
    label: str
    may: tuple[str, ...]
    must_not: tuple[str, ...]


DESIGN_CLAIMS: dict[str, Claims] = {
    "one_class_pre_post": Claims(
        design="one_class_pre_post",
        label="One class, pre/post on the same students",
        may=(
            "the raw change with a 95 % CI (paired t, and a BCa bootstrap beside it)",
            "d_av",
            "per-student growth",
            "a comparison with a normal year's growth",
        ),
        must_not=(
            "that the professional learning caused the change",
            "a d_z presented as comparable to a WWC g",
        ),
    ),
    "comparison_not_randomised": Claims(
        design="comparison_not_randomised",
        label="Treated vs comparison classes, not randomised",
        may=("Hedges' g, the improvement index and a CI - only if baseline equivalence holds",),
        must_not=("a g when abs(g_pre) > 0.25",),
    ),
    "randomised": Claims(
        design="randomised",
        label="Randomised",
        may=(
            "Hedges' g, the improvement index and a CI - only if baseline equivalence holds",
            "the WWC attrition rating",
            "effects corrected for clustering",
        ),
        must_not=("an analysis that ignores clustering when classes were assigned",),
    ),
}


def claims_for(design: str) -> Claims:
    """What the product may and must not say for a design.

    Examples
    --------
    >>> claims_for("one_class_pre_post").must_not[0]
    'that the professional learning caused the change'
    """
    _check_choice(design, "design", tuple(DESIGN_CLAIMS))
    return DESIGN_CLAIMS[design]
