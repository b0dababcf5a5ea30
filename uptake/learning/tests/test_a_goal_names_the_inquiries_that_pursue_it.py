"""A teacher links a goal of her own learning plan to the inquiries that pursue it (hers or
her team's); the inquiry's page then names the goal and the standards it aligns to. Nobody
links someone else's goal, nor a goal to an inquiry she may not edit; a member who leaves
the team drops off the team inquiry's page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from uptake.inquiry.actions import (
    do_create_inquiry,
    do_remove_team_member,
    do_share_inquiry,
)
from uptake.learning import actions
from uptake.learning.tests.conftest import goal_fields

pytestmark = pytest.mark.django_db


def _form(goal: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "statement": goal.statement, "measure": goal.measure, "steps": goal.steps,
        "relevance": goal.relevance, "target_date": goal.target_date.isoformat(),
        "status": goal.status, "elements": [e.pk for e in goal.elements.all()]}
    data.update(overrides)
    return data


def test_it_links_a_goal_to_her_own_and_her_team_s_inquiries(
        login: Any, world: Any, plan: Any, team_inquiry: Any) -> None:
    jamie = world.people["teacher"]
    own = do_create_inquiry(jamie, title="Talk moves in Grade 3")
    goal = plan.goals.get()
    client = login(jamie)
    form = client.get(reverse("learning:goal_edit", args=[goal.pk])).content.decode()
    assert "Inquiries that pursue it" in form and "Common exit tickets (Grade 3 team)" in form
    response = client.post(reverse("learning:goal_edit", args=[goal.pk]),
                           _form(goal, inquiries=[own.pk, team_inquiry.pk]))
    assert response.status_code == 302
    assert set(goal.inquiries.all()) == {own, team_inquiry}
    page = client.get(reverse("inquiry:detail", args=[own.pk])).content.decode()
    section = page.split('id="plan-goals-h"', 1)[1].split("</section>", 1)[0]
    assert "More students explain their thinking" in section
    assert "DA " in section  # the standard the goal aligns to
    plan_page = client.get(reverse("learning:plan", args=[plan.pk])).content.decode()
    assert reverse("inquiry:detail", args=[own.pk]) in plan_page


def test_it_refuses_an_inquiry_she_may_not_edit(login: Any, world: Any, plan: Any) -> None:
    miguel = world.people["outsider"]
    theirs = do_create_inquiry(miguel, title="Ratios in Grade 7")
    goal = plan.goals.get()
    response = login(world.people["teacher"]).post(
        reverse("learning:goal_edit", args=[goal.pk]), _form(goal, inquiries=[theirs.pk]))
    assert response.status_code == 400
    assert not goal.inquiries.exists()
    with pytest.raises(actions.LearningRuleError, match="your own or your team's"):
        actions.do_update_goal(goal, actor=world.people["teacher"],
                               fields=goal_fields(inquiries=(theirs,)))


def test_it_lets_nobody_link_someone_else_s_goal(login: Any, world: Any, plan: Any,
                                                 team_inquiry: Any) -> None:
    goal = plan.goals.get()
    asha = world.people["colleague"]
    response = login(asha).post(reverse("learning:goal_edit", args=[goal.pk]),
                                _form(goal, inquiries=[team_inquiry.pk]))
    assert response.status_code == 404
    assert not goal.inquiries.exists()
    with pytest.raises(actions.LearningRuleError):
        actions.do_update_goal(goal, actor=asha, fields=goal_fields(inquiries=(team_inquiry,)))


def test_it_shows_the_goal_s_words_only_to_readers_of_its_plan(
        login: Any, world: Any, plan: Any, team_inquiry: Any) -> None:
    jamie = world.people["teacher"]
    goal = plan.goals.get()
    actions.do_update_goal(goal, actor=jamie, fields=goal_fields(
        elements=tuple(goal.elements.all()), inquiries=(team_inquiry,)))
    page = login(world.people["colleague"]).get(
        reverse("inquiry:detail", args=[team_inquiry.pk])).content.decode()
    section = page.split('id="plan-goals-h"', 1)[1].split("</section>", 1)[0]
    assert "A goal of Jamie Nguyen's learning plan" in section
    assert "More students explain their thinking" not in section
    assert "DA " in section


def test_a_member_who_leaves_the_team_drops_off_its_inquiry(
        login: Any, world: Any, plan: Any, team_inquiry: Any) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    goal = plan.goals.get()
    actions.do_update_goal(goal, actor=jamie, fields=goal_fields(
        elements=tuple(goal.elements.all()), inquiries=(team_inquiry,)))
    do_remove_team_member(asha, team_inquiry.team, jamie)
    page = login(asha).get(reverse("inquiry:detail", args=[team_inquiry.pk])).content.decode()
    section = page.split('id="plan-goals-h"', 1)[1].split("</section>", 1)[0]
    assert "Jamie" not in section and "DA " not in section
    # Her plan keeps the link (it returns if she rejoins) but no longer lists the inquiry.
    assert set(goal.inquiries.all()) == {team_inquiry}
    plan_page = login(jamie).get(reverse("learning:plan", args=[plan.pk])).content.decode()
    assert "Common exit tickets" not in plan_page


def test_a_coach_whose_share_lapsed_no_longer_reads_it(login: Any, world: Any,
                                                       plan: Any) -> None:
    jamie, coach = world.people["teacher"], world.people["coach"]
    own = do_create_inquiry(jamie, title="Talk moves in Grade 3")
    goal = plan.goals.get()
    actions.do_update_goal(goal, actor=jamie, fields=goal_fields(
        elements=tuple(goal.elements.all()), inquiries=(own,)))
    do_share_inquiry(jamie, own, coach, share=True)
    actions.do_share_plan(plan, actor=jamie, reviewer=coach)
    client = login(coach)
    page = client.get(reverse("inquiry:detail", args=[own.pk])).content.decode()
    assert "More students explain their thinking" in page
    coach.roles.update(school=world.birch)  # she moves to another school
    assert client.get(reverse("inquiry:detail", args=[own.pk])).status_code == 404


def test_the_goal_form_shows_the_inquiries_already_linked(login: Any, world: Any,
                                                          plan: Any) -> None:
    jamie = world.people["teacher"]
    own = do_create_inquiry(jamie, title="Talk moves in Grade 3")
    goal = plan.goals.get()
    actions.do_update_goal(goal, actor=jamie, fields=goal_fields(inquiries=(own,)))
    form = login(jamie).get(reverse("learning:goal_edit", args=[goal.pk])).content.decode()
    box = re.search(rf'<input[^>]*name="inquiries"[^>]*value="{own.pk}"[^>]*>', form)
    assert box is not None and "checked" in box.group(0)
