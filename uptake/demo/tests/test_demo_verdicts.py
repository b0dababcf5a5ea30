"""The demo's inquiries show the verdicts their stories need, in classes whose subject and
grade fit, with data that looks like a real class: each baseline different, the "no signal"
series random rather than alternating, effects of a believable size, not every student
improving (issue 10, seen 4)."""

from __future__ import annotations

import statistics
from io import StringIO
from itertools import pairwise
from typing import Any

import pytest
from django.core.management import call_command

from uptake.demo.inquiries import BASELINE, SERIES
from uptake.demo.story import STORY_INQUIRY, TEAM_INQUIRY
from uptake.inquiry.models import Inquiry, Measure, StudentValue
from uptake.inquiry.study import study_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures() -> dict[str, Measure]:
    call_command("demo", stdout=StringIO())
    return {s.verdict: Measure.objects.get(inquiry__title=s.title, name=s.measure)
            for s in SERIES}


def _study(measure: Measure) -> Any:
    return study_series(measure, list(measure.sections.all()), title=measure.name,
                        together=True, render=False)


def _scores(measure: Measure) -> list[list[float]]:
    """The scores of each occasion, in date order, without the missing."""
    by_date: dict[Any, list[float]] = {}
    for date, value in (StudentValue.objects.filter(occasion__measure=measure,
                                                    value__isnull=False)
                        .order_by("occasion__date").values_list("occasion__date", "value")):
        by_date.setdefault(date, []).append(float(value or 0))  # never None here
    return list(by_date.values())


def _standardised_change(measure: Measure) -> float:
    """Mean after the change minus the baseline mean, in SDs of a baseline score."""
    occasions = _scores(measure)
    before = [v for day in occasions[:BASELINE] for v in day]
    after = [v for day in occasions[BASELINE:] for v in day]
    return (statistics.mean(after) - statistics.mean(before)) / statistics.stdev(before)


def test_each_demo_inquiry_shows_the_verdict_its_story_needs(
        measures: dict[str, Measure]) -> None:
    for verdict, measure in measures.items():
        assert _study(measure).label == verdict, measure.inquiry.title
    team = Measure.objects.get(inquiry__title=TEAM_INQUIRY)
    assert _study(team).label == "sustained_improvement"


def test_each_measure_runs_in_a_class_of_its_subject_and_a_grade_that_fits(
        measures: dict[str, Measure]) -> None:
    for series in SERIES:
        (section,) = measures[series.verdict].sections.all()
        assert section.subjects == series.subject, series.title
    math_talk = Inquiry.objects.get(title=STORY_INQUIRY).measures.get(name=SERIES[0].measure)
    fractions = Measure.objects.get(inquiry__title=TEAM_INQUIRY)
    for measure in (math_talk, fractions):
        for section in measure.sections.all():
            assert section.subjects == "Mathematics" and section.grades in ("04", "05")
    reading = measures["got_worse"].sections.get()
    assert reading.subjects == "English Language Arts"


def test_the_effects_are_of_a_size_classrooms_see(measures: dict[str, Measure]) -> None:
    # Designed: 0.45 SD where it works, -0.35 where it hurt, 0 where it did nothing.
    assert 0.2 <= _standardised_change(measures["sustained_improvement"]) <= 0.6
    assert -0.6 <= _standardised_change(measures["got_worse"]) <= -0.2
    assert abs(_standardised_change(measures["no_signal"])) < 0.2


def test_not_every_student_improves_where_the_change_worked(
        measures: dict[str, Measure]) -> None:
    measure = measures["sustained_improvement"]
    dates = sorted(set(measure.occasions.values_list("date", flat=True)))
    change = dates[BASELINE]
    before: dict[int, list[float]] = {}
    after: dict[int, list[float]] = {}
    for date, student, value in StudentValue.objects.filter(
            occasion__measure=measure, value__isnull=False).values_list(
            "occasion__date", "student_id", "value"):
        (after if date >= change else before).setdefault(student, []).append(float(value or 0))
    gained = [statistics.mean(after[s]) > statistics.mean(before[s]) for s in before]
    assert 0.5 <= sum(gained) / len(gained) < 1.0, f"{sum(gained)} of {len(gained)} improved"


def test_the_no_signal_series_looks_random_and_no_two_baselines_match(
        measures: dict[str, Measure]) -> None:
    means = [statistics.mean(day) for day in _scores(measures["no_signal"])]
    centre = statistics.median(means[:BASELINE])
    sides = [m > centre for m in means if m != centre]
    crossings = sum(a != b for a, b in pairwise(sides))
    assert crossings < len(sides) - 1  # a perfect alternation is itself a pattern
    shapes = set()
    for measure in measures.values():
        baseline = [statistics.mean(day) for day in _scores(measure)[:BASELINE]]
        middle = statistics.median(baseline)
        shapes.add(tuple(round(b - middle, 1) for b in baseline))
        assert len(set(baseline)) > BASELINE // 2  # not a repeating sawtooth
    assert len(shapes) == len(SERIES)


def test_loading_the_demo_again_changes_no_score(measures: dict[str, Measure]) -> None:
    before = sorted(StudentValue.objects.values_list("occasion_id", "student_id", "value"))
    call_command("demo", stdout=StringIO())
    assert sorted(StudentValue.objects.values_list("occasion_id", "student_id",
                                                   "value")) == before
