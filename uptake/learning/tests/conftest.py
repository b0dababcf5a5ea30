"""Helpers shared by the learning tests: a plan for Jamie (the ``teacher`` persona)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from uptake.learning import actions
from uptake.learning.models import FrameworkElement, LearningPlan, school_year_of


def element(district: Any, code: str) -> FrameworkElement:
    """An element of the district's seeded frameworks, by code (e.g. "DA" or "3.2")."""
    return FrameworkElement.objects.get(framework__district=district, code=code)


def this_year() -> int:
    from django.utils import timezone

    return school_year_of(timezone.localdate())


def goal_fields(**overrides: Any) -> actions.GoalFields:
    values: dict[str, Any] = {
        "statement": "More students explain their thinking in math discussions.",
        "measure": "Two thirds of students explain their thinking in observed lessons.",
        "steps": "Learn three talk moves; invite a peer observer monthly.",
        "relevance": "Explaining builds understanding and shows me what they know.",
        "target_date": date(this_year() + 2, 5, 31),  # in the plan's second school year
    }
    values.update(overrides)
    return actions.GoalFields(**values)


@pytest.fixture
def plan(world: Any) -> LearningPlan:
    """Jamie's plan with one goal aligned to the Data standard."""
    jamie = world.people["teacher"]
    made = actions.do_create_plan(owner=jamie, title="Math talk", start_year=this_year(),
                                  end_year=this_year() + 2, focus="Private focus words")
    actions.do_add_goal(made, actor=jamie, fields=goal_fields(
        elements=(element(world.district, "DA"),)))
    return made


@pytest.fixture
def team_inquiry(world: Any) -> Any:
    """Asha's inquiry for the Grade 3 team, which Jamie belongs to."""
    from uptake.inquiry.actions import do_create_inquiry, do_create_team

    asha, jamie = world.people["colleague"], world.people["teacher"]
    team = do_create_team(asha, name="Grade 3 team", kind="grade_level", school=world.cedar,
                          members=[jamie])
    return do_create_inquiry(asha, team=team, title="Common exit tickets")


def _person_at(world: Any, email: str, role: str, school: Any) -> Any:
    """Someone extra in the world's district holding ``role`` at ``school``."""
    from uptake.accounts.models import RoleAssignment, User

    person = User.objects.create_user(email=email, password="x-pass-1234567",
                                      first_name=email.split("@")[0].title(),
                                      last_name="Extra", district=world.district)
    RoleAssignment.objects.create(user=person, district=world.district, school=school,
                                  role=role)
    return person
