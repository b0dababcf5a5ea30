"""Seen 12 of issue 9: a coordinator learned whether an e-mail had an account in another
district ("olive@oak.test already has an Uptake account"). An invitation to join now gives
the same answer for an unknown address and for one of another district (the holder is told
on accepting that her account cannot join); adding or renaming a person directly never
says that an address has an account elsewhere. An address of her own district, whose
people she sees under People, is still named as such."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from uptake.accounts.models import Invitation, Role, User

pytestmark = pytest.mark.django_db


def _invite(client: Any, email: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(reverse("invitations"), {
            "purpose": "join_district", "join-email": email, "join-role": Role.ASSESSOR,
            "join-school": ""}, follow=True)


def _answer(response: Any, email: str) -> tuple[int, list[tuple[str, int]], str]:
    """What the coordinator sees, with the address typed taken out."""
    notes = " ".join(str(m) for m in response.context["messages"])
    return response.status_code, response.redirect_chain, notes.replace(email, "<e-mail>")


def test_it_answers_an_unknown_address_and_another_district_s_alike(
        login: Any, world: Any, django_capture_on_commit_callbacks: Any) -> None:
    renata = login(world.people["coordinator"])
    unknown = _invite(renata, "nobody@oak.test", django_capture_on_commit_callbacks)
    elsewhere = _invite(renata, "olive@oak.test", django_capture_on_commit_callbacks)
    assert _answer(unknown, "nobody@oak.test") == _answer(elsewhere, "olive@oak.test")
    assert "account" not in elsewhere.content.decode().split("<main", 1)[-1].lower() \
        .split("invitations you sent", 1)[0]
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "nobody@oak.test", "olive@oak.test"}
    assert len(mail.outbox) == 2


def test_it_does_not_let_another_district_s_person_join_by_accepting(
        login: Any, world: Any, django_capture_on_commit_callbacks: Any) -> None:
    _invite(login(world.people["coordinator"]), "olive@oak.test",
            django_capture_on_commit_callbacks)
    link = re.search(r"/invitations/accept/[\w-]+/", str(mail.outbox[0].body))
    assert link is not None
    olive = Client()
    olive.post("/accounts/login/", {"login": "olive@oak.test", "password": PASSWORD})
    assert "belongs to another district" in olive.post(link.group(0)).content.decode()
    assert User.objects.get(email="olive@oak.test").district == world.other_district


@pytest.mark.parametrize("email", ["olive@oak.test", "OLIVE@oak.test"])
def test_it_never_says_an_address_has_an_account_when_adding_directly(
        login: Any, world: Any, email: str) -> None:
    response = login(world.people["coordinator"]).post(reverse("person_add"), {
        "first_name": "X", "last_name": "Y", "email": email, "role": Role.ASSESSOR,
        "school": ""})
    page = response.content.decode()
    assert "cannot be given to an account here" in page
    assert "already has" not in page and "another district" not in page
    assert User.objects.filter(email__iexact="olive@oak.test").count() == 1


def test_it_names_an_address_already_used_in_her_own_district(
        login: Any, world: Any, django_capture_on_commit_callbacks: Any) -> None:
    renata = login(world.people["coordinator"])
    response = _invite(renata, "jamie@maple.test", django_capture_on_commit_callbacks)
    assert "already used by someone in your district" in response.content.decode()
    assert not Invitation.objects.exists()
