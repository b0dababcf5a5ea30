"""Uptake's statistics: run charts, control charts, verdicts, effect sizes and pooling.

Pure Python (numpy and scipy; statsmodels for pooling); this package never imports
Django, so pages, reports, the API and the ``uptake analyze`` command all call the same
functions. ``verdicts`` gives many run-chart series' verdicts at once, equal to
``verdict`` on each. Definitions follow their published sources (Anhøj and Olesen's run-chart rules
as qicharts2 applies them, the What Works Clearinghouse handbook, metafor for pooling);
conventions are documented in ``docs/analysis.md`` and ``docs/analysis-effects.md``.
"""

from __future__ import annotations

from uptake.analysis.batch import BatchVerdicts, verdicts
from uptake.analysis.control import ControlChart, Signal, control_chart
from uptake.analysis.effects import (
    Attrition,
    BaselineEquivalence,
    Claims,
    ClusterCorrection,
    CoxIndex,
    DidEffectSize,
    FixedEffectPool,
    GroupSummary,
    HedgesG,
    MinimumDetectableEffect,
    MultipleComparisons,
    PairedChange,
    attrition,
    baseline_equivalence,
    benjamini_hochberg,
    claims_for,
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
from uptake.analysis.growth import GrowthSummary, StudentGrowth, student_growth
from uptake.analysis.pooling import (
    ChangeEffect,
    Pooled,
    pool,
    standardized_mean_change,
    why_not_pooled,
)
from uptake.analysis.runs import (
    IhiResult,
    RunsResult,
    anhoej_limits,
    ihi_rules,
    runs_analysis,
    runs_by_part,
    swed_eisenhart_limits,
)
from uptake.analysis.suppression import (
    GroupTable,
    LinkedSuppression,
    SuppressionResult,
    TableSuppressionResult,
    suppress_groups,
    suppress_linked,
    suppress_table,
)
from uptake.analysis.verdict import LABELS, Evidence, Verdict, verdict

__all__ = [
    "LABELS",
    "Attrition",
    "BaselineEquivalence",
    "BatchVerdicts",
    "ChangeEffect",
    "Claims",
    "ClusterCorrection",
    "ControlChart",
    "CoxIndex",
    "DidEffectSize",
    "Evidence",
    "FixedEffectPool",
    "GroupSummary",
    "GroupTable",
    "GrowthSummary",
    "HedgesG",
    "IhiResult",
    "LinkedSuppression",
    "MinimumDetectableEffect",
    "MultipleComparisons",
    "PairedChange",
    "Pooled",
    "RunsResult",
    "Signal",
    "StudentGrowth",
    "SuppressionResult",
    "TableSuppressionResult",
    "Verdict",
    "anhoej_limits",
    "attrition",
    "baseline_equivalence",
    "benjamini_hochberg",
    "claims_for",
    "cluster_correction",
    "control_chart",
    "cox_index",
    "did_effect_size",
    "fixed_effect_pool",
    "hedges_g",
    "hedges_g_from_stats",
    "ihi_rules",
    "improvement_index",
    "minimum_detectable_effect",
    "paired_change",
    "pool",
    "runs_analysis",
    "runs_by_part",
    "standardized_mean_change",
    "student_growth",
    "suppress_groups",
    "suppress_linked",
    "suppress_table",
    "swed_eisenhart_limits",
    "verdict",
    "verdicts",
    "why_not_pooled",
]
