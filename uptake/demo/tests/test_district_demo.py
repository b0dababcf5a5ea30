"""The demo district tells issue 15's story: one program clearly moving outcomes (Math Talk),
one not (the writing workshops), one too early to tell (the science PLC), with the
participation, money and surveys behind each, and loading it again adds nothing twice."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from uptake.accounts.models import District
from uptake.analysis.pooling import pool
from uptake.demo.actions import DEMO_SLUG
from uptake.demo.district import MATH_TALK, SCIENCE_PLC, WRITING, ProgramStory
from uptake.inquiry.queries import series_summaries
from uptake.programs.models import Attendance, Program
from uptake.programs.queries import linked_inquiry_ids, participant_counts
from uptake.spending.models import SpendingEntry
from uptake.spending.queries import fiscal_year_of, totals
from uptake.surveys.models import Response, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> District:
    call_command("demo", stdout=StringIO())
    return District.objects.get(slug=DEMO_SLUG)


def _program(story: ProgramStory) -> Program:
    return Program.objects.get(district__slug=DEMO_SLUG, name=story.name)


def _rows(story: ProgramStory) -> list[Any]:
    program = _program(story)
    ids = linked_inquiry_ids(program)
    return [row for row in series_summaries(program.district_id)
            if row.measure.inquiry_id in ids]


def _verdicts(story: ProgramStory) -> Counter[str]:
    return Counter(row.verdict for row in _rows(story))


def test_one_program_moves_outcomes_one_does_not_one_is_too_early(demo: District) -> None:
    _math_talk_clearly_moves_outcomes()
    _the_writing_workshops_do_not()
    _the_science_plc_is_too_early_to_tell()


def _math_talk_clearly_moves_outcomes() -> None:
    verdicts = _verdicts(MATH_TALK)
    assert verdicts["sustained_improvement"] >= 5
    assert verdicts["sustained_improvement"] > _verdicts(WRITING)["sustained_improvement"]
    effects = [(r.smc, r.smc_variance) for r in _rows(MATH_TALK)
               if r.smc is not None and r.smc_variance is not None]
    pooled = pool(effects)
    assert pooled is not None and pooled.k >= 5
    assert pooled.estimate > 0 and pooled.ci_low > 0  # the interval excludes zero
    assert pooled.i2 < 0.5  # little heterogeneity between the classrooms


def _the_writing_workshops_do_not() -> None:
    verdicts = _verdicts(WRITING)
    assert sum(verdicts.values()) >= 4
    assert verdicts["sustained_improvement"] == 0
    assert verdicts["no_signal"] + verdicts["change_not_sustained"] == sum(verdicts.values())
    effects = [(r.smc, r.smc_variance) for r in _rows(WRITING)
               if r.smc is not None and r.smc_variance is not None]
    pooled = pool(effects)
    assert pooled is not None and abs(pooled.estimate) < 0.25


def _the_science_plc_is_too_early_to_tell() -> None:
    verdicts = _verdicts(SCIENCE_PLC)
    assert sum(verdicts.values()) >= 3
    assert verdicts["not_enough_data"] / sum(verdicts.values()) > 0.5
    assert _program(SCIENCE_PLC).starts_on.year >= _program(WRITING).starts_on.year


def test_participation_money_and_surveys_behind_it_loaded_once(demo: District) -> None:
    _each_program_has_participants_sessions_and_attendance()
    _five_fiscal_years_of_spending_by_source(demo)
    _surveys_of_levels_one_and_three_with_anonymous_answers(demo)
    _loading_again_adds_nothing()


def _each_program_has_participants_sessions_and_attendance() -> None:
    for story in (MATH_TALK, WRITING, SCIENCE_PLC):
        program = _program(story)
        counts = participant_counts(program)
        assert counts["enrolled"] >= 4, story.name
        assert program.sessions.count() >= 3, story.name
        assert Attendance.objects.filter(session__program=program, present=True).exists()
        assert program.elements.exists(), f"{story.name} is aligned to no standard"
    math_talk = participant_counts(_program(MATH_TALK))
    assert math_talk["completed"] >= 3 and math_talk["withdrawn"] == 1


def _five_fiscal_years_of_spending_by_source(demo: District) -> None:
    this_year = fiscal_year_of(timezone.localdate())
    years = list(range(this_year - 4, this_year + 1))
    by_source = totals(demo.pk, years, by="source")
    sources = {source for (_, source) in by_source}
    assert {"title_ii_a", "title_i", "state", "district", "grant"} <= sources
    for year in years:
        assert sum(v for (y, _), v in by_source.items() if y == year) > 0, year
    assert SpendingEntry.objects.filter(program=_program(MATH_TALK)).exists()


def _surveys_of_levels_one_and_three_with_anonymous_answers(demo: District) -> None:
    # The network survey (uptake.demo.networks) names whom people go to: identified by
    # design, read only by coordinators and researchers; every other survey is anonymous.
    surveys = Survey.objects.filter(district=demo).exclude(purpose=Survey.Purpose.NETWORK)
    purposes = set(surveys.values_list("purpose", flat=True))
    assert {"needs_assessment", "reactions", "organisation"} <= purposes
    for survey in surveys:
        assert survey.anonymous
    for survey in surveys.filter(closes_at__lt=timezone.now()):
        assert survey.responses.count() >= 10, survey.title  # not below MIN_GROUP_SIZE
    assert surveys.filter(closes_at__gt=timezone.now()).exists()  # one to answer now
    assert not Response.objects.filter(survey__in=surveys, person__isnull=False).exists()


def _loading_again_adds_nothing() -> None:
    def count() -> tuple[int, ...]:
        return (Program.objects.count(), SpendingEntry.objects.count(),
                Survey.objects.count(), Response.objects.count(),
                Attendance.objects.count())

    before = count()
    call_command("demo", stdout=StringIO())
    assert count() == before
