"""Control charts (XmR, MR, p, Laney p', u, c) and their rule sets.

Limits come from the baseline points (all points unless ``baseline_n`` is given) and are
given per point. Conventions are documented in ``docs/analysis.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from uptake.analysis.runs import (
    RunsResult,
    Values,
    check_baseline,
    run_lengths,
    runs_from_array,
    to_array,
)

__all__ = ["CHARTS", "RULE_SETS", "ControlChart", "Signal", "control_chart", "rule_signals"]

CHARTS = ("i", "mr", "p", "pprime", "u", "c")
RULE_SETS = ("default", "mdc", "we", "nelson")

# XmR constants: 2.66 = 3/d2 rounded (d2 = 1.128 for n = 2), as Wheeler and NHS Making
# Data Count use; 3.267 = D4 for n = 2. qicharts2 uses 3/1.128 = 2.6596 (documented).
E2 = 2.66
D4 = 3.267
D2 = 1.128  # Laney's sigma_z = mean moving range of z / d2, as Laney (2002) and qicharts2.

# Rule names, and the rules whose evidence is a sustained run (used by the verdict).
RUN_RULES = frozenset({"anhoej_run", "anhoej_crossings", "mdc_shift", "we_shift", "nelson_shift"})
RULE_TEXT = {
    "outside_limits": "outside the control limits",
    "anhoej_run": "a run longer than expected by chance (Anhøj)",
    "anhoej_crossings": "fewer crossings of the centre line than expected by chance (Anhøj)",
    "mdc_shift": "7 or more points in a row on one side of the centre line",
    "mdc_trend": "7 or more points in a row all rising or all falling",
    "two_of_three": "2 of 3 points in a row beyond 2 sigma on the same side",
    "four_of_five": "4 of 5 points in a row beyond 1 sigma on the same side",
    "we_shift": "8 points in a row on one side of the centre line",
    "nelson_shift": "9 points in a row on one side of the centre line",
    "nelson_trend": "6 points in a row all rising or all falling",
    "nelson_alternating": "14 points in a row alternating up and down",
    "nelson_hugging": "15 points in a row within 1 sigma of the centre line",
    "nelson_mixture": "8 points in a row with none within 1 sigma of the centre line",
}


@dataclass(frozen=True)
class Signal:
    """One rule that fired: its name, the side of the centre line, and the 0-based points."""

    rule: str
    side: str | None
    points: tuple[int, ...]

    @property
    def description(self) -> str:
        """The rule in plain words."""
        return RULE_TEXT.get(self.rule, self.rule)

    def to_dict(self) -> dict[str, Any]:
        """Plain ``dict`` of the fields, ready for JSON."""
        return {"rule": self.rule, "side": self.side, "points": list(self.points),
                "description": self.description}


@dataclass(frozen=True)
class ControlChart:
    """A control chart: plotted values, centre line, per-point limits and signals.

    Attributes
    ----------
    chart, rules : str
        The chart type and the rule set used for ``signals``.
    n_obs, baseline_n : int
    values : tuple of float or None
        The plotted values (proportions for p charts, rates for u charts, moving
        ranges for MR charts); None where missing.
    centre : float or None
    ucl, lcl, sigma : tuple of float or None
        Upper and lower limits and one sigma, per point.
    outside : tuple of int
        0-based indices of points beyond the limits (strictly).
    signals : tuple of Signal
        Every rule of the rule set that fired.
    runs : RunsResult
        The Anhøj runs analysis against this chart's centre line.
    amr : float or None
        Average moving range (I and MR charts; of z-scores for p').
    sigma_z : float or None
        Laney's between-subgroup factor (p' only).
    screened : bool
        Whether moving ranges above 3.267·AMR were removed before the limits.
    """

    chart: str
    rules: str
    n_obs: int
    baseline_n: int
    values: tuple[float | None, ...]
    centre: float | None
    ucl: tuple[float | None, ...]
    lcl: tuple[float | None, ...]
    sigma: tuple[float | None, ...]
    outside: tuple[int, ...]
    signals: tuple[Signal, ...]
    runs: RunsResult
    amr: float | None
    sigma_z: float | None
    screened: bool

    @property
    def signal(self) -> bool:
        """True when any rule fired."""
        return bool(self.signals)

    @property
    def laney_suggested(self) -> bool:
        """True for a p chart with most points outside its limits: very large
        denominators make ordinary p limits too tight; Laney's p' chart is the remedy.

        Examples
        --------
        >>> control_chart(chart="p", numerators=[300, 420, 350, 480, 310, 460],
        ...               denominators=[1000] * 6).laney_suggested
        True
        """
        present = sum(v is not None for v in self.values)
        return self.chart == "p" and present > 0 and len(self.outside) > present / 2

    def to_dict(self) -> dict[str, Any]:
        """Plain ``dict`` (lists, nested dicts), ready for JSON."""
        d = asdict(self)
        for key in ("values", "ucl", "lcl", "sigma", "outside"):
            d[key] = list(d[key])
        d["signals"] = [s.to_dict() for s in self.signals]
        d["runs"] = self.runs.to_dict()
        return d


def _tuple(a: np.ndarray) -> tuple[float | None, ...]:
    return tuple(None if np.isnan(v) else float(v) for v in a)


def moving_ranges(y: np.ndarray) -> np.ndarray:
    """|y[i] - y[i-1]| for i >= 1; NaN when either point is missing (a gap removes both MRs)."""
    return np.abs(np.diff(y))


def _mean_mr(mr: np.ndarray, screen: bool) -> float | None:
    mr = mr[~np.isnan(mr)]
    if len(mr) == 0:
        return None
    amr = float(mr.mean())
    if screen:
        # Nelson (1982): drop moving ranges at or above the MR chart's limit, recompute once.
        kept = mr[mr < D4 * amr]
        amr = float(kept.mean()) if len(kept) else amr
    return amr


def xmr_limits(
    y: np.ndarray, baseline_n: int, *, screen: bool
) -> tuple[float | None, float | None, np.ndarray]:
    """(centre, average moving range, all moving ranges) for an XmR chart."""
    base = y[:baseline_n]
    present = base[~np.isnan(base)]
    cl = float(present.mean()) if len(present) else None
    mr = moving_ranges(y)
    amr = _mean_mr(mr[: max(baseline_n - 1, 0)], screen)
    return cl, amr, mr


def check_counts(
    numerators: Values | None, denominators: Values | None, chart: str
) -> tuple[np.ndarray, np.ndarray]:
    """Validated numerator and denominator arrays (NaN where either is missing)."""
    if numerators is None or denominators is None:
        raise ValueError(f"A {chart} chart needs numerators and denominators.")
    k = to_array(numerators, name="numerators")
    n = to_array(denominators, name="denominators")
    if len(k) != len(n):
        raise ValueError(
            f"There are {len(k)} numerators but {len(n)} denominators; they must pair up."
        )
    for i in range(len(k)):
        if k[i] < 0:
            raise ValueError(f"Point {i + 1}: the numerator {k[i]:g} is negative.")
        if n[i] < 0:
            raise ValueError(f"Point {i + 1}: the denominator {n[i]:g} is negative.")
        if chart in ("p", "pprime") and k[i] > n[i]:
            raise ValueError(
                f"Point {i + 1}: the numerator {k[i]:g} is larger than the denominator {n[i]:g}."
            )
    # A denominator of 0 (no students that week) is a missing point, not an error.
    missing = np.isnan(k) | np.isnan(n) | (n == 0)
    k[missing] = np.nan
    n[missing] = np.nan
    return k, n


def _series(
    values: Values | None, numerators: Values | None, denominators: Values | None
) -> np.ndarray:
    if values is not None:
        if numerators is not None or denominators is not None:
            raise ValueError("Give either values or numerators and denominators, not both.")
        return to_array(values)
    k, n = check_counts(numerators, denominators, "ratio")
    return k / n


def control_chart(
    values: Values | None = None,
    *,
    chart: str = "i",
    numerators: Values | None = None,
    denominators: Values | None = None,
    baseline_n: int | None = None,
    rules: str = "default",
    screen: bool = False,
) -> ControlChart:
    """Compute a control chart with per-point limits and the signals of a rule set.

    Parameters
    ----------
    values : sequence of float, optional
        One value per time point (I, MR and c charts); None or NaN when missing.
    chart : {"i", "mr", "p", "pprime", "u", "c"}
        ``"i"`` individuals (XmR), ``"mr"`` moving ranges, ``"p"`` proportions,
        ``"pprime"`` Laney's p', ``"u"`` rates, ``"c"`` counts.
    numerators, denominators : sequence of float, optional
        "k of n" data for p, p' and u charts (and optionally the others, which then
        chart k/n).
    baseline_n : int, optional
        Compute the centre line and limits from the first ``baseline_n`` points only.
    rules : {"default", "mdc", "we", "nelson"}
        Default: points beyond 3 sigma plus the Anhøj runs rules. ``"mdc"``: NHS
        Making Data Count; ``"we"``: Western Electric; ``"nelson"``: Nelson's eight.
    screen : bool
        Drop moving ranges at or above 3.267·AMR and recompute the limits once.

    Returns
    -------
    ControlChart

    Examples
    --------
    >>> c = control_chart([10, 12, 11, 13, 12, 11, 30], baseline_n=6)
    >>> round(c.centre, 2), round(c.ucl[0], 2), c.outside
    (11.5, 15.22, (6,))
    >>> p = control_chart(chart="p", numerators=[5, 6, 4], denominators=[20, 20, 25])
    >>> round(p.centre, 3), p.lcl[0]
    (0.231, 0.0)
    """
    if chart not in CHARTS:
        raise ValueError(f"Unknown chart {chart!r}; choose one of {', '.join(CHARTS)}.")
    if rules == "anhoej":
        rules = "default"
    if rules not in RULE_SETS:
        raise ValueError(f"Unknown rule set {rules!r}; choose one of {', '.join(RULE_SETS)}.")
    if chart in ("p", "pprime", "u"):
        if values is not None:
            raise ValueError(f"A {chart} chart needs numerators and denominators, not values.")
        k, n = check_counts(numerators, denominators, chart)
        y = k / n
    elif chart == "c":
        y = to_array(values if values is not None else numerators, name="counts")
        if np.any(y[~np.isnan(y)] < 0):
            raise ValueError("A c chart counts events; counts cannot be negative.")
    else:
        y = _series(values, numerators, denominators)
    if len(y) == 0:
        raise ValueError("There are no values to chart.")
    b = check_baseline(baseline_n, len(y))
    if chart in ("p", "pprime", "u"):
        cl, sigma, amr, sigma_z, plotted = _attribute_limits(chart, k, n, b, screen)
    else:
        cl, sigma, amr, plotted = _variable_limits(chart, y, b, screen)
        sigma_z = None
    return _finish(chart, rules, plotted, b, cl, sigma, amr, sigma_z, screen)


def _variable_limits(
    chart: str, y: np.ndarray, b: int, screen: bool
) -> tuple[float | None, np.ndarray, float | None, np.ndarray]:
    """Centre, per-point sigma, AMR and plotted values for I, MR and c charts."""
    nan = np.full(len(y), np.nan)
    if chart == "c":
        base = y[:b][~np.isnan(y[:b])]
        cl = float(base.mean()) if len(base) else None
        return cl, nan if cl is None else np.full(len(y), np.sqrt(cl)), None, y
    cl, amr, mr = xmr_limits(y, b, screen=screen)
    if chart == "mr":
        plotted = np.concatenate(([np.nan], mr))
        # MR chart: centre AMR, UCL 3.267·AMR, LCL 0; sigma chosen so that cl + 3·sigma = UCL.
        sig = nan if amr is None else np.full(len(y), (D4 - 1) * amr / 3)
        return amr, sig, amr, plotted
    sig = nan if amr is None or cl is None else np.full(len(y), E2 * amr / 3)
    return cl, sig, amr, y


def _attribute_limits(
    chart: str, k: np.ndarray, n: np.ndarray, b: int, screen: bool
) -> tuple[float | None, np.ndarray, float | None, float | None, np.ndarray]:
    """Centre, per-point sigma, AMR, sigma_z and plotted values for p, p' and u charts."""
    y = k / n
    kb, nb = k[:b], n[:b]
    ok = ~np.isnan(kb)
    if not ok.any() or nb[ok].sum() == 0:
        return None, np.full(len(y), np.nan), None, None, y
    cl = float(kb[ok].sum() / nb[ok].sum())  # pooled, not the mean of the proportions
    if chart == "u":
        return cl, np.sqrt(cl / n), None, None, y
    sigma = np.sqrt(cl * (1 - cl) / n)
    if chart == "p":
        return cl, sigma, None, None, y
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (y[:b] - cl) / sigma[:b]
    amr = _mean_mr(moving_ranges(z), screen)
    sigma_z = None if amr is None else amr / D2
    return cl, sigma * (np.nan if sigma_z is None else sigma_z), amr, sigma_z, y


def _finish(
    chart: str, rules: str, y: np.ndarray, b: int, cl: float | None, sigma: np.ndarray,
    amr: float | None, sigma_z: float | None, screen: bool,
) -> ControlChart:
    if cl is None:
        ucl = lcl = np.full(len(y), np.nan)
    else:
        ucl, lcl = cl + 3 * sigma, cl - 3 * sigma
        if chart in ("p", "pprime"):
            ucl = np.minimum(ucl, 1.0)
        if chart in ("p", "pprime", "u", "c", "mr"):
            lcl = np.maximum(lcl, 0.0)
    runs = runs_from_array(y, cl, b)
    signals = rule_signals(y, cl, ucl, lcl, sigma, rules=rules, runs=runs)
    with np.errstate(invalid="ignore"):
        outside = np.flatnonzero((y > ucl) | (y < lcl))
    return ControlChart(
        chart=chart, rules=rules, n_obs=len(y), baseline_n=b, values=_tuple(y), centre=cl,
        ucl=_tuple(ucl), lcl=_tuple(lcl), sigma=_tuple(sigma),
        outside=tuple(int(i) for i in outside), signals=signals, runs=runs, amr=amr,
        sigma_z=sigma_z, screened=screen,
    )


# --- rule engine ---------------------------------------------------------------------------


def _stretches(flags: np.ndarray, k: int) -> list[tuple[int, int]]:
    """(start, end) of maximal stretches of True at least ``k`` long (end exclusive)."""
    out = []
    start = None
    for i, f in enumerate([*flags.tolist(), False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            if i - start >= k:
                out.append((start, i))
            start = None
    return out


def _side_runs(s: np.ndarray, k: int) -> list[tuple[int, int, int]]:
    """(start, end, sign) of runs of equal non-zero signs at least ``k`` long (0 breaks a run)."""
    lengths, starts = run_lengths(s)
    return [(int(st), int(st + ln), int(s[st])) for ln, st in zip(lengths, starts, strict=True)
            if ln >= k and s[st] != 0]


def _k_of_m(beyond: np.ndarray, k: int, m: int) -> set[int]:
    """Positions of the flagged points in any window of m with at least k flagged."""
    hits: set[int] = set()
    for i in range(len(beyond) - m + 1):
        window = beyond[i : i + m]
        if window.sum() >= k:
            hits.update(i + int(j) for j in np.flatnonzero(window))
    return hits


def _zone_signals(
    rule: str, z: np.ndarray, idx: np.ndarray, level: float, k: int, m: int,
    same_side_window: bool = False, s: np.ndarray | None = None,
) -> list[Signal]:
    out = []
    for sign, side in ((1, "above"), (-1, "below")):
        beyond = (sign * z > level)
        if same_side_window and s is not None:
            # Making Data Count (as NHSRplotthedots): only points between 2 sigma and the
            # limits are "close to the limits" (points beyond are flagged on their own),
            # and all points of the window must be on the same side of the mean.
            beyond &= sign * z <= 3
            hits: set[int] = set()
            for i in range(len(z) - m + 1):
                if np.all(s[i : i + m] == sign) and beyond[i : i + m].sum() >= k:
                    hits.update(i + int(j) for j in np.flatnonzero(beyond[i : i + m]))
        else:
            hits = _k_of_m(beyond, k, m)
        if hits:
            out.append(Signal(rule, side, tuple(int(idx[h]) for h in sorted(hits))))
    return out


def _trend_signals(rule: str, y: np.ndarray, idx: np.ndarray, k: int) -> list[Signal]:
    """k or more points strictly rising or falling; a tie breaks the trend (as NHS MDC)."""
    if len(y) < 2:
        return []
    steps = np.sign(np.diff(y)).astype(np.int8)
    out = []
    for st, en, sgn in _side_runs(steps, k - 1):
        out.append(Signal(rule, "above" if sgn > 0 else "below",
                          tuple(int(i) for i in idx[st : en + 1])))
    return out


def rule_signals(
    y: np.ndarray, cl: float | None, ucl: np.ndarray, lcl: np.ndarray, sigma: np.ndarray,
    *, rules: str, runs: RunsResult | None = None,
) -> tuple[Signal, ...]:
    """All signals of a rule set on a charted series (missing points are skipped).

    Trends report the side they head towards ("above" for rising).
    """
    if cl is None:
        return ()
    present = ~np.isnan(y)
    idx = np.flatnonzero(present)
    yy = y[present]
    out: list[Signal] = []
    with np.errstate(invalid="ignore"):
        for side, mask in (("above", yy > ucl[present]), ("below", yy < lcl[present])):
            if mask.any():
                out.append(Signal("outside_limits", side, tuple(int(i) for i in idx[mask])))
    s = np.sign(yy - cl).astype(np.int8)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (yy - cl) / sigma[present]
    z = np.nan_to_num(z, nan=0.0)
    if rules == "default":
        out += _anhoej_signals(runs)
    elif rules == "mdc":
        out += _shift_signals("mdc_shift", s, idx, 7)
        out += _trend_signals("mdc_trend", yy, idx, 7)
        out += _zone_signals("two_of_three", z, idx, 2, 2, 3, same_side_window=True, s=s)
    elif rules == "we":
        out += _zone_signals("two_of_three", z, idx, 2, 2, 3)
        out += _zone_signals("four_of_five", z, idx, 1, 4, 5)
        out += _shift_signals("we_shift", s, idx, 8)
    elif rules == "nelson":
        out += _nelson_signals(yy, z, s, idx)
    return tuple(out)


def _anhoej_signals(runs: RunsResult | None) -> list[Signal]:
    if runs is None:
        return []
    out = []
    if runs.shift_signal:
        out.append(Signal("anhoej_run", runs.longest_run_side, runs.longest_run_points))
    if runs.crossings_signal:
        out.append(Signal("anhoej_crossings", None, ()))
    return out


def _shift_signals(rule: str, s: np.ndarray, idx: np.ndarray, k: int) -> list[Signal]:
    return [Signal(rule, "above" if sg > 0 else "below", tuple(int(i) for i in idx[a:b]))
            for a, b, sg in _side_runs(s, k)]


def _nelson_signals(yy: np.ndarray, z: np.ndarray, s: np.ndarray, idx: np.ndarray) -> list[Signal]:
    out = _shift_signals("nelson_shift", s, idx, 9)
    out += _trend_signals("nelson_trend", yy, idx, 6)
    if len(yy) >= 3:
        steps = np.sign(np.diff(yy))
        alternating = steps[1:] * steps[:-1] < 0  # step j and step j + 1 change direction
        # 14 points alternating = 13 steps = 12 consecutive changes of direction.
        for a, b in _stretches(alternating, 12):
            out.append(Signal("nelson_alternating", None, tuple(int(i) for i in idx[a : b + 2])))
    out += _zone_signals("two_of_three", z, idx, 2, 2, 3)
    out += _zone_signals("four_of_five", z, idx, 1, 4, 5)
    for a, b in _stretches(np.abs(z) < 1, 15):
        out.append(Signal("nelson_hugging", None, tuple(int(i) for i in idx[a:b])))
    for a, b in _stretches(np.abs(z) > 1, 8):
        out.append(Signal("nelson_mixture", None, tuple(int(i) for i in idx[a:b])))
    return out


def as_sequence(x: Sequence[float | None]) -> np.ndarray:
    """Tuple of floats/None back to a float array (NaN for None)."""
    return np.array([np.nan if v is None else v for v in x], dtype=float)
