"""An id no column can hold (2**63 and beyond), posted in a multiple choice, is an invalid
choice like any other: a form error, never a server error (SQLite's driver used to raise
OverflowError while binding it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.inquiry.models import Team

HUGE = [str(2**63), str(2**70), str(-(2**70))]


def test_it_finds_nothing_for_ids_out_of_range_and_still_finds_the_rest(world: Any) -> None:
    from uptake.accounts.models import User

    teacher = world.people["teacher"]
    found = User.objects.filter(pk__in=[2**63, teacher.pk, -(2**70)])
    assert list(found) == [teacher]
    assert not User.objects.filter(pk__in=[2**63]).exists()


@pytest.mark.parametrize("forged", HUGE)
def test_it_refuses_a_forged_member_id_when_creating_a_team(world: Any, login: Any,
                                                           forged: str) -> None:
    r = login(world.people["teacher"]).post(
        reverse("inquiry:teams"), {"name": "Grade 3 PLC", "kind": "plc", "members": [forged]})
    assert r.status_code in (200, 400) and "Select a valid choice" in r.content.decode()
    assert not Team.objects.exists()


def test_it_refuses_forged_ids_in_a_learning_source(world: Any, login: Any) -> None:
    from uptake.learning.models import LearningSource

    r = login(world.people["teacher"]).post(
        reverse("learning:source_new"),
        {"kind": "book", "title": "Visible Learning", "learned_on": "2026-09-01",
         "hours": "1", "inquiries": HUGE, "elements": HUGE})
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()
    assert not LearningSource.objects.exists()
