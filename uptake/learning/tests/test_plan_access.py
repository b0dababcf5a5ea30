"""A plan is private to its owner until she shares it with a reviewer; a coordinator sees
that it exists and how it is going, never its words; nobody crosses districts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from uptake.accounts.grants import live_grant
from uptake.accounts.models import Role, RoleAssignment
from uptake.learning import actions

from .conftest import _person_at

pytestmark = pytest.mark.django_db


def _plan_urls(plan: Any) -> list[str]:
    goal = plan.goals.get()
    return [reverse("learning:plan", args=[plan.pk]),
            reverse("learning:plan_edit", args=[plan.pk]),
            reverse("learning:goal_new", args=[plan.pk]),
            reverse("learning:goal_edit", args=[goal.pk]),
            reverse("learning:review_new", args=[plan.pk])]


def test_it_shows_the_owner_her_whole_plan(login: Any, world: Any, plan: Any) -> None:
    client = login(world.people["teacher"])
    for url in _plan_urls(plan):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("learning:plan", args=[plan.pk])).content.decode()
    assert "More students explain their thinking" in page and "Private focus words" in page
    assert "Data" in page  # the standard the goal aligns to


@pytest.mark.parametrize("persona", ["colleague", "outsider", "coach", "leader", "assessor",
                                     "researcher", "coordinator", "other_coordinator"])
def test_it_hides_an_unshared_plan_from_everyone_else(login: Any, world: Any, plan: Any,
                                                      persona: str) -> None:
    client = login(world.people[persona])
    for url in _plan_urls(plan):
        assert client.get(url).status_code == 404, (persona, url)


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, world: Any, plan: Any) -> None:
    for url in [*_plan_urls(plan), reverse("learning:home"), reverse("learning:sources"),
                reverse("learning:district")]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_lets_a_coach_read_a_plan_shared_with_her_but_not_change_it(
        login: Any, world: Any, plan: Any) -> None:
    actions.do_share_plan(plan, actor=world.people["teacher"], reviewer=world.people["coach"])
    client = login(world.people["coach"])
    page = client.get(reverse("learning:plan", args=[plan.pk]))
    assert page.status_code == 200 and "Private focus words" in page.content.decode()
    assert "Stop sharing" not in page.content.decode()
    assert client.get(reverse("learning:review_new", args=[plan.pk])).status_code == 200
    for url in _plan_urls(plan)[1:4]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("learning:goal_delete", args=[plan.goals.get().pk])
                       ).status_code == 404
    assert plan.goals.exists()
    home = client.get(reverse("learning:home")).content.decode()
    assert "Jamie Nguyen: Math talk" in home


def test_it_hides_the_plan_again_when_the_owner_stops_sharing(login: Any, world: Any,
                                                              plan: Any) -> None:
    coach = world.people["coach"]
    actions.do_share_plan(plan, actor=world.people["teacher"], reviewer=coach)
    client = login(world.people["teacher"])
    response = client.post(reverse("learning:plan_unshare", args=[plan.pk, coach.pk]))
    assert response.status_code == 302
    client = login(coach)
    assert client.get(reverse("learning:plan", args=[plan.pk])).status_code == 404


def test_it_hides_a_shared_plan_from_a_reviewer_who_no_longer_works_at_the_school(
        login: Any, world: Any, plan: Any) -> None:
    coach = world.people["coach"]
    actions.do_share_plan(plan, actor=world.people["teacher"], reviewer=coach)
    RoleAssignment.objects.filter(user=coach).update(school=world.birch)
    client = login(coach)
    assert client.get(reverse("learning:plan", args=[plan.pk])).status_code == 404
    assert "Math talk" not in client.get(reverse("learning:home")).content.decode()


def test_it_refuses_to_share_with_a_colleague_or_another_schools_leader(
        login: Any, world: Any, plan: Any) -> None:
    birch_leader = _person_at(world, "bo@maple.test", Role.SCHOOL_LEADER, world.birch)
    client = login(world.people["teacher"])
    for person in (world.people["colleague"], birch_leader, world.people["other_coordinator"]):
        response = client.post(reverse("learning:plan_share", args=[plan.pk]),
                               {"reviewer": person.pk}, follow=True)
        assert "Choose a coach, leader or coordinator" in response.content.decode()
        assert live_grant(plan, person) is None
    client = login(birch_leader)
    assert client.get(reverse("learning:plan", args=[plan.pk])).status_code == 404


def test_it_offers_the_schools_coach_and_leader_and_the_coordinators_to_share_with(
        login: Any, world: Any, plan: Any) -> None:
    from uptake.learning.access import eligible_reviewers

    _person_at(world, "bo@maple.test", Role.SCHOOL_LEADER, world.birch)
    names = {p.email for p in eligible_reviewers(world.people["teacher"])}
    assert names == {"cora@maple.test", "lee@maple.test", "renata@maple.test"}


def test_it_shows_a_coordinator_progress_but_not_the_plans_words(login: Any, world: Any,
                                                                  plan: Any) -> None:
    actions.do_add_source(owner=world.people["teacher"], fields=actions.SourceFields(
        kind="book", title="Secret book title", learned_on=plan_day(),
        reflection="My private reflection", hours=Decimal("3.5"),
        goals=(plan.goals.get(),)))
    client = login(world.people["coordinator"])
    response = client.get(reverse("learning:district"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Jamie Nguyen" in page and plan.years_label in page and "3.5" in page
    for private in ("More students explain", "Private focus words", "My private reflection",
                    "Secret book title"):
        assert private not in page
    assert client.get(reverse("learning:plan", args=[plan.pk])).status_code == 404


def test_it_shows_another_districts_coordinator_none_of_our_plans(login: Any, world: Any,
                                                                   plan: Any) -> None:
    client = login(world.people["other_coordinator"])
    page = client.get(reverse("learning:district")).content.decode()
    assert "Jamie Nguyen" not in page


@pytest.mark.parametrize("persona", ["teacher", "coach", "leader", "assessor", "researcher"])
def test_it_keeps_the_district_overview_for_coordinators(login: Any, world: Any,
                                                         persona: str) -> None:
    assert login(world.people[persona]).get(reverse("learning:district")).status_code == 404


def test_it_gives_a_missing_plan_the_same_404(login: Any, world: Any) -> None:
    client = login(world.people["teacher"])
    assert client.get(reverse("learning:plan", args=[999999])).status_code == 404


def plan_day() -> Any:
    from django.utils import timezone

    return timezone.localdate()
