"""Uptake's statistics: run charts, control charts, verdicts and effect sizes.

Pure Python (numpy and scipy); this package never imports Django, so pages, reports,
the API and the ``uptake analyze`` command all call the same functions. Definitions
follow ANALYSIS.md; conventions are documented in ``docs/analysis.md``.
"""

from __future__ import annotations

from uptake.analysis.control import ControlChart, Signal, control_chart
from uptake.analysis.runs import (
    IhiResult,
    RunsResult,
    anhoej_limits,
    ihi_rules,
    runs_analysis,
    runs_by_part,
    swed_eisenhart_limits,
)
from uptake.analysis.verdict import LABELS, Evidence, Verdict, verdict

__all__ = [
    "LABELS",
    "ControlChart",
    "Evidence",
    "IhiResult",
    "RunsResult",
    "Signal",
    "Verdict",
    "anhoej_limits",
    "control_chart",
    "ihi_rules",
    "runs_analysis",
    "runs_by_part",
    "swed_eisenhart_limits",
    "verdict",
]
