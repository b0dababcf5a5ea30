"""A plan shared with a coach who has since moved school: she no longer reads it, the
owner's sharing table says the share has lapsed and why, the owner can still withdraw it
(the row stays as history), and the coach reads it again if she comes back."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.accounts.models import Grant, Role, RoleAssignment, User
from uptake.learning import actions

pytestmark = pytest.mark.django_db


def _move_coach(world: Any, school: Any) -> User:
    RoleAssignment.objects.filter(user=world.people["coach"], role=Role.COACH) \
        .update(school=school)
    return User.objects.get(pk=world.people["coach"].pk)


def test_it_marks_a_share_lapsed_when_the_reviewer_moves_school(
        login: Any, world: Any, plan: Any) -> None:
    actions.do_share_plan(plan, actor=world.people["teacher"], reviewer=world.people["coach"])
    url = reverse("learning:plan", args=[plan.pk])
    owner_page = login(world.people["teacher"]).get(url).content.decode()
    assert "<td>Yes</td>" in owner_page

    coach = _move_coach(world, world.birch)
    assert login(coach).get(url).status_code == 404
    assert "Math talk" not in login(coach).get(reverse("learning:home")).content.decode()
    owner_page = login(world.people["teacher"]).get(url).content.decode()
    assert "No, lapsed: no longer sees it" in owner_page

    assert login(_move_coach(world, world.cedar)).get(url).status_code == 200


def test_the_owner_withdraws_a_lapsed_share_and_the_row_stays(
        login: Any, world: Any, plan: Any) -> None:
    actions.do_share_plan(plan, actor=world.people["teacher"], reviewer=world.people["coach"])
    coach = _move_coach(world, world.birch)
    login(world.people["teacher"]).post(
        reverse("learning:plan_unshare", args=[plan.pk, coach.pk]))
    grant = Grant.objects.get()
    assert grant.withdrawn_at is not None and grant.withdrawn_by == world.people["teacher"]
    assert login(_move_coach(world, world.cedar)).get(
        reverse("learning:plan", args=[plan.pk])).status_code == 404
