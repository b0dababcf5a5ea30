"""Run and control charts as Vega-Lite specs, rendered to SVG offline.

One function serves pages, PDFs and the ``uptake analyze --svg`` command. The SVG is
accessible on its own: ``role="img"``, an ``aria-label`` and ``<title>``/``<desc>``
elements; the same description is returned as text for a screen-reader paragraph
next to the image. vl-convert writes presentation attributes, not ``style=""``
attributes, so the SVG can be inlined under a strict Content-Security-Policy.

The spec is written as plain dicts rather than through altair: altair's objects cost
about 0.2 s a chart to build and serialise (0.3 s with its JSON-schema validation), a
page's worth of time on the Study view (docs/decisions.md). Validity is checked instead
by the tests, against the Vega-Lite schema altair bundles.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from uptake.analysis.control import control_chart
from uptake.analysis.runs import Values, check_baseline, runs_analysis, to_array
from uptake.analysis.verdict import Verdict, verdict

__all__ = ["ChartAnalysis", "ChartImage", "ChartMark", "analyse_chart", "chart_spec",
           "render_chart"]

LABEL_TEXT = {
    "sustained_improvement": "sustained improvement",
    "change_not_sustained": "change, not (yet) sustained",
    "got_worse": "got worse",
    "no_signal": "no signal",
    "not_enough_data": "not enough data",
}
CHART_NAMES = {"run": "Run chart", "i": "I chart (XmR)", "mr": "Moving-range chart",
               "p": "p chart", "pprime": "Laney p' chart", "u": "u chart", "c": "c chart"}
# Colour-blind-safe (Okabe-Ito) and always paired with a shape, never colour alone.
SIGNAL_COLOUR = "#D55E00"
POINT_COLOUR = "#0072B2"
# Two drawings of each chart: "narrow" for a phone (about 360 px across, drawn at its own
# size so that its text is as large as written), "wide" for a desktop's column. Sizes are
# CSS pixels: a page shows one or the other (uptake.css, .chart-narrow / .chart-wide).
LAYOUTS: dict[str, dict[str, Any]] = {
    "narrow": {"width": 272, "height": 220, "text": 13, "title": 15, "wrap": 34,
               "legend": "bottom", "right": 8},
    "wide": {"width": 820, "height": 320, "text": 14, "title": 17, "wrap": 90,
             "legend": "right", "right": 40},
}
# Every line is named in one legend ("Lines"), by its dash pattern as well as its colour.
LINE_DASH = {"median of the baseline": [1, 0], "median": [1, 0], "centre line": [1, 0],
             "limits": [5, 3], "change or cycle": [2, 3], "learning": [14, 4],
             "teacher's note": [12, 3, 2, 3]}
LINE_COLOUR = {"limits": "#666666", "teacher's note": "#7B3294"}
MARK_KINDS = ("change or cycle", "learning", "teacher's note")


@dataclass(frozen=True)
class ChartMark:
    """A dated line drawn just before point ``before`` (1 = the first): the change or a
    cycle starting, the teacher's learning, or a teacher's note, which is labelled with
    its ``text`` on the chart."""

    before: int
    kind: str
    text: str = ""


# The Vega-Lite version vl-convert renders with (it supports 6.4); tests validate the specs
# against the schema of this version.
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"


@dataclass(frozen=True)
class ChartImage:
    """A rendered chart: the SVG, a plain-text description and the Vega-Lite spec."""

    svg: str
    description: str
    spec: dict[str, Any]
    verdict: Verdict | None


@dataclass(frozen=True)
class ChartAnalysis:
    """What a chart draws of a series, analysed once: the plotted values, the centre line,
    the limits, the points marked as signals and the verdict. One analysis feeds every
    drawing of the chart (wide and narrow) and its description."""

    values: list[float | None]
    centre: float | None
    ucl: list[float | None] | None
    lcl: list[float | None] | None
    signal_points: frozenset[int]
    verdict: Verdict | None
    percent: bool


_UNKNOWN: Any = object()


def analyse_chart(values: Values | None = None, *, chart: str = "run",
                  numerators: Values | None = None, denominators: Values | None = None,
                  baseline_n: int | None = None, direction: str = "up",
                  rules: str = "default", verdict_of: Verdict | None = _UNKNOWN
                  ) -> ChartAnalysis:
    """The series analysed for :func:`chart_spec` (``analysis=``), with the same data and
    options. ``verdict_of`` is the series' verdict when the caller has it already (the
    same data, baseline, direction, chart and rules): it is not worked out again.

    Examples
    --------
    >>> a = analyse_chart([5, 6, 4, 5, 7, 6, 5, 4, 9, 9, 8, 9, 9, 8, 9, 9], baseline_n=8)
    >>> a.verdict.label, a.centre
    ('sustained_improvement', 5.0)
    """
    return _analyse(values, chart, numerators, denominators, baseline_n, direction, rules,
                    verdict_of)


def _analyse(values: Values | None, chart: str, numerators: Values | None,
             denominators: Values | None, baseline_n: int | None, direction: str,
             rules: str, verdict_of: Verdict | None = _UNKNOWN) -> ChartAnalysis:
    if chart == "run":
        y = _run_values(values, numerators, denominators)
        r = runs_analysis(y, baseline_n=baseline_n)
        ys = [None if math.isnan(v) else float(v) for v in y]
        c_ucl = c_lcl = None
        centre = r.centre
        points = set(r.longest_run_points) if r.shift_signal else set()
    else:
        c = control_chart(values, chart=chart, numerators=numerators,
                          denominators=denominators, baseline_n=baseline_n,
                          rules="default" if rules in ("anhoej", "ihi") else rules)
        ys, centre, c_ucl, c_lcl = list(c.values), c.centre, list(c.ucl), list(c.lcl)
        points = {p for s in c.signals for p in s.points}
    v = None
    if baseline_n is not None and baseline_n < len(ys) and chart != "mr":
        v = verdict_of if verdict_of is not _UNKNOWN else verdict(
            values, baseline_n=baseline_n, direction=direction, chart=chart,
            numerators=numerators, denominators=denominators, rules=rules)
    if v is not None:
        # After a baseline, mark what the verdict rests on rather than whole-series runs.
        points = {p for e in v.evidence for p in e.points}
    return ChartAnalysis(ys, centre, c_ucl, c_lcl, frozenset(points), v,
                         chart in ("p", "pprime"))


def _run_values(values: Values | None, numerators: Values | None,
                denominators: Values | None) -> Any:
    if values is not None:
        return to_array(values)
    k = to_array(numerators, name="numerators")
    n = to_array(denominators, name="denominators")
    return [a / b if b > 0 else None for a, b in zip(k, n, strict=True)]


def chart_spec(
    values: Values | None = None,
    *,
    chart: str = "run",
    numerators: Values | None = None,
    denominators: Values | None = None,
    baseline_n: int | None = None,
    direction: str = "up",
    rules: str = "default",
    labels: Sequence[str] | None = None,
    title: str | None = None,
    y_title: str = "Value",
    y_scale: tuple[float, float] | None = None,
    marks: Sequence[ChartMark] = (),
    layout: str = "wide",
    analysis: ChartAnalysis | None = None,
) -> tuple[dict[str, Any], str, Verdict | None]:
    """Vega-Lite spec, screen-reader description and verdict for a chart.

    Takes the same data and options as :func:`uptake.analysis.verdict`, plus
    ``labels`` (one per point, e.g. dates), titles, ``y_scale`` (the measure's lowest
    and highest possible value: the y axis shows the whole scale), ``marks`` (dated
    lines, :class:`ChartMark`) and ``layout`` ("wide" or "narrow", see ``LAYOUTS``).
    ``analysis`` is the series already analysed (:func:`analyse_chart` on the same data
    and options): each drawing of one chart then reuses it rather than analysing again.

    Without ``y_scale`` a share's axis runs from 0 to 100 % and any other axis starts at
    zero, never "near the data", where every small move looks dramatic. The description
    says which axis was drawn.

    Examples
    --------
    >>> spec, text, v = chart_spec([5, 6, 4, 5, 7, 6, 5, 4, 9, 9, 8, 9, 9, 8, 9, 9],
    ...                            baseline_n=8)
    >>> spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    True
    >>> v.label
    'sustained_improvement'
    """
    if layout not in LAYOUTS:
        raise ValueError(f"Unknown layout {layout!r}; choose 'wide' or 'narrow'.")
    a = analysis if analysis is not None else _analyse(
        values, chart, numerators, denominators, baseline_n, direction, rules)
    n = len(a.values)
    if labels is not None and len(labels) != n:
        raise ValueError(f"There are {len(labels)} labels for {n} points.")
    b = check_baseline(baseline_n, n) if baseline_n is not None else None
    names = [str(x) for x in labels] if labels is not None else [str(i + 1) for i in range(n)]
    heading = title or CHART_NAMES.get(chart, chart)
    if a.verdict is not None:
        heading += f": {LABEL_TEXT[a.verdict.label]}"
    rows = [
        {"point": i + 1, "label": names[i], "value": a.values[i],
         "status": "signal" if i in a.signal_points else "usual",
         "centre": a.centre,
         "ucl": None if a.ucl is None else a.ucl[i],
         "lcl": None if a.lcl is None else a.lcl[i]}
        for i in range(n)
    ]
    y_scale_spec, y_text = _y_axis(a, y_scale)
    description = _describe(a, chart, b, heading, y_text)
    size = LAYOUTS[layout]
    spec = {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": textwrap.wrap(heading, size["wrap"]) or [heading]},
        "description": description,
        "width": size["width"],
        "height": size["height"],
        # The renderer measures text with its own fonts; a reader's browser may draw it
        # wider. A title from the left edge and room on the right keep a long title and
        # the legend's labels inside the picture.
        "padding": {"left": 5, "top": 5, "bottom": 5, "right": size["right"]},
        "config": _config(size),
        "data": {"values": rows},
        "layer": _layers(b, a, y_title, names, y_scale_spec, chart, marks, size),
    }
    return spec, description, a.verdict


def spec_heading(spec: dict[str, Any]) -> str:
    """The chart's title as one line (the spec may wrap it over several)."""
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else str(text)


def _config(size: dict[str, Any]) -> dict[str, Any]:
    text = size["text"]
    return {
        "title": {"anchor": "start", "fontSize": size["title"]},
        # Room between x labels: a browser's font may draw them wider than measured.
        "axis": {"labelFontSize": text, "titleFontSize": text, "labelSeparation": 12},
        "legend": {"labelFontSize": text, "titleFontSize": text, "orient": size["legend"],
                   "direction": "vertical", "symbolStrokeWidth": 2, "labelLimit": 240},
        "text": {"fontSize": text},
    }


def _y_axis(a: ChartAnalysis, y_scale: tuple[float, float] | None
            ) -> tuple[dict[str, Any], str]:
    """The y scale and the sentence that says which axis was drawn."""
    seen = [v for v in [*a.values, a.centre, *(a.ucl or ()), *(a.lcl or ())]
            if v is not None and not math.isnan(v)]
    if y_scale is not None:
        lo, hi = min(y_scale), max(y_scale)
        wide_lo, wide_hi = min([lo, *seen]), max([hi, *seen])
        text = (f"The y axis shows the measure's whole scale, {_fmt(lo, a.percent)} to "
                f"{_fmt(hi, a.percent)}")
        if (wide_lo, wide_hi) != (lo, hi):
            text += (f", widened to {_fmt(wide_lo, a.percent)} to {_fmt(wide_hi, a.percent)} "
                     "to show every point and line")
        return {"domain": [wide_lo, wide_hi]}, text + "."
    if a.percent:
        return {"domain": [0, 1]}, "The y axis runs from 0 % to 100 %."
    return {"zero": True}, "The y axis starts at zero."


def _layers(b: int | None, a: ChartAnalysis, y_title: str, names: list[str],
            y_scale: dict[str, Any], chart: str, marks: Sequence[ChartMark],
            size: dict[str, Any]) -> list[dict[str, Any]]:
    """Baseline band and its label, values, centre line, limits, dated marks, then the
    points on top. The points are the top-level data; the band and marks bring their own.
    """
    n = len(names)
    label_expr = "[" + ",".join(_js_string(x) for x in names) + "][datum.value - 1]"
    x = _field("point", "quantitative", title="Point" if names[0] == "1" else "",
               scale={"domain": [0.5, n + 0.5]},
               axis={"values": list(range(1, n + 1)), "labelExpr": label_expr,
                     "labelOverlap": True, "grid": False})
    y = _field("value", "quantitative", title=y_title,
               axis={"format": ".0%" if a.percent else "~r"}, scale=y_scale)
    centre = ("centre line" if chart != "run" else
              "median of the baseline" if b is not None and b < n else "median")
    drawn = [centre, *(["limits"] if a.ucl is not None else []),
             *[k for k in MARK_KINDS if any(m.kind == k for m in marks)]]
    lines_at, points_at = _legend_places(size, len(drawn))
    dash = {"scale": {"domain": drawn, "range": [LINE_DASH[k] for k in drawn]},
            # Long symbols, so that each line's dash pattern can be told apart.
            "legend": {"title": "Lines", "symbolType": "stroke", "symbolSize": 576,
                       **lines_at}}
    layers: list[dict[str, Any]] = []
    if b is not None and b < n:
        band = {"values": [{"start": 0.5, "end": b + 0.5, "text": "Baseline"}]}
        start = _field("start", "quantitative")
        layers.append(_layer({"type": "rect", "color": "#EEEEEE"}, data=band,
                             x=start, x2={"field": "end"}))
        layers.append(_layer({"type": "text", "align": "left", "baseline": "top", "dx": 4,
                              "dy": 4, "color": "#555555"}, data=band,
                             x=start, y={"value": 0}, text=_field("text", "nominal")))
    layers.append(_layer({"type": "line", "color": POINT_COLOUR}, x=x, y=y))
    line = {**_field("line", "nominal"), **dash}
    layers.append(_named(centre, _layer(
        {"type": "line", "color": "#333333", "strokeWidth": 1.5},
        x=x, y=_field("centre", "quantitative", scale=y_scale), strokeDash=line)))
    if a.ucl is not None:
        for key in ("ucl", "lcl"):
            layers.append(_named("limits", _layer(
                {"type": "line", "color": LINE_COLOUR["limits"], "interpolate": "step"},
                x=x, y=_field(key, "quantitative", scale=y_scale), strokeDash=line)))
    layers += _mark_layers(marks, dash, size)
    status = {"domain": ["usual", "signal"]}
    layers.append(_layer(
        {"type": "point", "filled": True, "size": 70}, x=x, y=y,
        shape=_field("status", "nominal", legend={"title": "Point", **points_at},
                     scale={**status, "range": ["circle", "triangle-up"]}),
        color=_field("status", "nominal", legend={"title": "Point", **points_at},
                     scale={**status, "range": [POINT_COLOUR, SIGNAL_COLOUR]}),
        tooltip=[_field("label", "nominal"), _field("value", "quantitative")],
    ))
    return layers


def _legend_places(size: dict[str, Any], n_lines: int
                   ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Below a narrow chart the two legends stand one above the other, placed by hand:
    side by side they overlap once a browser draws the labels wider than the renderer
    measured them. A wide chart keeps them on the right, where there is room."""
    if size["legend"] != "bottom":
        return {}, {}
    top = size["height"] + 48
    return ({"orient": "none", "legendX": 0, "legendY": top},
            {"orient": "none", "legendX": 0, "legendY": top + 30 + 20 * n_lines})


def _named(name: str, layer: dict[str, Any]) -> dict[str, Any]:
    """The layer with a ``line`` field holding its name in the legend (a constant
    ``datum`` cannot carry the legend's scale in the Vega-Lite schema)."""
    return {"transform": [{"calculate": _js_string(name), "as": "line"}], **layer}


def _mark_layers(marks: Sequence[ChartMark], dash: dict[str, Any], size: dict[str, Any]
                 ) -> list[dict[str, Any]]:
    """A vertical line before each marked point; a teacher's note also gets its words,
    written up the line from the foot of the chart."""
    rows = [{"x": m.before - 0.5, "kind": m.kind, "text": m.text} for m in marks]
    if not rows:
        return []
    x = _field("x", "quantitative")
    layers = [_layer({"type": "rule", "strokeWidth": 1.5}, data={"values": rows}, x=x,
                     strokeDash={**_field("kind", "nominal"), **dash},
                     color={"value": "#333333"} if all(
                         r["kind"] != "teacher's note" for r in rows) else {
                         "condition": {"test": "datum.kind === \"teacher's note\"",
                                       "value": LINE_COLOUR["teacher's note"]},
                         "value": "#333333"})]
    notes = [r for r in rows if r["kind"] == "teacher's note"]
    if notes:
        layers.append(_layer({"type": "text", "angle": 270, "align": "left",
                              "baseline": "bottom", "dx": 4, "dy": -3,
                              "color": LINE_COLOUR["teacher's note"],
                              "limit": int(size["height"] * 0.75)},
                             data={"values": notes}, x=x, y={"value": size["height"]},
                             text=_field("text", "nominal")))
    return layers


def _field(name: str, kind: str, **options: Any) -> dict[str, Any]:
    """A Vega-Lite field definition: ``{"field": ..., "type": ...}`` plus options."""
    return {"field": name, "type": kind, **options}


def _layer(mark: dict[str, Any], *, data: dict[str, Any] | None = None,
           **encoding: Any) -> dict[str, Any]:
    """A layer drawing ``mark``; without ``data`` it draws the chart's points."""
    layer = {"mark": mark, "encoding": encoding}
    return layer if data is None else {"data": data, **layer}


def _js_string(s: str) -> str:
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fmt(v: float | None, percent: bool) -> str:
    if v is None:
        return "none"
    return f"{100 * v:.3g} %" if percent else f"{v:.4g}"


def _describe(a: ChartAnalysis, chart: str, b: int | None, heading: str, y_text: str
              ) -> str:
    present = [v for v in a.values if v is not None]
    n, missing = len(a.values), len(a.values) - len(present)
    parts = [f"{heading}. {CHART_NAMES.get(chart, chart)} of {n} points"
             + (f" ({missing} missing)." if missing else ".")]
    if present:
        parts.append(f"Values range from {_fmt(min(present), a.percent)} to "
                     f"{_fmt(max(present), a.percent)}.")
    parts.append(y_text)
    what = "median" if chart == "run" else "centre line"
    if b is not None and b < n:
        parts.append(f"The first {b} points are the baseline; its {what} is "
                     f"{_fmt(a.centre, a.percent)}.")
    else:
        parts.append(f"The {what} is {_fmt(a.centre, a.percent)}.")
    if a.signal_points:
        pts = sorted(a.signal_points)
        parts.append(f"{len(pts)} point{'s are' if len(pts) > 1 else ' is'} marked as a "
                     "signal with a triangle.")
    if a.verdict is not None:
        parts.append(f"Verdict: {LABEL_TEXT[a.verdict.label]}. {a.verdict.reason}")
    return " ".join(parts)


def render_chart(
    values: Values | None = None,
    *,
    chart: str = "run",
    numerators: Values | None = None,
    denominators: Values | None = None,
    baseline_n: int | None = None,
    direction: str = "up",
    rules: str = "default",
    labels: Sequence[str] | None = None,
    title: str | None = None,
    y_title: str = "Value",
    y_scale: tuple[float, float] | None = None,
    marks: Sequence[ChartMark] = (),
    layout: str = "wide",
) -> ChartImage:
    """Render a run or control chart to an accessible SVG (offline, no browser).

    Parameters are those of :func:`chart_spec`.

    Examples
    --------
    >>> img = render_chart([5, 6, 4, 5, 7, 6, 5, 4, 9, 9, 8, 9, 9, 8, 9, 9], baseline_n=8)
    >>> img.svg.startswith("<svg") and 'role="img"' in img.svg and "<desc>" in img.svg
    True
    >>> img.description.split(". ")[0]
    'Run chart: sustained improvement'
    """
    import vl_convert  # imported here: loading the renderer takes a moment

    spec, text, v = chart_spec(
        values, chart=chart, numerators=numerators, denominators=denominators,
        baseline_n=baseline_n, direction=direction, rules=rules, labels=labels,
        title=title, y_title=y_title, y_scale=y_scale, marks=marks, layout=layout,
    )
    svg = vl_convert.vegalite_to_svg(spec)
    return ChartImage(svg=_accessible(svg, spec_heading(spec), text), description=text,
                      spec=spec, verdict=v)


def _accessible(svg: str, title: str, description: str) -> str:
    """Give the root <svg> role="img", an aria-label, and <title>/<desc> children."""
    head_end = svg.index(">") + 1
    head = svg[:head_end]
    head = re.sub(r'\s(role|aria-label)="[^"]*"', "", head)
    head = head[:-1] + f' role="img" aria-label="{html.escape(title, quote=True)}">'
    extra = (f"<title>{html.escape(title)}</title>"
             f"<desc>{html.escape(description)}</desc>")
    return head + extra + svg[head_end:]
