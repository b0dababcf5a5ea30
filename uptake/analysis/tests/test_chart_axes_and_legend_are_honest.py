"""A chart a teacher can read: its y axis shows the measure's whole scale (or 0 to 100 %
for a share, or starts at zero), never just the span of the data, and says so; one legend
names every line; a teacher's note is written on the chart; the phone drawing keeps its
text large."""

from __future__ import annotations

import pytest

from uptake.analysis.charts import LAYOUTS, ChartMark, chart_spec, render_chart

SCORES = [50, 52, 49, 51, 50, 48, 52, 50, 60, 62, 61, 63, 60, 62, 61, 64]
K = [5, 6, 4, 7, 5, 6, 4, 5, 6, 5, 9, 9, 10, 9]
N = [20, 20, 21, 20, 19, 20, 20, 22, 20, 20, 20, 21, 20, 20]


def _y_scale(spec: dict) -> dict:
    return next(layer["encoding"]["y"]["scale"] for layer in spec["layer"]
                if layer["encoding"].get("y", {}).get("field") == "value")


@pytest.mark.parametrize(("options", "scale", "sentence"), [
    ({"values": SCORES, "y_scale": (0, 100)}, {"domain": [0, 100]},
     "The y axis shows the measure's whole scale, 0 to 100."),
    ({"values": SCORES, "y_scale": (0, 55)}, {"domain": [0, 64]},
     "The y axis shows the measure's whole scale, 0 to 55, widened to 0 to 64 to show "
     "every point and line."),
    ({"chart": "p", "numerators": K, "denominators": N}, {"domain": [0, 1]},
     "The y axis runs from 0 % to 100 %."),
    ({"chart": "u", "numerators": K, "denominators": N}, {"zero": True},
     "The y axis starts at zero."),
    ({"values": SCORES}, {"zero": True}, "The y axis starts at zero."),
])
def test_it_draws_the_y_axis_over_the_scale_and_says_which(
        options: dict, scale: dict, sentence: str) -> None:
    spec, text, _ = chart_spec(**options)
    assert _y_scale(spec) == scale
    assert sentence in text


def test_it_names_every_line_in_one_legend() -> None:
    spec, _, _ = chart_spec(SCORES, chart="i", baseline_n=8, marks=[
        ChartMark(9, "change or cycle"), ChartMark(5, "learning"),
        ChartMark(12, "teacher's note", "snow day")])
    dash = [layer["encoding"]["strokeDash"] for layer in spec["layer"]
            if "strokeDash" in layer["encoding"]]
    assert {d["legend"]["title"] for d in dash} == {"Lines"}
    assert dash[0]["scale"]["domain"] == ["centre line", "limits", "change or cycle",
                                          "learning", "teacher's note"]
    run, _, _ = chart_spec(SCORES, baseline_n=8)
    assert [layer["encoding"]["strokeDash"]["scale"]["domain"] for layer in run["layer"]
            if "strokeDash" in layer["encoding"]] == [["median of the baseline"]]


def test_it_writes_a_teachers_note_on_the_chart_and_names_the_lines() -> None:
    image = render_chart(SCORES, baseline_n=8, marks=[
        ChartMark(9, "change or cycle"), ChartMark(12, "teacher's note", "sub all week")])
    for text in ("sub all week", "Lines", "median of the baseline", "change or cycle",
                 "teacher's note", "usual", "signal"):
        assert f">{text}</text>" in image.svg, text


@pytest.mark.parametrize("layout", ["narrow", "wide"])
def test_it_keeps_the_text_at_least_12_px_in_each_drawing(layout: str) -> None:
    spec, _, _ = chart_spec(SCORES, baseline_n=8, layout=layout)
    axis, legend = spec["config"]["axis"], spec["config"]["legend"]
    assert min(axis["labelFontSize"], axis["titleFontSize"], legend["labelFontSize"]) >= 12
    assert spec["width"] == LAYOUTS[layout]["width"]


def test_it_wraps_a_long_title_on_the_phone_drawing() -> None:
    spec, _, _ = chart_spec(SCORES, baseline_n=8, layout="narrow",
                            title="Exit ticket: Room 12, Grade 3 mathematics")
    assert all(len(line) <= LAYOUTS["narrow"]["wrap"] for line in spec["title"]["text"])
    assert len(spec["title"]["text"]) > 1


def test_it_refuses_an_unknown_layout() -> None:
    with pytest.raises(ValueError, match="Unknown layout 'tiny'"):
        chart_spec(SCORES, layout="tiny")
