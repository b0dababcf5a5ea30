"""Charts render offline to SVG that screen readers and a strict CSP can use."""

from __future__ import annotations

import re

import pytest

from uptake.analysis.charts import ChartImage, chart_spec, render_chart

SERIES = [60, 64, 61, 63, 59, 62, 65, 58, 62, 61, 63, 60, 66, 67, 65, 68, 70, 66, 69, 67, 68, 70]


@pytest.fixture(scope="module")
def image() -> ChartImage:
    return render_chart(SERIES, baseline_n=12, title="Reading fluency",
                        labels=[f"Week {i + 1}" for i in range(len(SERIES))])


def test_it_labels_the_svg_for_screen_readers(image: ChartImage) -> None:
    head = image.svg[: image.svg.index(">") + 1]
    assert 'role="img"' in head
    assert 'aria-label="Reading fluency: sustained improvement"' in head
    assert "<title>Reading fluency: sustained improvement</title>" in image.svg
    assert f"<desc>{image.description}</desc>" in image.svg


def test_it_describes_the_data_and_the_verdict_in_one_paragraph(image: ChartImage) -> None:
    text = image.description
    assert "Run chart of 22 points" in text
    assert "The first 12 points are the baseline; its median is 61.5" in text
    assert "marked as a signal with a triangle" in text
    assert image.verdict is not None
    assert "Verdict: sustained improvement." in text and image.verdict.reason in text


def test_it_has_no_inline_style_attributes(image: ChartImage) -> None:
    assert not re.search(r"\sstyle=", image.svg)
    assert "<script" not in image.svg


def test_it_marks_signals_by_shape_as_well_as_colour() -> None:
    spec, _, v = chart_spec(SERIES, baseline_n=12)
    points = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "point"]
    assert points[0]["encoding"]["shape"]["scale"]["range"] == ["circle", "triangle-up"]
    assert v is not None and v.label == "sustained_improvement"


def test_it_shades_the_baseline_and_draws_control_limits() -> None:
    spec, _, _ = chart_spec(chart="p", numerators=[5, 6, 4, 7, 5, 6, 4, 5, 6, 5, 9, 9],
                            denominators=[20] * 12, baseline_n=10)
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks[0] == "rect" and marks.count("line") == 4  # values, centre, ucl, lcl


def test_it_rejects_labels_that_do_not_match_the_points() -> None:
    with pytest.raises(ValueError, match="3 labels for 22 points"):
        chart_spec(SERIES, labels=["a", "b", "c"])
