"""Results: response rate in words, small numbers withheld, complementary suppression of
breakdowns, roster answers for coordinators and researchers only, and the district's
reads for Guskey's levels 1 and 3."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from uptake.surveys import actions, queries
from uptake.surveys.tests import fixtures
from uptake.surveys.tests.fixtures import answers

pytestmark = pytest.mark.django_db


def test_the_response_rate_in_words() -> None:
    assert queries.rate_text(18, 24) == "18 of 24 invited, 75 %"
    assert queries.rate_text(0, 0) == "Nobody has been invited yet."


def _survey_with(world: Any, cedar: int, birch: int, points: tuple[int, int] = (4, 2)
                 ) -> Any:
    survey = fixtures.survey(world, invite=False, publish=False)
    at_cedar = fixtures.teachers(world, cedar, prefix="c")
    at_birch = fixtures.teachers(world, birch, school=world.birch, prefix="b")
    actions.do_invite(survey, world.people["coordinator"], people=at_cedar + at_birch)
    actions.do_publish(survey, world.people["coordinator"])
    for person in at_cedar:
        actions.do_respond(survey, person, answers(survey, point=points[0],
                                                   named=world.people["coach"]))
    for person in at_birch:
        actions.do_respond(survey, person, answers(survey, point=points[1]))
    return survey


@override_settings(MIN_GROUP_SIZE=5)
def test_a_question_below_the_minimum_is_withheld(world: Any) -> None:
    survey = _survey_with(world, 4, 0)
    found = queries.survey_results(survey, world.people["coordinator"])
    assert found.responded == 4 and found.invited == 4
    assert all(r.suppressed and r.mean is None and not r.counts for r in found.questions)


@override_settings(MIN_GROUP_SIZE=5)
def test_a_small_school_hides_the_other_school_too(world: Any) -> None:
    survey = _survey_with(world, 8, 2)
    likert = queries.survey_results(survey, world.people["coordinator"]).questions[0]
    assert likert.n == 10 and likert.mean == pytest.approx((8 * 4 + 2 * 2) / 10)
    assert likert.counts[3] == ("Agree", 8) and likert.counts[1] == ("Disagree", 2)
    # Birch (2) is below 5; Cedar's mean beside the overall one would give Birch's away.
    assert [(g.label, g.n, g.mean) for g in likert.by_school] == [
        ("Birch Middle", None, None), ("Cedar Elementary", None, None)]


@override_settings(MIN_GROUP_SIZE=5)
def test_groups_big_enough_are_shown(world: Any) -> None:
    survey = _survey_with(world, 6, 5)
    likert = queries.survey_results(survey, world.people["coordinator"]).questions[0]
    assert [(g.label, g.n, g.mean) for g in likert.by_school] == [
        ("Birch Middle", 5, 2.0), ("Cedar Elementary", 6, 4.0)]


@override_settings(MIN_GROUP_SIZE=5)
def test_roster_answers_are_for_coordinators_and_researchers(world: Any, login: Any) -> None:
    survey = _survey_with(world, 6, 0)
    for persona in ("coordinator", "researcher"):
        roster = queries.survey_results(survey, world.people[persona]).questions[-1]
        assert not roster.roster_hidden and roster.nominations == [
            {"person": "Cora Coach", "count": 6,
             "by_frequency": {"Yearly": 0, "Monthly": 0, "Weekly": 6, "Daily": 0}}]
    page = login(world.people["coordinator"]).get(reverse("surveys:results", args=[survey.pk]))
    assert page.status_code == 200 and "Cora Coach" in page.content.decode()
    # A school leader who runs a survey does not read network data.
    leader_survey = fixtures.survey(world, author="leader", title="Cedar survey",
                                    invite=False)
    roster = queries.survey_results(leader_survey, world.people["leader"]).questions[-1]
    assert roster.roster_hidden and roster.nominations == []
    page = login(world.people["leader"]).get(reverse("surveys:results",
                                                     args=[leader_survey.pk]))
    assert "only the district" in page.content.decode()


@override_settings(MIN_GROUP_SIZE=5)
def test_program_level_results_for_the_district_view(world: Any) -> None:
    program = fixtures.program(world)
    small = _survey_with(world, 3, 0)
    big = fixtures.survey(world, invite=False, publish=False, title="Second session")
    people = fixtures.teachers(world, 5, prefix="s")
    actions.do_invite(big, world.people["coordinator"], people=people)
    actions.do_publish(big, world.people["coordinator"])
    for k, person in enumerate(people):
        actions.do_respond(big, person, answers(big, point=3 + k % 3))
    found = queries.program_level_results(program, "reactions")
    assert [(r.title, r.responded, r.invited, r.responses) for r in found] == [
        (small.title, 3, 3, 3), ("Second session", 5, 5, 5)]
    assert found[0].questions[0].mean is None and found[0].questions[0].n is None
    assert found[1].questions[0].mean == pytest.approx((3 + 4 + 5 + 3 + 4) / 5)
    assert found[1].questions[0].n == 5 and found[1].rate == 1.0
    assert found[1].rate_text == "5 of 5 invited, 100 %"
    assert queries.program_level_results(program, "organisation") == []
    assert queries.response_rate(big) == (5, 5)
