"""Random-effects pooling of classroom effects, and the effect each classroom brings.

Two steps, each matching the R package metafor (Viechtbauer 2010), so the numbers here can
be checked against it:

1. :func:`standardized_mean_change` turns one class's paired pre/post scores into a
   standardized mean change with raw-score standardization, metafor's
   ``escalc(measure="SMCR")`` (Becker 1988): ``yi = c(n-1)·(mean_post - mean_pre)/sd_pre``,
   with ``c(m) = Γ(m/2) / (sqrt(m/2)·Γ((m-1)/2))`` (the exact small-sample correction metafor
   uses; ``1 - 3/(4m - 1)`` is Hedges's approximation of it, 0.0003 larger at m = 8), and
   ``vi = 2(1-r)/n + yi²/(2n)`` (Becker 1988, eq. 13; metafor's default ``vtype="LS"``),
   ``r`` the students' pre-post correlation.
2. :func:`pool` combines such effects with a random-effects model: DerSimonian-Laird
   (``method="DL"``, the default) or Paule-Mandel (``"PM"``) through statsmodels'
   ``combine_effects``, or restricted maximum likelihood (``"REML"``, metafor's default).
   The result states the heterogeneity plainly and never claims a cause.

Honesty rules (constants below):

- Fewer than :data:`MIN_POOLED_K` classrooms: nothing is pooled (:func:`pool` returns
  None; :func:`why_not_pooled` says why in words).
- Fewer than :data:`FEW_FOR_TAU2` classrooms: the result says the between-classroom
  variance is poorly estimated.
- Only effects of the same kind (the same measure kind, all SMCR) may be pooled together.
  The function cannot tell; that is the caller's duty.
- Every plain-words summary ends with :data:`NOT_CAUSAL`.

Pure Python (numpy, scipy, statsmodels); no Django. ``docs/analysis-effects.md`` states
the formulas and conventions.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import optimize, stats

from uptake.analysis.effects import _is_missing, _Result

__all__ = [
    "FEW_FOR_TAU2",
    "MIN_CHANGE_N",
    "MIN_POOLED_K",
    "NOT_CAUSAL",
    "ChangeEffect",
    "Pooled",
    "pool",
    "small_sample_correction",
    "standardized_mean_change",
    "standardized_mean_change_from_stats",
    "why_not_pooled",
]

#: Fewer classrooms than this are never pooled: an average of one or two classrooms is
#: just those classrooms, and their spread cannot be estimated at all.
MIN_POOLED_K = 3
#: Below this many classrooms the between-classroom variance (tau²) is poorly estimated,
#: and the result says so.
FEW_FOR_TAU2 = 5
#: A class needs this many students with both scores for a standardized mean change
#: (metafor's c(m) needs m = n - 1 > 1; the correlation needs three pairs to mean much).
MIN_CHANGE_N = 3
#: The sentence every pooled summary ends with.
NOT_CAUSAL = (
    "This describes these classrooms; it does not show the professional learning caused the change."
)
#: I² boundaries for the plain words (Higgins et al. 2003: 25 % low, 75 % high).
LOW_I2 = 0.25
HIGH_I2 = 0.75

Method = Literal["DL", "PM", "REML"]
_METHODS: tuple[str, ...] = ("DL", "PM", "REML")
_METHOD_NAMES = {
    "DL": "DerSimonian-Laird",
    "PM": "Paule-Mandel",
    "REML": "restricted maximum likelihood",
}


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1, for example 0.95.")
    return float(stats.norm.ppf(0.5 + level / 2))




# --------------------------------------------------------------------------
# One class: the standardized mean change (metafor "SMCR")


@dataclass(frozen=True)
class ChangeEffect(_Result):
    """One class's standardized mean change with raw-score standardization.

    ``yi`` is the effect, ``vi`` its sampling variance, ``ci_low``/``ci_high`` the Wald
    interval ``yi ± z·sqrt(vi)``; ``n`` students had both scores, ``n_dropped`` pairs had
    a missing side; ``r`` is the pre-post correlation. When the effect cannot be computed
    the numbers are None and ``reason`` says why in words (otherwise it is "").
    """

    yi: float | None
    vi: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    n_dropped: int
    r: float | None
    mean_pre: float | None
    mean_post: float | None
    sd_pre: float | None
    level: float
    reason: str = ""

    @property
    def computed(self) -> bool:
        """True when there is an effect to show or pool."""
        return self.yi is not None and self.vi is not None


def small_sample_correction(m: int) -> float:
    """metafor's ``.cmicalc``: ``c(m) = Γ(m/2) / (sqrt(m/2)·Γ((m-1)/2))`` for m > 1.

    >>> round(small_sample_correction(8), 6)
    0.902703
    """
    if m <= 1:
        raise ValueError("The small-sample correction needs m = n - 1 greater than 1.")
    return math.exp(math.lgamma(m / 2) - math.log(math.sqrt(m / 2)) - math.lgamma((m - 1) / 2))


def _not_computed(n: int, dropped: int, level: float, reason: str, **known: Any) -> ChangeEffect:
    values: dict[str, Any] = {"r": None, "mean_pre": None, "mean_post": None, "sd_pre": None}
    values.update(known)
    return ChangeEffect(
        yi=None, vi=None, se=None, ci_low=None, ci_high=None, n=n, n_dropped=dropped,
        level=level, reason=reason, **values,
    )  # fmt: skip


def standardized_mean_change(
    pre: Sequence[float | None], post: Sequence[float | None], *, level: float = 0.95
) -> ChangeEffect:
    """The standardized mean change of one class from paired pre and post scores.

    metafor's ``escalc(measure="SMCR", m1i=mean_post, m2i=mean_pre, sd1i=sd_pre, ni=n,
    ri=r)``: ``yi = c(n-1)·(mean_post - mean_pre)/sd_pre`` and ``vi = 2(1-r)/n + yi²/(2n)``
    (Becker 1988), with ``sd_pre`` the sample SD (n - 1) of the pre scores and ``r`` the
    Pearson correlation of the pairs. Positive means the scores went up; a caller whose
    measure improves downward flips the sign.

    A pair with a missing side is dropped and counted. With fewer than
    :data:`MIN_CHANGE_N` pairs, no spread in the pre scores, or no spread in the post
    scores (then the correlation is undefined), the effect is not computed and ``reason``
    says why. Raises ValueError when the two lists differ in length.

    Examples
    --------
    >>> e = standardized_mean_change([10, 12, 14, 16, 18], [13, 14, 17, 18, 22])
    >>> round(e.yi, 4), round(e.vi, 4), e.n
    (0.7065, 0.0595, 5)
    """
    _z(level)
    if len(pre) != len(post):
        raise ValueError(
            f"Pre and post scores must come in pairs, one per student; got {len(pre)} pre "
            f"and {len(post)} post scores."
        )
    pairs = [
        (float(a), float(b))  # type: ignore[arg-type]
        for a, b in zip(pre, post, strict=True)
        if not (_is_missing(a) or _is_missing(b))
    ]
    dropped = len(pre) - len(pairs)
    n = len(pairs)
    if n < MIN_CHANGE_N:
        missing = f" ({dropped} more had a missing score)" if dropped else ""
        return _not_computed(
            n, dropped, level,
            f"A standardized change needs at least {MIN_CHANGE_N} students with both a "
            f"before and an after score; {n} had both{missing}.",
        )  # fmt: skip
    before = np.asarray([p[0] for p in pairs])
    after = np.asarray([p[1] for p in pairs])
    if not (np.all(np.isfinite(before)) and np.all(np.isfinite(after))):
        raise ValueError("Every score must be a finite number.")
    mean_pre, mean_post = float(before.mean()), float(after.mean())
    sd_pre = float(before.std(ddof=1))
    sd_post = float(after.std(ddof=1))
    known: dict[str, Any] = {"mean_pre": mean_pre, "mean_post": mean_post, "sd_pre": sd_pre}
    if sd_pre == 0:
        return _not_computed(
            n, dropped, level,
            "Every student had the same before score, so there is no spread to measure "
            "the change against.", **known,
        )  # fmt: skip
    if sd_post == 0:
        return _not_computed(
            n, dropped, level,
            "Every student had the same after score, so how before and after scores move "
            "together cannot be measured, and neither can the change's precision.", **known,
        )  # fmt: skip
    r = min(1.0, max(-1.0, float(np.corrcoef(before, after)[0, 1])))
    return _smcr(mean_pre, mean_post, sd_pre, n, r, level=level, n_dropped=dropped)


def _smcr(
    mean_pre: float,
    mean_post: float,
    sd_pre: float,
    n: int,
    r: float,
    *,
    level: float,
    n_dropped: int,
) -> ChangeEffect:
    z = _z(level)
    yi = small_sample_correction(n - 1) * (mean_post - mean_pre) / sd_pre
    vi = 2 * (1 - r) / n + yi**2 / (2 * n)
    se = math.sqrt(vi)
    return ChangeEffect(
        yi=yi, vi=vi, se=se, ci_low=yi - z * se, ci_high=yi + z * se, n=n,
        n_dropped=n_dropped, r=r, mean_pre=mean_pre, mean_post=mean_post, sd_pre=sd_pre,
        level=level,
    )  # fmt: skip


def standardized_mean_change_from_stats(
    mean_pre: float,
    mean_post: float,
    sd_pre: float,
    n: int,
    r: float,
    *,
    level: float = 0.95,
) -> ChangeEffect:
    """The same effect from summary statistics, as ``escalc("SMCR", m1i=mean_post,
    m2i=mean_pre, sd1i=sd_pre, ni=n, ri=r)`` takes them (for reports that give no
    per-student scores). Raises ValueError for impossible inputs.

    >>> round(standardized_mean_change_from_stats(0.5, 0.7, 0.1, 9, 0.77).yi, 4)
    1.8054
    """
    values = (mean_pre, mean_post, sd_pre, r)
    if not all(isinstance(x, int | float) and math.isfinite(x) for x in values):
        raise ValueError("Means, SD and correlation must be finite numbers.")
    if n < MIN_CHANGE_N:
        raise ValueError(f"A standardized change needs at least {MIN_CHANGE_N} students.")
    if sd_pre <= 0:
        raise ValueError("The before SD must be greater than 0.")
    if not -1 <= r <= 1:
        raise ValueError("The correlation must lie between -1 and 1.")
    return _smcr(
        float(mean_pre), float(mean_post), float(sd_pre), int(n), float(r), level=level,
        n_dropped=0,
    )  # fmt: skip


# --------------------------------------------------------------------------
# Many classes: the random-effects pooled estimate


@dataclass(frozen=True)
class Pooled(_Result):
    """A random-effects pooled estimate across classrooms.

    ``estimate`` ± ``se``, the Wald interval ``ci_low``-``ci_high``; ``tau2`` the
    between-classroom variance; ``i2`` the share of the spread beyond chance, a proportion
    (0.92 = 92 %), in metafor's general form ``tau2/(tau2 + s²)`` with ``s²`` the typical
    within-classroom variance (for DL this is the familiar ``(Q - df)/Q``); ``q`` Cochran's
    Q on ``q_df = k - 1`` degrees of freedom, ``q_p`` its p-value; ``pi_low``-``pi_high``
    the prediction interval for a new classroom, metafor's ``predict.rma`` default
    ``estimate ± z·sqrt(tau2 + se²)`` (normal quantile, so it equals the confidence
    interval when tau2 = 0); ``k`` effects were pooled, ``n_dropped`` were missing.
    ``plainly`` says all of it in words.
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    tau2: float
    i2: float
    q: float
    q_df: int
    q_p: float
    k: int
    pi_low: float
    pi_high: float
    method: str
    level: float
    n_dropped: int
    plainly: str

    @property
    def tau(self) -> float:
        return math.sqrt(self.tau2)

    @property
    def tau2_poorly_estimated(self) -> bool:
        return self.k < FEW_FOR_TAU2


def why_not_pooled(k: int) -> str | None:
    """The sentence shown instead of a pooled estimate, or None when k is enough."""
    if k >= MIN_POOLED_K:
        return None
    if k == 0:
        return "No classroom has an effect to combine yet."
    have = "one classroom has" if k == 1 else f"{k} classrooms have"
    return (
        f"Only {have} an effect, and an average needs at least {MIN_POOLED_K}: with fewer, "
        "it would just repeat those classrooms and could not say how much classrooms differ."
    )


def _clean_effects(
    effects: Sequence[tuple[float | None, float | None]],
) -> tuple[np.ndarray, np.ndarray, int]:
    kept: list[tuple[float, float]] = []
    for item in effects:
        if len(item) != 2:
            raise ValueError("Give each effect as a pair: (effect, sampling variance).")
        y, v = item
        if _is_missing(y) or _is_missing(v):
            continue
        kept.append((float(y), float(v)))  # type: ignore[arg-type]
    y_arr = np.asarray([p[0] for p in kept], dtype=float)
    v_arr = np.asarray([p[1] for p in kept], dtype=float)
    if not (np.all(np.isfinite(y_arr)) and np.all(np.isfinite(v_arr))):
        raise ValueError("Every effect and sampling variance must be a finite number.")
    if np.any(v_arr <= 0):
        raise ValueError("Every sampling variance must be greater than 0.")
    return y_arr, v_arr, len(effects) - len(kept)


def _generalized_q(y: np.ndarray, v: np.ndarray, tau2: float) -> float:
    w = 1 / (v + tau2)
    mu = float(np.sum(w * y) / np.sum(w))
    return float(np.sum(w * (y - mu) ** 2))


def _tau2_statsmodels(y: np.ndarray, v: np.ndarray, method: str) -> tuple[float, float]:
    """(tau2, Q) from statsmodels: "chi2" is DerSimonian-Laird, "iterated" Paule-Mandel."""
    # Imported here: statsmodels takes about two seconds to import, and most readers of
    # uptake.analysis never pool.
    from statsmodels.stats.meta_analysis import combine_effects

    # When the DerSimonian-Laird tau2 comes out negative statsmodels goes on to divide by
    # it (and warns); only tau2 and Q are read here, and tau2 is truncated at 0 below.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        fit = combine_effects(
            y, v, method_re="chi2" if method == "DL" else "iterated",
            **({} if method == "DL" else {"atol": 1e-10, "maxiter": 500}),
        )  # fmt: skip
    tau2, q = max(0.0, float(fit.tau2)), float(fit.q)
    if method == "PM":
        tau2 = _check_paule_mandel(y, v, tau2)
    return tau2, q


def _check_paule_mandel(y: np.ndarray, v: np.ndarray, tau2: float) -> float:
    """Make sure tau2 solves Paule and Mandel's equation, generalized Q(tau2) = k - 1.

    statsmodels' Newton steps can stop short, and when a step overshoots (Q falls below
    k - 1) it gives up and returns 0 even though Q(0) > k - 1. Then the root is found by
    bisection, as metafor does (Q falls as tau2 grows, so the root is unique).
    """
    target = len(y) - 1
    if _generalized_q(y, v, 0.0) <= target:
        return 0.0
    if tau2 > 0 and abs(_generalized_q(y, v, tau2) - target) <= 1e-8 * max(1.0, target):
        return tau2
    upper = max(1.0, 100 * float(np.var(y)))
    while _generalized_q(y, v, upper) > target:
        upper *= 10
    return float(optimize.brentq(lambda t: _generalized_q(y, v, t) - target, 0, upper, xtol=1e-14))


def _tau2_reml(y: np.ndarray, v: np.ndarray) -> float:
    """Maximize the restricted log-likelihood over tau2 >= 0 (metafor's default)."""

    def minus_loglik(tau2: float) -> float:
        w = 1 / (v + tau2)
        mu = np.sum(w * y) / np.sum(w)
        return 0.5 * float(
            np.sum(np.log(v + tau2)) + math.log(np.sum(w)) + np.sum(w * (y - mu) ** 2)
        )

    upper = max(1.0, 100 * float(np.var(y, ddof=1)) + 100 * float(np.max(v)))
    found = optimize.minimize_scalar(
        minus_loglik, bounds=(0, upper), method="bounded", options={"xatol": 1e-12}
    )
    tau2 = float(found.x)
    # The bounded search never lands exactly on the boundary; take 0 when it is better.
    return 0.0 if minus_loglik(0.0) <= minus_loglik(tau2) else tau2


def _number(x: float) -> str:
    return f"{x:.2f}".replace("-", "\u2212") if round(x, 2) != 0 else "0.00"


def _plainly(k: int, i2: float, pi_low: float, pi_high: float, level: float) -> str:
    percent = round(100 * i2)
    if i2 < LOW_I2:
        spread = f"The classrooms' results are about as alike as chance allows (I² = {percent} %)."
    elif i2 <= HIGH_I2:
        spread = (
            f"The classrooms' results differ moderately, more than chance alone would explain "
            f"(I² = {percent} %): the average is a fair summary, but not every classroom is "
            "near it."
        )
    else:
        spread = (
            f"The classrooms' results differ far more than chance would explain "
            f"(I² = {percent} %): the average hides real differences; look at the "
            "classrooms."
        )
    parts = [spread]
    if k < FEW_FOR_TAU2:
        parts.append(
            f"With only {k} classrooms, how much classrooms truly differ is poorly estimated."
        )
    parts.append(
        f"A new classroom like these could see an effect anywhere from {_number(pi_low)} to "
        f"{_number(pi_high)} ({round(100 * level)} % prediction interval)."
    )
    parts.append(NOT_CAUSAL)
    return " ".join(parts)


def pool(
    effects: Sequence[tuple[float | None, float | None]],
    *,
    method: Method = "DL",
    level: float = 0.95,
) -> Pooled | None:
    """Random-effects pooled estimate of classroom effects, or None when too few.

    Parameters
    ----------
    effects : sequence of (effect, sampling variance)
        For example each class's ``(ChangeEffect.yi, ChangeEffect.vi)``. A pair with a
        missing side is left out and counted in ``n_dropped``. **Only effects of the same
        kind may be pooled** (same effect-size definition, same kind of measure); the
        function cannot check that, the caller must.
    method : "DL", "PM" or "REML"
        The estimator of the between-classroom variance tau²: DerSimonian-Laird
        (statsmodels' ``combine_effects(method_re="chi2")``), Paule-Mandel
        (``method_re="iterated"``), or restricted maximum likelihood. tau² is truncated
        at 0, as in metafor.
    level : float
        Confidence and prediction level, 0.95 by default.

    Returns
    -------
    Pooled, or None when fewer than :data:`MIN_POOLED_K` effects remain (see
    :func:`why_not_pooled`).

    The estimate weights each effect by ``1/(vi + tau2)``; ``se = 1/sqrt(Σw)``; the
    interval is ``estimate ± z·se`` (metafor's ``rma(..., test="z")``).

    Examples
    --------
    >>> p = pool([(0.2, 0.04), (0.4, 0.04), (0.3, 0.04)])
    >>> round(p.estimate, 2), p.tau2, p.k
    (0.3, 0.0, 3)
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(_METHODS)}; got {method!r}.")
    z = _z(level)
    y, v, dropped = _clean_effects(effects)
    k = len(y)
    if k < MIN_POOLED_K:
        return None
    if method == "REML":
        tau2 = _tau2_reml(y, v)
        q = _generalized_q(y, v, 0.0)
    else:
        tau2, q = _tau2_statsmodels(y, v, method)
    w = 1 / (v + tau2)
    estimate = float(np.sum(w * y) / np.sum(w))
    se = float(1 / math.sqrt(np.sum(w)))
    w_fixed = 1 / v
    typical_v = (k - 1) / float(np.sum(w_fixed) - np.sum(w_fixed**2) / np.sum(w_fixed))
    i2 = tau2 / (tau2 + typical_v)
    pi_half = z * math.sqrt(tau2 + se**2)
    pi_low, pi_high = estimate - pi_half, estimate + pi_half
    return Pooled(
        estimate=estimate, se=se, ci_low=estimate - z * se, ci_high=estimate + z * se,
        tau2=tau2, i2=i2, q=q, q_df=k - 1, q_p=float(stats.chi2.sf(q, k - 1)), k=k,
        pi_low=pi_low, pi_high=pi_high, method=_METHOD_NAMES[method], level=level,
        n_dropped=dropped, plainly=_plainly(k, i2, pi_low, pi_high, level),
    )  # fmt: skip
