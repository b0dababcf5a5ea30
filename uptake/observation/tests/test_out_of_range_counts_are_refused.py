"""A submitted observation's numbers beyond what a lesson holds (2**63 students present, a
count of 40,000) are refused with the reason, never a server error, and nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.inquiry.models import ClassTotal, Occasion
from uptake.observation.tests.conftest import Setup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("present", "count"), [
    (str(2**63), str(2**63)),
    (str(2**31), "3"),
    ("40000", "40000"),  # more than a tally's small-integer column takes in one step
    ("9" * 5000, "3"),
])
def test_it_refuses_more_students_present_than_a_lesson_holds(
        world: Any, setup: Setup, login: Any, present: str, count: str) -> None:
    response = login(world.people["colleague"]).post(
        reverse("observation:submit", args=[setup.obs.pk]),
        {"present": present, f"prompt-{setup.obs.prompt_id}": count})
    assert response.status_code == 400
    assert "students were present" in response.content.decode()
    assert not Occasion.objects.exists() and not ClassTotal.objects.exists()
    assert setup.obs.tally_events.count() == 0
