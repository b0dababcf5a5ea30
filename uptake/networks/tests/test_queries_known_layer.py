"""The known layer: ties Uptake already knows, read live from the other apps (built through
those apps' own actions), each in the direction docs/networks.md gives."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from uptake.inquiry.actions import (
    do_add_team_member,
    do_create_inquiry,
    do_create_team,
    do_share_inquiry,
)
from uptake.learning.actions import do_create_plan, do_log_review
from uptake.library.actions import PracticeFields, do_add_trial, do_create_practice
from uptake.networks.queries import TieRow, known_ties, network
from uptake.observation.actions import do_submit_observation
from uptake.observation.tests.conftest import make_observation

pytestmark = pytest.mark.django_db


def _p(person: Any) -> str:
    return f"p{person.pk}"


def _arcs(rows: list[TieRow], relation: str) -> set[tuple[str, str]]:
    return {(t.source, t.target) for t in rows if t.relation == relation}


def test_it_reads_an_inquiry_shared_with_the_coach_as_the_coach_advising_the_teacher(
        world: Any) -> None:
    teacher, coach = world.people["teacher"], world.people["coach"]
    inquiry = do_create_inquiry(teacher, title="Exit tickets")
    do_share_inquiry(teacher, inquiry, coach, share=True)
    rows = known_ties(world.district.pk)
    assert _arcs(rows, "coaching") == {(_p(coach), _p(teacher))}
    (tie,) = [t for t in rows if t.relation == "coaching"]
    assert tie.layer == "known" and tie.observed_on == timezone.localdate()


def test_it_drops_the_coaching_tie_when_the_teacher_withdraws_her_consent(world: Any) -> None:
    teacher, coach = world.people["teacher"], world.people["coach"]
    inquiry = do_create_inquiry(teacher, title="Exit tickets")
    do_share_inquiry(teacher, inquiry, coach, share=True)
    do_share_inquiry(teacher, inquiry, coach, share=False)
    assert _arcs(known_ties(world.district.pk), "coaching") == set()


def test_it_reads_a_plan_review_as_the_reviewer_advising_the_plans_owner(world: Any) -> None:
    teacher, coach = world.people["teacher"], world.people["coach"]
    plan = do_create_plan(owner=teacher, title="Feedback", start_year=2026, end_year=2027)
    day = timezone.localdate() - timedelta(days=3)
    do_log_review(plan, actor=teacher, reviewer=coach, reviewed_on=day, notes="Talked")
    rows = known_ties(world.district.pk)
    assert _arcs(rows, "plan_review") == {(_p(coach), _p(teacher))}
    assert [t.observed_on for t in rows if t.relation == "plan_review"] == [day]


def test_it_reads_team_members_as_collaborating_both_ways(world: Any) -> None:
    teacher, colleague = world.people["teacher"], world.people["colleague"]
    team = do_create_team(teacher, name="Grade 3 PLC", kind="plc", school=world.cedar,
                          members=[colleague])
    do_add_team_member(colleague, team, world.people["outsider"])
    rows = known_ties(world.district.pk)
    members = [_p(teacher), _p(colleague), _p(world.people["outsider"])]
    assert _arcs(rows, "team") == {(a, b) for a in members for b in members if a != b}
    assert {t.observed_on for t in rows if t.relation == "team"} == {None}


def test_it_reads_a_teams_inquiry_as_shared_between_its_owner_and_each_member(
        world: Any) -> None:
    teacher, colleague = world.people["teacher"], world.people["colleague"]
    team = do_create_team(teacher, name="Grade 3 PLC", kind="plc", school=world.cedar,
                          members=[colleague])
    do_create_inquiry(colleague, title="Number talks", team=team)
    assert _arcs(known_ties(world.district.pk), "shared_inquiry") == {
        (_p(colleague), _p(teacher)), (_p(teacher), _p(colleague))}


def test_it_reads_a_submitted_observation_both_ways_and_an_open_one_not_at_all(
        world: Any) -> None:
    teacher, colleague = world.people["teacher"], world.people["colleague"]
    obs = make_observation(world)
    assert _arcs(known_ties(world.district.pk), "observation") == set()
    do_submit_observation(colleague, obs, tallies={obs.prompt_id: 4}, present=20)
    assert _arcs(known_ties(world.district.pk), "observation") == {
        (_p(teacher), _p(colleague)), (_p(colleague), _p(teacher))}


def test_it_reads_a_practice_tried_as_its_author_teaching_the_trier(world: Any) -> None:
    author, trier = world.people["colleague"], world.people["outsider"]
    practice = do_create_practice(author, PracticeFields(title="Think-pair-share",
                                                         overview="Pairs talk first."),
                                  publish=True)
    inquiry = do_create_inquiry(trier, title="Talk in math")
    do_add_trial(practice, actor=trier, inquiry=inquiry)
    assert _arcs(known_ties(world.district.pk), "practice_tried") == {(_p(author), _p(trier))}


def test_it_counts_repeated_reviews_as_the_weight_and_keeps_the_latest_day(world: Any) -> None:
    teacher, coach = world.people["teacher"], world.people["coach"]
    plan = do_create_plan(owner=teacher, title="Feedback", start_year=2026, end_year=2027)
    today = timezone.localdate()
    for days in (30, 10, 20):
        do_log_review(plan, actor=teacher, reviewer=coach,
                      reviewed_on=today - timedelta(days=days), notes="Talked")
    (tie,) = known_ties(world.district.pk)
    assert (tie.weight, tie.observed_on) == (3, today - timedelta(days=10))


def test_it_keeps_only_what_happened_in_the_period(world: Any) -> None:
    teacher, coach = world.people["teacher"], world.people["coach"]
    plan = do_create_plan(owner=teacher, title="Feedback", start_year=2026, end_year=2027)
    today = timezone.localdate()
    do_log_review(plan, actor=teacher, reviewer=coach, reviewed_on=today - timedelta(days=100),
                  notes="Autumn")
    do_log_review(plan, actor=teacher, reviewer=coach, reviewed_on=today - timedelta(days=5),
                  notes="Now")
    recent = known_ties(world.district.pk, since=today - timedelta(days=30))
    assert [(t.weight, t.observed_on) for t in recent] == [(1, today - timedelta(days=5))]
    earlier = known_ties(world.district.pk, until=today - timedelta(days=30))
    assert [t.observed_on for t in earlier] == [today - timedelta(days=100)]
    # A team formed after the period's end is not in it; one formed before is.
    do_create_team(teacher, name="PLC", kind="plc", school=world.cedar,
                   members=[world.people["colleague"]])
    assert _arcs(known_ties(world.district.pk, until=today - timedelta(days=1)), "team") == set()
    assert len(_arcs(known_ties(world.district.pk, until=date(2999, 1, 1)), "team")) == 2


def test_it_never_reads_another_districts_ties(world: Any) -> None:
    teacher, coach = world.people["teacher"], world.people["coach"]
    inquiry = do_create_inquiry(teacher, title="Exit tickets")
    do_share_inquiry(teacher, inquiry, coach, share=True)
    assert known_ties(world.other_district.pk) == []


def test_the_known_layer_joins_the_network_only_when_asked_for(world: Any) -> None:
    teacher, coach = world.people["teacher"], world.people["coach"]
    inquiry = do_create_inquiry(teacher, title="Exit tickets")
    do_share_inquiry(teacher, inquiry, coach, share=True)
    assert network(world.district.pk).ties == []
    with_known = network(world.district.pk, layers=("known",))
    assert [(t.source, t.relation) for t in with_known.ties] == [(_p(coach), "coaching")]
    assert network(world.district.pk, layers=("known",), relations=["advice"]).ties == []
