"""A coach's and a school leader's start page lists what is theirs to look at: inquiries,
learning plans and evidence shared with them, and for a leader how many inquiries are in
progress at her school by team. Each drops off when her access lapses."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.evidence import actions as evidence
from uptake.inquiry.actions import do_create_inquiry, do_create_team
from uptake.learning import actions as learning
from uptake.learning.tests.conftest import this_year

pytestmark = pytest.mark.django_db


def _home(login: Any, person: Any) -> str:
    return login(person).get(reverse("home")).content.decode()


def test_a_coach_finds_plans_and_evidence_shared_with_her(login: Any, world: Any) -> None:
    jamie, coach = world.people["teacher"], world.people["coach"]
    plan = learning.do_create_plan(owner=jamie, title="Math talk", start_year=this_year(),
                                   end_year=this_year() + 1)
    learning.do_share_plan(plan, actor=jamie, reviewer=coach)
    piece = evidence.do_add_artifact(jamie, kind="text", title="Anchor chart photo notes",
                                     guskey_level=2, identifies_students=False, body="b")
    evidence.do_share_artifact(piece, actor=jamie)
    html = _home(login, coach)
    assert reverse("learning:review_new", args=[plan.pk]) in html
    assert reverse("evidence:detail", args=[piece.pk]) in html
    coach.roles.update(school=world.birch)  # she moves to another school
    html = _home(login, coach)
    assert reverse("learning:plan", args=[plan.pk]) not in html
    assert reverse("evidence:detail", args=[piece.pk]) not in html


def test_a_leader_sees_inquiries_in_progress_by_team_and_no_results(
        login: Any, world: Any) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    team = do_create_team(jamie, name="Grade 3 PLC", kind="plc", school=world.cedar,
                          members=[asha])
    do_create_inquiry(jamie, team=team, title="Common exit tickets")
    do_create_inquiry(asha, title="Read-alouds")
    do_create_inquiry(world.people["outsider"], title="Ratios at Birch")
    response = login(world.people["leader"]).get(reverse("home"))
    rows = {r["team"]: (r["inquiries"], r["teachers"]) for r in response.context["participation"]}
    # The PLC's one inquiry is both members' (Jamie and Asha); Asha's own is hers alone.
    assert rows == {"Grade 3 PLC": (1, 2), "Teachers on their own": (1, 1)}
    html = response.content.decode()
    assert "Read-alouds" not in html and "Ratios at Birch" not in html


def test_a_leader_who_no_longer_leads_the_school_loses_the_counts(
        login: Any, world: Any) -> None:
    do_create_inquiry(world.people["teacher"], title="Read-alouds")
    lee = world.people["leader"]
    lee.roles.update(school=world.birch)
    response = login(lee).get(reverse("home"))
    assert response.context["participation"] == []
