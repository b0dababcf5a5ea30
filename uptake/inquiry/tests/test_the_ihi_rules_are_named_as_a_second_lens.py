"""The IHI run-chart rules (Perla, Provost & Murray 2011) are shown beside the verdict as
what they are, a second lens, saying in plain words which rule fired; the verdict still
comes from the Anhøj rules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.urls import reverse

from uptake.inquiry.study import Point, second_lens
from uptake.inquiry.tests.conftest import fill


def _points(values: list[float]) -> list[Point]:
    return [Point(date(2026, 9, 7) + timedelta(days=7 * i), "", v)
            for i, v in enumerate(values)]


def test_it_names_a_shift_and_too_few_runs() -> None:
    # uptake.analysis.runs.ihi_rules's worked example: median 6, the last six points
    # above it (a shift of 6), 2 runs among 11 useful points, where the exact
    # Swed-Eisenhart range for 11 points is 4 to 9 (docs/analysis.md section 2).
    text = second_lens(_points([5, 4, 6, 5, 4, 6, 5, 9, 9, 8, 9, 9, 8]), None, "run")
    assert text.startswith("Second lens: IHI run-chart rules on the same points — ")
    assert "a shift: 6 points in a row on one side of the median (6 or more" in text
    assert "too few runs: 2, where 4 to 9 are usual" in text
    assert "The verdict comes from the Anhøj rules;" in text


def test_it_names_a_trend_as_one_that_often_happens_by_chance() -> None:
    text = second_lens(_points([5, 3, 6, 4, 5, 6, 7, 8, 4, 5]), None, "run")
    assert "a trend: 5 points in a row all going up or all going down" in text
    assert "often happens by chance" in text


def test_it_says_when_no_rule_fired_and_why_runs_were_not_counted() -> None:
    text = second_lens(_points([5, 6, 4, 5, 6, 4]), None, "i")
    assert "none fired" in text and "it needs 10" in text
    assert "from the Anhøj rules and the chart's limits" in text


def test_it_shows_the_second_lens_beside_the_verdict_on_the_study_page(
        world: Any, login: Any, measure: Any) -> None:
    fill(world.people["teacher"], measure, world.section,
         [50, 52, 49, 51, 50, 48, 52, 50, 60, 62, 61, 63, 60, 62, 61, 64], world.students)
    page = login(world.people["teacher"]).get(
        reverse("inquiry:study", args=[measure.pk])).content.decode()
    verdict_at = page.index("Verdict:")
    lens_at = page.index("Second lens: IHI run-chart rules")
    assert verdict_at < lens_at < page.index("<svg")
    # Baseline median 50 (48 49 50 50 50 51 52 52); the 52 of week 7, the 50 of week 8 on
    # the median (skipped) and the eight points after the change: a shift of 9.
    assert "a shift: 9 points in a row" in page
