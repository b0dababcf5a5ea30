"""Seen 12 of issue 9: adding a team member by e-mail revealed the name and role of anyone
in the district ("Cora Coach is not an active teacher") and whether an address had an
account at all. Every e-mail that cannot be added now gets one answer, naming only what
was typed; one that can be added is confirmed by the typed address."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.inquiry.actions import do_create_team
from uptake.inquiry.forms import not_addable

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world: Any) -> Any:
    return do_create_team(world.people["teacher"], name="Grade 3 PLC", kind="plc",
                          school=world.cedar, members=[])


def _answer(login: Any, world: Any, team: Any, email: str) -> str:
    r = login(world.people["teacher"]).post(
        reverse("inquiry:team_add_member", args=[team.pk]), {"email": email})
    assert r.status_code == 400
    return r.content.decode()


@pytest.mark.parametrize(("email", "who"), [
    ("nobody@maple.test", None),  # no such account
    ("olive@oak.test", "Olive Other"),  # a coordinator of another district
    ("cora@maple.test", "Cora Coach"),  # a coach of the district
    ("lee@maple.test", "Lee Principal"),  # a school leader
    ("renata@maple.test", "Renata Okafor"),  # the coordinator
])
def test_it_gives_one_answer_that_names_no_one(world: Any, login: Any, team: Any, email: str,
                                               who: str | None) -> None:
    page = _answer(login, world, team, email)
    assert not_addable(email).replace("'", "&#x27;") in page
    if who is not None:
        assert who not in page
    assert "active teacher" not in page


def test_it_gives_the_same_answer_for_a_deactivated_teacher(world: Any, login: Any,
                                                           team: Any) -> None:
    miguel = world.people["outsider"]
    miguel.is_active = False
    miguel.save(update_fields=["is_active"])
    page = _answer(login, world, team, "miguel@maple.test")
    assert not_addable("miguel@maple.test") in page and "Miguel" not in page


def test_it_confirms_an_added_teacher_by_the_typed_address(world: Any, login: Any,
                                                          team: Any) -> None:
    client = login(world.people["teacher"])
    r = client.post(reverse("inquiry:team_add_member", args=[team.pk]),
                    {"email": "Miguel@maple.test"}, follow=True)
    assert "Miguel@maple.test joined the team." in r.content.decode()
