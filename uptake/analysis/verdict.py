"""The verdict: change or improvement? (rules in docs/analysis.md section 4).

Against a frozen baseline (the points before the change) the verdict is one of
``sustained_improvement``, ``change_not_sustained``, ``got_worse``, ``no_signal`` or
``not_enough_data``, with a plain-language reason and the evidence behind it. It
describes what the data did, never why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from uptake.analysis.control import (
    RULE_TEXT,
    RUN_RULES,
    check_counts,
    control_chart,
    rule_signals,
)
from uptake.analysis.runs import (
    IHI_SHIFT,
    RunsResult,
    Values,
    anhoej_limits,
    baseline_median,
    check_baseline,
    ihi_rules,
    run_lengths,
    runs_from_array,
    to_array,
    useful_signs,
)

__all__ = ["LABELS", "MIN_BASELINE", "MIN_FOLLOWUP", "Evidence", "Verdict", "min_followup",
           "verdict"]

LABELS = ("sustained_improvement", "change_not_sustained", "got_worse", "no_signal",
          "not_enough_data")
# Fewest present baseline points: below this the median (or mean) the follow-up is
# judged against moves too much from one extra point. See docs/analysis.md.
MIN_BASELINE = 8
# Fewest present follow-up points (raised further when the run limit needs it).
MIN_FOLLOWUP = 8
VERDICT_CHARTS = ("run", "i", "p", "pprime", "u", "c")
VERDICT_RULES = ("default", "anhoej", "ihi", "mdc", "we", "nelson")
# Rules that fire on a single point or a short pattern: evidence of a change, never of
# a sustained one.
POINT_RULES = frozenset({"outside_limits", "astronomical", "mdc_trend", "nelson_trend",
                         "two_of_three", "four_of_five", "nelson_alternating",
                         "nelson_hugging", "nelson_mixture"})
SUSTAINING = RUN_RULES - {"anhoej_crossings"} | {"ihi_shift"}
# Evidence that the results got worse: a run, or clustering on the worse side. Isolated
# points beyond the limits are a change that did not last, on either side
# (docs/analysis.md section 4).
WORSENING = SUSTAINING | {"anhoej_crossings", "ihi_too_few_runs"}
CLEAR_MAJORITY = 2 / 3

NO_EFFECT_NOTE = (
    "No signal is not proof of no effect: a run chart only picks up large, lasting shifts, "
    "and a single class of about 25 students can only reliably detect a change of about "
    "d_z = 0.58 or larger."
)


@dataclass(frozen=True)
class Evidence:
    """A rule that fired after the baseline, in the better or worse direction (or neither)."""

    rule: str
    direction: str | None  # "better", "worse" or None
    points: tuple[int, ...]  # 0-based indices

    def to_dict(self) -> dict[str, Any]:
        """Plain ``dict``, ready for JSON."""
        return {"rule": self.rule, "direction": self.direction, "points": list(self.points)}


@dataclass(frozen=True)
class Verdict:
    """The verdict on a series, with its reason and evidence.

    Attributes
    ----------
    label : str
        One of ``LABELS``.
    reason : str
        Plain-language explanation naming the numbers behind the label.
    evidence : tuple of Evidence
        Every signal after the baseline, in order of appearance.
    centre : float or None
        The frozen baseline centre line (median for run charts, mean or pooled
        proportion for control charts).
    baseline_n, n_baseline, n_followup : int
        Baseline length asked for, and present points in the baseline and after it.
    direction, chart, rules : str
    runs : RunsResult or None
        The Anhøj runs analysis of the whole series against the frozen centre line.
    """

    label: str
    reason: str
    evidence: tuple[Evidence, ...]
    centre: float | None
    baseline_n: int
    n_baseline: int
    n_followup: int
    direction: str
    chart: str
    rules: str
    runs: RunsResult | None

    def to_dict(self) -> dict[str, Any]:
        """Plain ``dict``, ready for JSON."""
        return {
            "label": self.label, "reason": self.reason,
            "evidence": [e.to_dict() for e in self.evidence], "centre": self.centre,
            "baseline_n": self.baseline_n, "n_baseline": self.n_baseline,
            "n_followup": self.n_followup, "direction": self.direction, "chart": self.chart,
            "rules": self.rules, "runs": None if self.runs is None else self.runs.to_dict(),
        }


def min_followup(n_baseline: int) -> int:
    """Fewest follow-up points for which a run of all of them could exceed the Anhøj limit.

    Examples
    --------
    >>> min_followup(8), min_followup(12), min_followup(20)
    (8, 8, 9)
    """
    f = MIN_FOLLOWUP
    while f <= anhoej_limits(n_baseline + f)[0]:
        f += 1
    return f


@dataclass(frozen=True)
class _Series:
    y: np.ndarray
    centre: float | None
    ucl: np.ndarray | None
    lcl: np.ndarray | None
    sigma: np.ndarray | None
    percent: bool


def _prepare(values: Values | None, chart: str, numerators: Values | None,
             denominators: Values | None, baseline_n: int, rules: str) -> _Series:
    if chart == "run":
        if values is not None and (numerators is not None or denominators is not None):
            raise ValueError("Give either values or numerators and denominators, not both.")
        if values is not None:
            y = to_array(values)
        else:
            k, n = check_counts(numerators, denominators, "run")  # checked; 0 denominators missing
            y = k / n
        b = check_baseline(baseline_n, len(y)) if len(y) else 0
        return _Series(y, baseline_median(y, b) if b else None, None, None, None, False)
    c = control_chart(values, chart=chart, numerators=numerators, denominators=denominators,
                      baseline_n=baseline_n, rules="default" if rules in ("anhoej", "ihi")
                      else rules)
    arr = [np.array([np.nan if v is None else v for v in t], dtype=float)
           for t in (c.values, c.ucl, c.lcl, c.sigma)]
    return _Series(arr[0], c.centre, arr[1], arr[2], arr[3], chart in ("p", "pprime"))


def verdict(
    values: Values | None = None,
    *,
    baseline_n: int,
    direction: str = "up",
    chart: str = "run",
    numerators: Values | None = None,
    denominators: Values | None = None,
    rules: str = "default",
) -> Verdict:
    """Say whether a series shows a sustained improvement after its baseline.

    Parameters
    ----------
    values : sequence of float, optional
        One value per time point, baseline first; None or NaN when missing.
    baseline_n : int
        Number of points before the change (the frozen baseline).
    direction : {"up", "down"}
        Whether higher or lower values are better.
    chart : {"run", "i", "p", "pprime", "u", "c"}
        ``"run"`` compares with the baseline median; the others with the chart's
        centre line and limits.
    numerators, denominators : sequence of float, optional
        "k of n" data instead of ``values``.
    rules : {"default", "ihi", "mdc", "we", "nelson"}
        Default: Anhøj runs rules (plus 3-sigma limits on control charts). ``"ihi"``
        (run charts): IHI shift, too few runs and astronomical points; its trend rule
        never decides. ``"mdc"``, ``"we"``, ``"nelson"``: control-chart rule sets.

    Returns
    -------
    Verdict

    Examples
    --------
    >>> v = verdict([5, 6, 4, 5, 6, 5, 4, 6, 8, 9, 8, 9, 9, 8, 9, 8, 9, 8], baseline_n=8)
    >>> v.label
    'sustained_improvement'
    >>> print(v.reason)  # doctest: +NORMALIZE_WHITESPACE
    The last 10 points (points 9 to 18) are all above the baseline median of 5.
    With 15 useful points, a run longer than 7 is unlikely by chance, so this looks
    like a real improvement that has lasted. This shows that results changed, not why.
    >>> verdict([5, 6, 4, 5, 6, 5, 4, 6, 8, 9], baseline_n=8).label
    'not_enough_data'
    """
    if direction not in ("up", "down"):
        raise ValueError(
            f"The direction must be 'up' (higher is better) or 'down', not {direction!r}.")
    if chart not in VERDICT_CHARTS:
        raise ValueError(f"Unknown chart {chart!r}; choose one of {', '.join(VERDICT_CHARTS)}.")
    if rules not in VERDICT_RULES:
        raise ValueError(f"Unknown rule set {rules!r}; choose one of {', '.join(VERDICT_RULES)}.")
    if rules == "ihi" and chart != "run":
        raise ValueError("The IHI rules are for run charts; use chart='run'.")
    if rules in ("mdc", "we", "nelson") and chart == "run":
        raise ValueError(f"The {rules} rules need control limits; choose a control chart such "
                         "as chart='i'.")
    rules = "default" if rules == "anhoej" else rules
    s = _prepare(values, chart, numerators, denominators, baseline_n, rules)
    b = check_baseline(baseline_n, len(s.y)) if len(s.y) else baseline_n
    ctx = _Context(s, b, direction, chart, rules)
    return ctx.decide()


class _Context:
    """Holds one series while the verdict is worked out (keeps the functions short)."""

    def __init__(self, s: _Series, b: int, direction: str, chart: str, rules: str) -> None:
        self.s, self.b, self.direction, self.chart, self.rules = s, b, direction, chart, rules
        present = ~np.isnan(s.y)
        self.n_base = int(present[:b].sum())
        self.n_follow = int(present[b:].sum())
        self.better = "above" if direction == "up" else "below"
        self.runs = runs_from_array(s.y, s.centre, b) if len(s.y) else None

    # -- formatting ------------------------------------------------------------------------
    def fmt(self, v: float | None) -> str:
        if v is None:
            return "unknown"
        if self.s.percent:
            return f"{100 * v:.3g} %"
        return f"{v:.4g}" if abs(v) < 1e4 else f"{v:,.0f}"

    @property
    def centre_name(self) -> str:
        what = "median" if self.chart == "run" else "centre line"
        return f"the baseline {what} of {self.fmt(self.s.centre)}"

    def result(self, label: str, reason: str, evidence: list[Evidence] | None = None) -> Verdict:
        return Verdict(
            label=label, reason=reason, evidence=tuple(evidence or ()), centre=self.s.centre,
            baseline_n=self.b, n_baseline=self.n_base, n_followup=self.n_follow,
            direction=self.direction, chart=self.chart, rules=self.rules, runs=self.runs,
        )

    # -- decision ----------------------------------------------------------------------------
    def decide(self) -> Verdict:
        short = self.not_enough()
        if short is not None:
            return self.result("not_enough_data", short)
        if self.runs is None or self.runs.n_useful == 0:
            return self.result("no_signal", "All the values are equal to "
                               f"{self.centre_name}: there is no variation to analyse.")
        evidence = self.evidence()
        _, idx = useful_signs(self.s.y, self.s.centre or 0.0)
        idx = idx[idx >= self.b]  # the useful follow-up points
        sustained = [e for e in evidence if e.rule in SUSTAINING and e.direction == "better"
                     and len(idx) and e.points[-1] == idx[-1]]
        if sustained:
            return self.result("sustained_improvement", self.say_sustained(sustained[-1]),
                               evidence)
        worse = [e for e in evidence if e.direction == "worse" and e.rule in WORSENING]
        if worse:
            return self.result("got_worse", self.say_worse(worse[0]), evidence)
        changes = [e for e in evidence if e.direction == "better" or e.rule in POINT_RULES]
        if changes:
            return self.result("change_not_sustained", self.say_change(changes, idx), evidence)
        return self.result("no_signal", self.say_nothing(), evidence)

    def not_enough(self) -> str | None:
        need_follow = min_followup(max(self.n_base, MIN_BASELINE))
        problems = []
        if self.s.centre is None or self.n_base < MIN_BASELINE:
            problems.append(
                f"The baseline has {self.n_base} point{'s' * (self.n_base != 1)}; at least "
                f"{MIN_BASELINE} are needed to fix a centre line that later points can be "
                "compared with.")
        if self.n_follow < need_follow:
            problems.append(
                f"There {'is' if self.n_follow == 1 else 'are'} {self.n_follow} "
                f"point{'s' * (self.n_follow != 1)} after the baseline; at least {need_follow} "
                "are needed before a run after the change could stand out from chance.")
        return " ".join(problems) or None

    def side(self, side: str | None) -> str | None:
        if side is None:
            return None
        return "better" if side == self.better else "worse"

    def evidence(self) -> list[Evidence]:
        out = self.run_evidence()
        out += self.crossing_evidence()
        out += self.limit_evidence()
        return sorted(out, key=lambda e: (e.points[0] if e.points else -1, e.rule))

    def run_evidence(self) -> list[Evidence]:
        """Runs on one side of the centre line that lie wholly after the baseline."""
        assert self.runs is not None
        if self.rules in ("mdc", "we", "nelson"):
            return []  # their shift rules come through limit_evidence()
        signs, idx = useful_signs(self.s.y, self.s.centre or 0.0)
        keep = idx >= self.b
        signs, idx = signs[keep], idx[keep]
        limit = IHI_SHIFT - 1 if self.rules == "ihi" else (self.runs.longest_run_max or 0)
        rule = "ihi_shift" if self.rules == "ihi" else "anhoej_run"
        lengths, starts = run_lengths(signs)
        out = []
        for ln, st in zip(lengths, starts, strict=True):
            if ln > limit:
                side = "above" if signs[st] > 0 else "below"
                out.append(Evidence(rule, self.side(side), tuple(int(i) for i in idx[st:st + ln])))
        return out

    def majority_side(self) -> tuple[str | None, tuple[int, ...]]:
        signs, idx = useful_signs(self.s.y, self.s.centre or 0.0)
        keep = idx >= self.b
        signs, idx = signs[keep], idx[keep]
        if len(signs) == 0:
            return None, ()
        for sg, side in ((1, "above"), (-1, "below")):
            if (signs == sg).mean() >= CLEAR_MAJORITY:
                return side, tuple(int(i) for i in idx[signs == sg])
        return None, ()

    def crossing_evidence(self) -> list[Evidence]:
        """Too few crossings (or too few runs) counts only when the follow-up clearly
        sits on one side; otherwise the clustering may belong to the baseline."""
        assert self.runs is not None
        if self.rules == "ihi":
            ihi = ihi_rules(self.s.y, baseline_n=self.b)
            fired, rule = ihi.too_few_runs, "ihi_too_few_runs"
        elif self.rules == "default":
            fired, rule = self.runs.crossings_signal, "anhoej_crossings"
        else:
            return []
        side, points = self.majority_side()
        if not fired or side is None:
            return []
        return [Evidence(rule, self.side(side), points)]

    def limit_evidence(self) -> list[Evidence]:
        """Sigma-limit rules (control charts) or the astronomical-point proxy (IHI)."""
        masked = self.s.y.copy()
        masked[: self.b] = np.nan
        out = []
        if self.rules == "ihi":
            ihi = ihi_rules(self.s.y, baseline_n=self.b)
            for i in ihi.astronomical:
                if i >= self.b:
                    side = "above" if self.s.y[i] > (self.s.centre or 0.0) else "below"
                    out.append(Evidence("astronomical", self.side(side), (i,)))
            return out
        if self.s.ucl is None or self.s.lcl is None or self.s.sigma is None:
            return out
        for sig in rule_signals(masked, self.s.centre, self.s.ucl, self.s.lcl, self.s.sigma,
                                rules=self.rules, runs=None):
            out.append(Evidence(sig.rule, self.side(sig.side), sig.points))
        return out

    # -- reasons -----------------------------------------------------------------------------
    def points_text(self, pts: tuple[int, ...]) -> str:
        if len(pts) == 1:
            return f"point {pts[0] + 1}"
        text = f"points {pts[0] + 1} to {pts[-1] + 1}"
        skipped = pts[-1] - pts[0] + 1 - len(pts)
        if skipped:
            # Missing points and points on the centre line neither extend nor break a run.
            text += (f", skipping {skipped} missing or on the centre line" if skipped > 1 else
                     ", skipping one missing or on the centre line")
        return text

    def limit_text(self) -> str:
        assert self.runs is not None
        if self.rules == "ihi":
            return f"The IHI rules call {IHI_SHIFT} or more points in a row on one side a shift"
        if self.rules in ("mdc", "we", "nelson"):
            return "Such a run is unlikely by chance"
        return (f"With {self.runs.n_useful} useful points, a run longer than "
                f"{self.runs.longest_run_max} is unlikely by chance")

    def side_word(self, direction: str | None) -> str:
        side = self.better if direction == "better" else (
            "below" if self.better == "above" else "above")
        return side

    def say_sustained(self, e: Evidence) -> str:
        return (
            f"The last {len(e.points)} points ({self.points_text(e.points)}) are all "
            f"{self.side_word('better')} {self.centre_name}. {self.limit_text()}, so this "
            "looks like a real improvement that has lasted. This shows that results changed, "
            "not why."
        )

    def describe(self, e: Evidence) -> str:
        where = self.side_word(e.direction)
        if e.rule in ("anhoej_run", "ihi_shift") or e.rule in RUN_RULES - {"anhoej_crossings"}:
            return (f"{len(e.points)} points in a row ({self.points_text(e.points)}) are "
                    f"{where} {self.centre_name}. {self.limit_text()}.")
        if e.rule in ("anhoej_crossings", "ihi_too_few_runs"):
            return (f"{len(e.points)} of the {self.n_follow} points after the baseline are "
                    f"{where} {self.centre_name}, and the series crosses it fewer times "
                    "than expected by chance.")
        if e.rule in ("outside_limits", "astronomical"):
            which = "upper" if where == "above" else "lower"
            limits = f"the {which} {'XmR' if e.rule == 'astronomical' else 'control'} limit"
            pts = ", ".join(str(i + 1) for i in e.points)
            verb = "Points {} are" if len(e.points) > 1 else "Point {} is"
            return f"{verb.format(pts)} {where} {limits}."
        return f"{RULE_TEXT.get(e.rule, e.rule).capitalize()} ({self.points_text(e.points)})."

    def say_worse(self, e: Evidence) -> str:
        word = "higher" if self.direction == "down" else "lower"
        return (f"After the baseline the results moved the wrong way ({word} is worse): "
                f"{self.describe(e)} This shows that results changed, not why.")

    def say_change(self, changes: list[Evidence], idx: np.ndarray) -> str:
        runs = [e for e in changes if e.rule in SUSTAINING]
        e = max(runs or changes, key=lambda x: len(x.points))
        text = f"{self.describe(e)}"
        if e.direction == "worse":
            text += " That is the worse side, but"
            text += " isolated points like this are worth a look, not a lasting change."
        elif e.rule in SUSTAINING:
            after = int((idx > e.points[-1]).sum())
            recent = "point is" if after == 1 else f"{after} points are"
            text += (f" But the most recent {recent} no longer part of that run, "
                     "so the change has not (yet) lasted.")
        else:
            text += " There is no run long enough to show that the change has lasted."
        return text

    def say_nothing(self) -> str:
        assert self.runs is not None
        r = self.runs
        return (
            f"The {self.n_follow} points after the baseline show no run or clustering around "
            f"{self.centre_name} beyond what chance explains: the longest run is "
            f"{r.longest_run} (longer than "
            f"{r.longest_run_max} would be a signal) and the series crosses the centre line "
            f"{r.n_crossings} times (fewer than {r.n_crossings_min} would be a signal). "
            + NO_EFFECT_NOTE.replace("a run chart", "this chart" if self.chart != "run"
                                     else "a run chart")
        )
