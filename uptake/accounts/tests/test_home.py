"""Each role's home page shows what exists for that role, and nothing of anyone else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.actions import record
from uptake.audit.models import AuditAction

pytestmark = pytest.mark.django_db


def _home(login: Any, world: Any, persona: str) -> str:
    response = login(world.people[persona]).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_a_teacher_her_own_classes_only(login: Any, world: Any) -> None:
    html = _home(login, world, "teacher")
    assert "Grade 3 ELA - Room 12" in html and "12 students" in html
    assert "Math 7 - Period 2" not in html
    assert "Invite a colleague to observe" in html
    assert "Manage people" not in html


def test_it_shows_a_leader_her_school(login: Any, world: Any) -> None:
    html = _home(login, world, "leader")
    assert "Cedar Elementary" in html and "Birch Middle" not in html


def test_it_shows_a_coordinator_district_figures_and_sign_in_trouble(login: Any,
                                                                     world: Any) -> None:
    record(AuditAction.LOGIN_FAILED, actor_label="jamie@maple.test", district=world.district)
    record(AuditAction.LOGIN_FAILED, actor_label="olive@oak.test",
           district=world.other_district)
    html = _home(login, world, "coordinator")
    assert "Manage people and roles" in html
    assert "1 failed sign-in" in html
    stats = login(world.people["coordinator"]).get(reverse("home")).context["district_stats"]
    assert stats == {"schools": 2, "people": 8, "sections": 2, "students": 12}


@pytest.mark.parametrize(("persona", "heading"), [("researcher", "Researcher"),
                                                  ("assessor", "Assessor")])
def test_it_gives_district_wide_roles_a_short_section(login: Any, world: Any, persona: str,
                                                      heading: str) -> None:
    html = _home(login, world, persona)
    assert f">{heading}</h2>" in html
    assert "Your classes" not in html and "Your district" not in html


def test_it_tells_someone_without_a_role_that_there_is_nothing_yet(client: Any,
                                                                   world: Any) -> None:
    from uptake.accounts.models import User

    sam = User.objects.create_user(email="sam@elsewhere.test", password="x-long-password-1")
    client.force_login(sam, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(reverse("home")).content.decode()
    assert "No role yet" in html
