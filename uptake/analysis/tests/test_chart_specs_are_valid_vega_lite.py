"""Chart specs are valid Vega-Lite.

``chart_spec`` writes plain dicts and validates nothing at run time (building through
altair cost about 0.2 s a chart on every page), so the check happens here: each kind of
chart, with and without a baseline, against the Vega-Lite JSON schema that altair bundles.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
import vl_convert
from altair.vegalite.v6.schema import SCHEMA_URL, load_schema

from uptake.analysis.charts import VEGA_LITE_SCHEMA, ChartMark, chart_spec

SERIES = [60, 64, 61, 63, 59, 62, 65, 58, 62, 61, 63, 60, 66, 67, 65, 68, 70, 66, 69, 67]
K = [5, 6, 4, 7, 5, 6, 4, 5, 6, 5, 9, 9, 10, 9]
N = [20, 20, 21, 20, 19, 20, 20, 22, 20, 20, 20, 21, 20, 20]

CHARTS: dict[str, dict[str, Any]] = {
    "run chart, no baseline": {"values": SERIES},
    "run chart with a baseline and dates": {
        "values": SERIES, "baseline_n": 12, "labels": [f"Oct {i + 1}" for i in range(20)]},
    "run chart with missing points": {"values": [*SERIES[:5], None, *SERIES[6:]],
                                      "baseline_n": 10, "direction": "down"},
    "run chart of proportions": {"numerators": K, "denominators": N, "baseline_n": 10},
    "I chart with a baseline": {"values": SERIES, "chart": "i", "baseline_n": 12},
    "moving-range chart": {"values": SERIES, "chart": "mr"},
    "p chart with a baseline": {"chart": "p", "numerators": K, "denominators": N,
                                "baseline_n": 10, "y_title": "Share of students"},
    "Laney p' chart": {"chart": "pprime", "numerators": K, "denominators": N},
    "u chart": {"chart": "u", "numerators": K, "denominators": N, "baseline_n": 8},
    "c chart, Nelson rules": {"values": K, "chart": "c", "baseline_n": 8, "rules": "nelson"},
    "I chart on a scale with every kind of mark, drawn for a phone": {
        "values": SERIES, "chart": "i", "baseline_n": 12, "y_scale": (0, 100),
        "layout": "narrow", "marks": [ChartMark(13, "change or cycle"),
                                      ChartMark(5, "learning"),
                                      ChartMark(15, "teacher's note", "snow day")]},
    "labels with quotes and backslashes": {"values": SERIES[:4],
                                           "labels": ["O'Neil", "a\\b", '"x"', "</svg>"]},
}


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = load_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _problems(validator: Any, spec: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in validator.iter_errors(spec)]


@pytest.mark.parametrize("options", CHARTS.values(), ids=CHARTS.keys())
def test_it_writes_specs_the_vega_lite_schema_accepts(validator: Any,
                                                      options: dict[str, Any]) -> None:
    spec, _, _ = chart_spec(**options)
    assert _problems(validator, spec) == []


def test_it_declares_the_vega_lite_version_it_is_checked_against_and_rendered_with() -> None:
    assert VEGA_LITE_SCHEMA == SCHEMA_URL
    major_minor = VEGA_LITE_SCHEMA.rsplit("/v", 1)[1].rsplit(".", 2)[0]
    assert major_minor in vl_convert.get_vegalite_versions()


def test_the_check_would_catch_a_misspelt_property(validator: Any) -> None:
    spec, _, _ = chart_spec(SERIES, baseline_n=12)
    spec["layer"][-1]["mark"]["colour"] = "#D55E00"
    assert _problems(validator, spec) != []
