"""A class whose teacher assignment has ended leaves her home page as it leaves her reach:
the class page already answers 404 (access is who a person is now), so the home must not
keep offering a link to it, nor count its students."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from uptake.roster.models import TeacherAssignment


def test_a_class_whose_assignment_ended_is_not_on_her_home(world: Any, login: Any) -> None:
    section, teacher = world.section, world.people["teacher"]
    client = login(teacher)
    assert section.title in client.get("/").content.decode()

    TeacherAssignment.objects.filter(section=section, teacher=teacher).update(
        end_date=timezone.localdate() - timedelta(days=1))
    home = client.get("/").content.decode()
    assert reverse("roster:class", args=[section.pk]) not in home
    assert client.get(reverse("roster:class", args=[section.pk])).status_code == 404


def test_a_class_whose_assignment_ends_today_is_still_hers(world: Any, login: Any) -> None:
    section, teacher = world.section, world.people["teacher"]
    TeacherAssignment.objects.filter(section=section, teacher=teacher).update(
        end_date=timezone.localdate())
    home = login(teacher).get("/").content.decode()
    assert reverse("roster:class", args=[section.pk]) in home
