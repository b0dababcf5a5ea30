"""Every printed demo sign-in opens a start page with something of the demo on it: the
peer observer from outside the district a class to observe, each school leader an inquiry
shared with her, the coach evidence and an inquiry shared with her (issue 10, seen 5)."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from uptake.accounts.models import User
from uptake.demo.actions import DEMO_PASSWORD
from uptake.demo.roles import (
    LEADER_SHARED,
    PEER_EMAIL,
    ROUTINE_CARD,
    SECOND_SCHOOL_INQUIRY,
)
from uptake.demo.story import STORY_INQUIRY

pytestmark = pytest.mark.django_db


@pytest.fixture
def logins() -> dict[str, list[str]]:
    out = StringIO()
    call_command("demo", stdout=out)
    found: dict[str, list[str]] = {}
    for role, email in re.findall(r"^  (\S.*?)\s{2,}(\S+@\S+)", out.getvalue(), re.M):
        found.setdefault(role.strip(), []).append(email)
    return found


def _home(client: Any, email: str) -> str:
    assert client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD}
                       ).status_code == 302, email
    page = client.get("/").content.decode()
    client.logout()
    return page


def test_the_peer_observer_belongs_to_no_district_and_has_a_class_to_observe(
        client: Any, logins: dict[str, list[str]]) -> None:
    assert logins["Peer observer"] == [PEER_EMAIL]
    assert User.objects.get(email=PEER_EMAIL).district_id is None
    page = _home(client, PEER_EMAIL)
    assert "Observations you were asked to make" in page
    assert "Observe Grade 5 Math — Period 2" in page


def test_each_school_leader_reads_an_inquiry_and_evidence_shared_with_her(
        client: Any, logins: dict[str, list[str]]) -> None:
    first, second = logins["School leader"]
    shared = _home(client, first).split("Inquiries shared with you", 1)[1]
    assert LEADER_SHARED in shared
    page = _home(client, second)
    shared = page.split("Inquiries shared with you", 1)[1]
    assert SECOND_SCHOOL_INQUIRY in shared and LEADER_SHARED not in shared
    assert ROUTINE_CARD in page.split("Evidence shared with you", 1)[1]


def test_the_coach_has_evidence_and_an_inquiry_shared_with_her(
        client: Any, logins: dict[str, list[str]]) -> None:
    (coach,) = logins["Instructional coach"]
    page = _home(client, coach)
    assert STORY_INQUIRY in page.split("Inquiries shared with you", 1)[1]
    assert "Sentence stems card" in page.split("Evidence shared with you", 1)[1]


def test_loading_the_demo_again_invites_the_peer_observer_only_once(
        logins: dict[str, list[str]]) -> None:
    from uptake.accounts.models import Invitation

    call_command("demo", stdout=StringIO())
    assert Invitation.objects.filter(email=PEER_EMAIL).count() == 1
    assert User.objects.filter(email=PEER_EMAIL).count() == 1
