"""A teacher starts a multi-year plan and adds SMART goals aligned to her district's
frameworks; bad input is refused with a message on the field, and nothing is saved."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditAction, AuditEvent
from uptake.learning import actions
from uptake.learning.models import FrameworkElement, Goal, LearningPlan

from .conftest import element, this_year

pytestmark = pytest.mark.django_db


def _goal_post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "statement": "Students explain their reasoning in writing.",
        "measure": "80% of exit tickets include a reason.",
        "steps": "Sentence frames; weekly exit tickets; team data look.",
        "relevance": "Writing reasons shows understanding.",
        "target_date": f"{this_year() + 1}-04-30", "status": "in_progress",
    }
    data.update(overrides)
    return data


def test_it_creates_a_plan_and_shows_its_summary(login: Any, world: Any) -> None:
    client = login(world.people["teacher"])
    assert client.get(reverse("learning:plan_new")).status_code == 200
    response = client.post(reverse("learning:plan_new"), {
        "title": "", "start_year": this_year(), "end_year": this_year() + 2,
        "focus": "Math talk"})
    plan = LearningPlan.objects.get(owner=world.people["teacher"])
    assert response.status_code == 302 and response["Location"].endswith(f"/{plan.pk}/")
    assert plan.title.startswith("Learning plan ") and plan.end_year == this_year() + 2
    summary = client.get(reverse("learning:plan", args=[plan.pk])).content.decode()
    assert plan.years_label in summary and "No goals yet" in summary


def test_it_refuses_a_plan_that_ends_before_it_starts(login: Any, world: Any) -> None:
    client = login(world.people["teacher"])
    response = client.post(reverse("learning:plan_new"), {
        "start_year": this_year() + 1, "end_year": this_year()})
    page = response.content.decode()
    assert response.status_code == 400
    assert "before it starts" in page and 'href="#id_end_year"' in page
    assert not LearningPlan.objects.exists()
    with pytest.raises(actions.LearningRuleError):
        actions.do_create_plan(owner=world.people["teacher"], title="x",
                               start_year=2027, end_year=2026)


def test_it_refuses_a_plan_longer_than_five_years(login: Any, world: Any) -> None:
    client = login(world.people["teacher"])
    response = client.post(reverse("learning:plan_new"), {
        "start_year": this_year() - 1, "end_year": this_year() + 5})
    assert response.status_code == 400 and "at most 5 school years" in response.content.decode()


@pytest.mark.parametrize("persona", ["leader", "coordinator", "assessor", "researcher"])
def test_it_keeps_plan_keeping_for_teachers_and_coaches(login: Any, world: Any,
                                                        persona: str) -> None:
    assert login(world.people[persona]).get(reverse("learning:plan_new")).status_code == 404


def test_it_lets_a_coach_keep_her_own_plan(login: Any, world: Any) -> None:
    client = login(world.people["coach"])
    response = client.post(reverse("learning:plan_new"), {
        "title": "Coaching cycles", "start_year": this_year(), "end_year": this_year()})
    assert response.status_code == 302
    assert LearningPlan.objects.filter(owner=world.people["coach"]).exists()


def test_it_edits_a_plan_but_not_past_its_goals_target_dates(login: Any, world: Any,
                                                             plan: Any) -> None:
    client = login(world.people["teacher"])
    response = client.post(reverse("learning:plan_edit", args=[plan.pk]), {
        "title": "Math talk", "start_year": this_year(), "end_year": this_year(),
        "focus": ""})
    assert response.status_code == 400
    assert "target date outside" in response.content.decode()
    response = client.post(reverse("learning:plan_edit", args=[plan.pk]), {
        "title": "Math talk and writing", "start_year": this_year(),
        "end_year": this_year() + 1, "focus": "New focus"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Math talk and writing" and plan.end_year == this_year() + 1


def test_it_adds_a_smart_goal_aligned_to_a_standard_and_a_practice(login: Any, world: Any,
                                                                   plan: Any) -> None:
    client = login(world.people["teacher"])
    page = client.get(reverse("learning:goal_new", args=[plan.pk])).content.decode()
    assert "<legend>Aligned to</legend>" in page
    assert "<legend>Standards for Professional Learning</legend>" in page
    data, practice = element(world.district, "DA"), element(world.district, "3.4")
    response = client.post(reverse("learning:goal_new", args=[plan.pk]),
                           _goal_post(elements=[data.pk, practice.pk]))
    assert response.status_code == 302
    goal = plan.goals.get(statement__startswith="Students explain their reasoning")
    assert set(goal.elements.all()) == {data, practice}
    assert goal.status == Goal.Status.IN_PROGRESS


def test_it_rejects_a_goal_aligned_to_another_districts_framework(login: Any, world: Any,
                                                                  plan: Any) -> None:
    foreign = FrameworkElement.objects.get(framework__district=world.other_district,
                                           code="DA")
    client = login(world.people["teacher"])
    response = client.post(reverse("learning:goal_new", args=[plan.pk]),
                           _goal_post(elements=[foreign.pk]))
    page = response.content.decode()
    assert response.status_code == 400 and 'href="#id_elements_0"' in page
    assert plan.goals.count() == 1
    with pytest.raises(actions.LearningRuleError, match="your own district"):
        actions.do_add_goal(plan, actor=world.people["teacher"], fields=actions.GoalFields(
            statement="s", measure="m", steps="st", relevance="r",
            target_date=date(this_year() + 1, 1, 1), elements=(foreign,)))
    assert plan.goals.count() == 1


def test_it_rejects_a_retired_element_for_new_goals_but_keeps_it_on_old_ones(
        world: Any, plan: Any) -> None:
    jamie, data = world.people["teacher"], element(world.district, "DA")
    actions.do_remove_element(data, actor=world.people["coordinator"])
    data.refresh_from_db()
    with pytest.raises(actions.LearningRuleError, match="retired"):
        actions.do_add_goal(plan, actor=jamie, fields=actions.GoalFields(
            statement="s", measure="m", steps="st", relevance="r",
            target_date=date(this_year() + 1, 1, 1), elements=(data,)))
    goal = plan.goals.get()
    actions.do_update_goal(goal, actor=jamie, fields=actions.GoalFields(
        statement="Edited", measure=goal.measure, steps=goal.steps, relevance=goal.relevance,
        target_date=goal.target_date, status=Goal.Status.MET, elements=(data,)))
    goal.refresh_from_db()
    assert goal.statement == "Edited" and list(goal.elements.all()) == [data]


def test_it_refuses_a_target_date_outside_the_plan(login: Any, world: Any, plan: Any) -> None:
    client = login(world.people["teacher"])
    response = client.post(reverse("learning:goal_new", args=[plan.pk]),
                           _goal_post(target_date=f"{this_year() + 5}-01-01"))
    assert response.status_code == 400
    assert "within the plan" in response.content.decode()


def test_it_names_every_missing_smart_part(login: Any, world: Any, plan: Any) -> None:
    client = login(world.people["teacher"])
    response = client.post(reverse("learning:goal_new", args=[plan.pk]), {"status": "met"})
    page = response.content.decode()
    for field in ("statement", "measure", "steps", "relevance", "target_date"):
        assert f'href="#id_{field}"' in page


def test_it_edits_a_goal(login: Any, world: Any, plan: Any) -> None:
    goal = plan.goals.get()
    client = login(world.people["teacher"])
    assert client.get(reverse("learning:goal_edit", args=[goal.pk])).status_code == 200
    response = client.post(reverse("learning:goal_edit", args=[goal.pk]),
                           _goal_post(status="met"))
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == Goal.Status.MET and goal.elements.count() == 0


def test_it_deletes_a_goal_and_audits_it(login: Any, world: Any, plan: Any) -> None:
    goal = plan.goals.get()
    client = login(world.people["teacher"])
    assert client.post(reverse("learning:goal_delete", args=[goal.pk])).status_code == 302
    assert not plan.goals.exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETION, object_id=str(goal.pk))
    assert event.actor == world.people["teacher"] and event.details["what"] == "learning_goal"


def test_it_refuses_goal_changes_by_anyone_but_the_owner(world: Any, plan: Any) -> None:
    with pytest.raises(actions.LearningRuleError):
        actions.do_add_goal(plan, actor=world.people["colleague"], fields=actions.GoalFields(
            statement="s", measure="m", steps="st", relevance="r",
            target_date=date(this_year() + 1, 1, 1)))
