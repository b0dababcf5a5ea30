"""Run-chart analysis: the Anhøj rules (as qicharts2 computes them) and the IHI rules.

Both lenses compare each value with a centre line, by default the median of the
baseline points. See ``docs/analysis.md`` for every convention used here.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import stats

__all__ = [
    "IhiResult",
    "RunsResult",
    "anhoej_limits",
    "ihi_rules",
    "runs_analysis",
    "runs_by_part",
    "swed_eisenhart_limits",
]

# Shortest shift and trend (in points) the IHI rules call a signal (Perla, Provost & Murray 2011).
IHI_SHIFT = 6
IHI_TREND = 5
# The Swed-Eisenhart runs test is only offered from this many useful points (IHI convention).
IHI_RUNS_MIN_N = 10

Values = Sequence[float | int | None] | np.ndarray


def to_array(values: Values | None, *, name: str = "values") -> np.ndarray:
    """Return ``values`` as a float array with NaN for missing (None or NaN) values.

    Raises ``ValueError`` naming the first entry that is not a number.
    """
    if values is None:
        raise ValueError(f"No {name} were given.")
    if isinstance(values, str | bytes):
        raise ValueError(f"The {name} must be a list of numbers, not text.")
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
        out = values.astype(float).ravel()
        if np.isinf(out).any():
            at = int(np.flatnonzero(np.isinf(out))[0])
            raise ValueError(f"Point {at + 1} of the {name} is infinite.")
        return out
    out = np.empty(len(values), dtype=float)
    for i, v in enumerate(values):
        if v is None:
            out[i] = np.nan
            continue
        if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
            raise ValueError(f"Point {i + 1} of the {name} is {v!r}, which is not a number.")
        if math.isinf(float(v)):
            raise ValueError(f"Point {i + 1} of the {name} is infinite.")
        out[i] = float(v)
    return out


def check_baseline(baseline_n: int | None, n_obs: int) -> int:
    """Validate ``baseline_n`` and return the number of baseline points (all when None)."""
    if baseline_n is None:
        return n_obs
    if isinstance(baseline_n, bool) or not isinstance(baseline_n, int | np.integer):
        raise ValueError(f"The baseline length must be a whole number, not {baseline_n!r}.")
    if baseline_n < 1 or baseline_n > n_obs:
        raise ValueError(
            f"The baseline must be between 1 and {n_obs} points (the length of the series); "
            f"got {baseline_n}."
        )
    return int(baseline_n)


@lru_cache(maxsize=1024)
def anhoej_limits(n_useful: int) -> tuple[int, int]:
    """Anhøj limits for ``n_useful`` points: (longest_run_max, n_crossings_min).

    ``longest_run_max = round(log2(n)) + 3`` and ``n_crossings_min = qbinom(0.05, n - 1, 0.5)``,
    as in qicharts2. A run longer than the first, or fewer crossings than the second,
    is a signal.

    Examples
    --------
    >>> anhoej_limits(24)
    (8, 8)
    >>> anhoej_limits(10)
    (6, 2)
    """
    if n_useful < 1:
        raise ValueError("The Anhøj limits need at least one useful point.")
    # R's round() and Python's round() both round half to even; log2 of an integer
    # is never exactly k + 0.5, so the two agree for every n.
    longest_run_max = round(math.log2(n_useful)) + 3
    n_crossings_min = int(stats.binom.ppf(0.05, n_useful - 1, 0.5)) if n_useful > 1 else 0
    return longest_run_max, n_crossings_min


@lru_cache(maxsize=512)
def swed_eisenhart_limits(n_useful: int) -> tuple[int, int]:
    """Non-signal range (lower, upper) of the number of runs for ``n_useful`` points.

    Exact Swed-Eisenhart distribution with ``n1 = n // 2`` and ``n2 = n - n1`` points on
    the two sides and 2.5 % in each tail: fewer runs than ``lower`` or more than
    ``upper`` is a signal. Printed tables differ from this by ±1 in places.

    Examples
    --------
    >>> swed_eisenhart_limits(10)
    (3, 9)
    >>> swed_eisenhart_limits(20)
    (7, 15)
    """
    if n_useful < 2:
        raise ValueError("The runs test needs at least two useful points.")
    n1, n2 = n_useful // 2, n_useful - n_useful // 2
    total = math.comb(n_useful, n1)
    rs = range(2, n_useful + 1)
    probs = [_runs_count(r, n1, n2) / total for r in rs]
    cdf = np.cumsum(probs)
    sf = np.cumsum(probs[::-1])[::-1]
    lower = min(r for r, c in zip(rs, cdf, strict=True) if c > 0.025)
    upper = max(r for r, s in zip(rs, sf, strict=True) if s > 0.025)
    return lower, upper


def _runs_count(r: int, n1: int, n2: int) -> int:
    """Number of arrangements of n1 + n2 signs with exactly r runs."""
    k = r // 2
    if r % 2 == 0:
        return 2 * math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k - 1)
    return math.comb(n1 - 1, k) * math.comb(n2 - 1, k - 1) + math.comb(
        n1 - 1, k - 1
    ) * math.comb(n2 - 1, k)


def useful_signs(y: np.ndarray, centre: float) -> tuple[np.ndarray, np.ndarray]:
    """Signs (+1 above, -1 below) of the points not on the centre line, and their indices."""
    present = ~np.isnan(y)
    sign = np.zeros(len(y), dtype=np.int8)
    # The exact float comparison qicharts2 makes (docs/analysis.md section 1): ties with
    # the centre are skipped.
    sign[present & (y > centre)] = 1
    sign[present & (y < centre)] = -1
    idx = np.flatnonzero(sign)
    return sign[idx], idx


def run_lengths(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lengths and start positions (in ``s``) of the runs of equal signs."""
    if len(s) == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(s)) + 1))
    lengths = np.diff(np.concatenate((starts, [len(s)])))
    return lengths, starts


def baseline_median(y: np.ndarray, baseline_n: int) -> float | None:
    """Median of the present baseline values, or None when the baseline is all missing."""
    base = y[:baseline_n]
    base = base[~np.isnan(base)]
    return float(np.median(base)) if len(base) else None


@dataclass(frozen=True)
class RunsResult:
    """The Anhøj runs analysis of one series.

    Attributes
    ----------
    n_obs, n_useful : int
        Points in the series, and points that are present and not on the centre line.
    centre : float or None
        The centre line (median of the baseline unless a centre was given).
    baseline_n : int
        Number of leading points the centre line was computed from.
    longest_run, longest_run_max : int or None
        Longest run of points on one side of the centre line, and the longest run
        expected by chance; None when ``n_useful`` is 0.
    n_crossings, n_crossings_min : int or None
        Number of times the series crosses the centre line, and the fewest expected.
    signal : bool
        ``longest_run > longest_run_max or n_crossings < n_crossings_min``.
    longest_run_side : str or None
        ``"above"`` or ``"below"`` the centre line.
    longest_run_points : tuple of int
        0-based indices of the useful points in the (first) longest run.
    """

    n_obs: int
    n_useful: int
    centre: float | None
    baseline_n: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    signal: bool
    longest_run_side: str | None
    longest_run_points: tuple[int, ...]

    @property
    def shift_signal(self) -> bool:
        """True when the longest run is longer than expected by chance."""
        return self.longest_run is not None and self.longest_run > (self.longest_run_max or 0)

    @property
    def crossings_signal(self) -> bool:
        """True when the series crosses its centre line fewer times than expected."""
        return self.n_crossings is not None and self.n_crossings < (self.n_crossings_min or 0)

    def to_dict(self) -> dict[str, Any]:
        """Plain ``dict`` of the fields (lists instead of tuples), ready for JSON."""
        d = asdict(self)
        d["longest_run_points"] = list(self.longest_run_points)
        return d


def runs_from_array(y: np.ndarray, centre: float | None, baseline_n: int) -> RunsResult:
    """Anhøj runs analysis of a float array against a given centre line."""
    if centre is None:
        return RunsResult(len(y), 0, None, baseline_n, None, None, None, None, False, None, ())
    s, idx = useful_signs(y, centre)
    n_useful = len(s)
    if n_useful == 0:
        return RunsResult(len(y), 0, centre, baseline_n, None, None, None, None, False, None, ())
    lengths, starts = run_lengths(s)
    longest_at = int(np.argmax(lengths))
    longest = int(lengths[longest_at])
    crossings = len(lengths) - 1
    run_max, cross_min = anhoej_limits(n_useful)
    first = int(starts[longest_at])
    return RunsResult(
        n_obs=len(y),
        n_useful=n_useful,
        centre=centre,
        baseline_n=baseline_n,
        longest_run=longest,
        longest_run_max=run_max,
        n_crossings=crossings,
        n_crossings_min=cross_min,
        signal=longest > run_max or crossings < cross_min,
        longest_run_side="above" if s[first] > 0 else "below",
        longest_run_points=tuple(int(i) for i in idx[first : first + longest]),
    )


def runs_analysis(
    values: Values, *, baseline_n: int | None = None, centre: float | None = None
) -> RunsResult:
    """Anhøj runs analysis, exactly as qicharts2 computes it.

    Parameters
    ----------
    values : sequence of float
        One value per time point; None or NaN for a missing point.
    baseline_n : int, optional
        Freeze the centre line at the median of the first ``baseline_n`` points
        (the analysis still covers every point). Default: all points.
    centre : float, optional
        Use this centre line instead of a median (control charts pass their mean).

    Returns
    -------
    RunsResult

    Examples
    --------
    >>> r = runs_analysis([3, 5, 4, 6, 5, 7, 8, 9, 8, 9, 10, 9], baseline_n=6)
    >>> r.centre, r.n_useful, r.longest_run, r.longest_run_max, r.signal
    (5.0, 10, 8, 6, True)
    >>> runs_analysis([1, 2, None, 3]).n_obs
    4
    """
    y = to_array(values)
    b = check_baseline(baseline_n, len(y))
    if len(y) == 0:
        raise ValueError("There are no values to analyse.")
    cl = baseline_median(y, b) if centre is None else float(centre)
    return runs_from_array(y, cl, b)


def runs_by_part(values: Values, *, breaks: Sequence[int]) -> tuple[RunsResult, ...]:
    """Independent runs analyses of the parts of a series, each with its own median.

    Only for when the user asks to split the chart: ``breaks`` are the 0-based
    indices where a new part starts.

    Examples
    --------
    >>> [p.centre for p in runs_by_part([1, 2, 3, 10, 11, 12], breaks=[3])]
    [2.0, 11.0]
    """
    y = to_array(values)
    cuts = sorted(set(breaks))
    if any(c <= 0 or c >= len(y) for c in cuts):
        raise ValueError(f"Each part must start inside the series (points 1 to {len(y) - 1}).")
    bounds = [0, *cuts, len(y)]
    parts = []
    for lo, hi in itertools.pairwise(bounds):
        part = y[lo:hi]
        parts.append(runs_from_array(part, baseline_median(part, len(part)), len(part)))
    return tuple(parts)


@dataclass(frozen=True)
class IhiResult:
    """The IHI run-chart rules (Perla, Provost & Murray 2011), a second lens.

    Attributes
    ----------
    n_useful : int
        Points present and not on the median.
    centre : float or None
        The median of the baseline.
    shift : bool
        Six or more consecutive points on one side of the median.
    longest_shift, shift_points
        Length and 0-based indices of the longest run on one side.
    trend : bool
        Five or more consecutive points all rising or all falling (equal neighbours
        collapsed, missing points dropped). Fires often on noise: never decisive alone.
    longest_trend, trend_points
        Length (in points) and indices of the longest trend.
    n_runs : int or None
        Number of runs (crossings + 1).
    runs_lower, runs_upper : int or None
        Swed-Eisenhart non-signal range; None below 10 useful points.
    too_few_runs, too_many_runs : bool
    astronomical : tuple of int
        Points outside the XmR limits, the stated proxy for an astronomical point.
    """

    n_useful: int
    centre: float | None
    shift: bool
    longest_shift: int
    shift_points: tuple[int, ...]
    trend: bool
    longest_trend: int
    trend_points: tuple[int, ...]
    n_runs: int | None
    runs_lower: int | None
    runs_upper: int | None
    too_few_runs: bool
    too_many_runs: bool
    astronomical: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain ``dict`` of the fields, ready for JSON."""
        d = asdict(self)
        for key in ("shift_points", "trend_points", "astronomical"):
            d[key] = list(d[key])
        return d


def longest_trend(y: np.ndarray) -> tuple[int, tuple[int, ...]]:
    """Longest stretch of points all rising or all falling, counted in points.

    Missing values are dropped and consecutive equal values collapsed to one point
    (the first of them), so a tie neither extends nor breaks a trend.
    """
    idx = np.flatnonzero(~np.isnan(y))
    if len(idx) == 0:
        return 0, ()
    vals = y[idx]
    keep = np.concatenate(([True], np.diff(vals) != 0))
    idx, vals = idx[keep], vals[keep]
    if len(vals) < 2:
        return 1, (int(idx[0]),)
    steps = np.sign(np.diff(vals)).astype(np.int8)
    lengths, starts = run_lengths(steps)
    at = int(np.argmax(lengths))
    first, n_steps = int(starts[at]), int(lengths[at])
    return n_steps + 1, tuple(int(i) for i in idx[first : first + n_steps + 1])


def ihi_rules(values: Values, *, baseline_n: int | None = None) -> IhiResult:
    """The IHI run-chart rules: shift, trend, too few or too many runs, astronomical point.

    Parameters
    ----------
    values : sequence of float
        One value per time point; None or NaN for a missing point.
    baseline_n : int, optional
        Median (and the XmR limits for the astronomical-point proxy) from the first
        ``baseline_n`` points only.

    Returns
    -------
    IhiResult

    Examples
    --------
    >>> r = ihi_rules([5, 4, 6, 5, 4, 6, 5, 9, 9, 8, 9, 9, 8])
    >>> r.centre, r.shift, r.longest_shift, r.trend, r.n_runs, r.too_few_runs
    (6.0, True, 6, False, 2, True)
    """
    y = to_array(values)
    b = check_baseline(baseline_n, len(y))
    if len(y) == 0:
        raise ValueError("There are no values to analyse.")
    runs = runs_from_array(y, baseline_median(y, b), b)
    trend_len, trend_pts = longest_trend(y)
    n_runs = None if runs.n_crossings is None else runs.n_crossings + 1
    lower = upper = None
    if n_runs is not None and runs.n_useful >= IHI_RUNS_MIN_N:
        lower, upper = swed_eisenhart_limits(runs.n_useful)
    from uptake.analysis.control import xmr_limits  # local: control imports this module

    cl, amr, _ = xmr_limits(y, b, screen=False)
    astronomical: tuple[int, ...] = ()
    if cl is not None and amr is not None:
        off = np.abs(y - cl) > 2.66 * amr
        astronomical = tuple(int(i) for i in np.flatnonzero(off & ~np.isnan(y)))
    longest = runs.longest_run or 0
    return IhiResult(
        n_useful=runs.n_useful,
        centre=runs.centre,
        shift=longest >= IHI_SHIFT,
        longest_shift=longest,
        shift_points=runs.longest_run_points,
        trend=trend_len >= IHI_TREND,
        longest_trend=trend_len,
        trend_points=trend_pts,
        n_runs=n_runs,
        runs_lower=lower,
        runs_upper=upper,
        too_few_runs=lower is not None and n_runs is not None and n_runs < lower,
        too_many_runs=upper is not None and n_runs is not None and n_runs > upper,
        astronomical=astronomical,
    )
