"""Evidence attaches to the inquiries its teacher may edit, by the inquiry app's own rule
(uptake.inquiry.access.inquiries_editable_by): her own and her teams', never one she may
only read, a colleague's, or another district's."""

from __future__ import annotations

from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from uptake.accounts.grants import content_type_of
from uptake.accounts.models import Grant
from uptake.evidence import actions
from uptake.evidence.models import Artifact
from uptake.inquiry.actions import do_create_inquiry, do_create_team


def _text(owner: Any, inquiry: Any) -> Artifact:
    return actions.do_add_artifact(owner, kind="text", title="Notes", guskey_level=2,
                                   identifies_students=False, body="b", inquiry=inquiry)


def test_a_team_member_attaches_evidence_to_the_teams_inquiry(
        upload: Any, login: Any, world: Any, media: Path) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    team = do_create_team(asha, name="Grade 3", kind="grade_level", school=world.cedar,
                          members=[jamie])
    inquiry = do_create_inquiry(asha, team=team, title="Common exit tickets")
    form = unescape(login(jamie).get(reverse("evidence:upload")).content.decode())
    assert "Common exit tickets" in form and "Common exit tickets: cycle 1" in form
    response = upload(None, None, kind="text", identifies_students="no", body="x",
                      inquiry=inquiry.pk, cycle=inquiry.cycles.get().pk)
    assert response.status_code == 302
    assert Artifact.objects.get().inquiry == inquiry


def test_it_refuses_an_inquiry_she_may_only_read(login: Any, world: Any, media: Path) -> None:
    jamie = world.people["teacher"]
    ashas = do_create_inquiry(world.people["colleague"], title="Asha's inquiry")
    # Consent to read (even one that would let her read) is never a right to edit.
    Grant.objects.create(district=world.district, content_type=content_type_of(ashas),
                         object_id=ashas.pk, grantee=jamie, reason="coaching")
    form = unescape(login(jamie).get(reverse("evidence:upload")).content.decode())
    assert "Asha's inquiry" not in form
    with pytest.raises(actions.EvidenceRefused, match="Choose one of your inquiries"):
        _text(jamie, ashas)
    assert not Artifact.objects.exists()


def test_it_refuses_another_districts_inquiry(world: Any, media: Path) -> None:
    from uptake.inquiry.models import Inquiry

    elsewhere = Inquiry.objects.create(district=world.other_district,
                                       owner=world.people["other_coordinator"],
                                       title="Elsewhere")
    with pytest.raises(actions.EvidenceRefused):
        _text(world.people["teacher"], elsewhere)


def test_it_stops_offering_a_teams_inquiry_once_she_leaves_the_team(
        login: Any, world: Any, media: Path) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    team = do_create_team(asha, name="Grade 3", kind="grade_level", school=world.cedar,
                          members=[jamie])
    inquiry = do_create_inquiry(asha, team=team, title="Common exit tickets")
    team.members.remove(jamie)
    assert "Common exit tickets" not in login(jamie).get(
        reverse("evidence:upload")).content.decode()
    with pytest.raises(actions.EvidenceRefused):
        _text(jamie, inquiry)
