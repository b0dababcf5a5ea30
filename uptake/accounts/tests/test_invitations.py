"""Time-limited invitations: sent, accepted once, expired, withdrawn — all audited."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from uptake.accounts.models import Invitation, Role, User
from uptake.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "observing-is-learning-2026"
UNUSABLE = "This invitation link cannot be used"


def _invite_peer(client: Any, email: str, capture: Any) -> Invitation:
    with capture(execute=True):
        response = client.post(reverse("invitations"), {
            "purpose": "peer_observer", "peer-email": email, "peer-message": "Come see Tuesday"},
            follow=True)
    assert response.redirect_chain == [(reverse("invitations"), 302)]
    assert f"Invitation sent to {email.lower()}" in response.content.decode()
    return Invitation.objects.get(email=email.lower())


def _link(message: Any) -> str:
    found = re.search(r"/invitations/accept/[\w-]+/", str(message.body))
    assert found is not None
    return found.group(0)


def _accept(link: str, first: str = "Sam", last: str = "Peer") -> Any:
    return Client().post(link, {"first_name": first, "last_name": last,
                                "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def test_it_lets_a_teacher_invite_an_outside_peer_observer_who_creates_an_account(
        login: Any, world: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = login(world.people["teacher"])
    invitation = _invite_peer(client, "Sam@Elsewhere.test", django_capture_on_commit_callbacks)
    assert invitation.purpose == Invitation.Purpose.PEER_OBSERVER
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sam@elsewhere.test"]
    assert "Come see Tuesday" in str(mail.outbox[0].body)
    link = _link(mail.outbox[0])

    page = Client().get(link)
    assert page.status_code == 200
    assert 'autocomplete="new-password"' in page.content.decode()
    assert _accept(link)["Location"] == reverse("account_login")

    sam = User.objects.get(email="sam@elsewhere.test")
    assert sam.check_password(NEW_PASSWORD)
    # A peer observer gets nothing in the district: no district, no roles.
    assert sam.district is None and not sam.roles.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == sam
    assert set(AuditEvent.objects.filter(district=world.district).values_list(
        "action", flat=True)) >= {AuditAction.INVITATION_SENT, AuditAction.INVITATION_ACCEPTED,
                                  AuditAction.PERSON_CREATED}
    sam_client = Client()
    assert sam_client.post("/accounts/login/", {"login": "sam@elsewhere.test",
                                                "password": NEW_PASSWORD}).status_code == 302
    assert sam_client.get(reverse("home")).status_code == 200
    assert sam_client.get(reverse("people")).status_code == 404
    assert sam_client.get(reverse("roster:classes")).status_code == 404


def test_it_lets_a_coordinator_invite_someone_to_join_with_a_role(
        login: Any, world: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = login(world.people["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitations"), {
            "purpose": "join_district", "join-email": "newcoach@maple.test",
            "join-role": Role.COACH, "join-school": world.birch.pk})
    _accept(_link(mail.outbox[0]), "Nia", "Coach")
    nia = User.objects.get(email="newcoach@maple.test")
    assert nia.district == world.district
    role = nia.roles.get()
    assert (role.role, role.school, role.granted_by) == (Role.COACH, world.birch,
                                                         world.people["coordinator"])
    assert AuditEvent.objects.filter(action=AuditAction.ROLE_GRANTED,
                                     object_id=str(nia.pk)).exists()


def test_it_refuses_a_join_invitation_at_the_wrong_scope(login: Any, world: Any) -> None:
    client = login(world.people["coordinator"])
    response = client.post(reverse("invitations"), {
        "purpose": "join_district", "join-email": "x@maple.test", "join-role": Role.TEACHER,
        "join-school": ""})
    assert response.status_code == 400
    assert "held for a school" in response.content.decode()
    assert not Invitation.objects.exists()


def test_it_does_not_let_a_teacher_invite_someone_to_join(login: Any, world: Any) -> None:
    client = login(world.people["teacher"])
    response = client.post(reverse("invitations"), {
        "purpose": "join_district", "join-email": "x@maple.test", "join-role": Role.COORDINATOR})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_it_accepts_an_invitation_only_once(login: Any, world: Any,
                                            django_capture_on_commit_callbacks: Any) -> None:
    client = login(world.people["teacher"])
    _invite_peer(client, "sam@elsewhere.test", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    _accept(link)
    again = _accept(link, "Someone", "Else")
    assert again.status_code == 410 and UNUSABLE in again.content.decode()
    assert User.objects.filter(email="sam@elsewhere.test").count() == 1


def test_it_expires_an_invitation_after_the_configured_days(
        login: Any, world: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = login(world.people["teacher"])
    _invite_peer(client, "sam@elsewhere.test", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
        assert Client().get(link).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        expired = _accept(link)
        assert expired.status_code == 410 and UNUSABLE in expired.content.decode()
    assert not User.objects.filter(email="sam@elsewhere.test").exists()


def test_it_lets_the_sender_withdraw_an_invitation(login: Any, world: Any,
                                                   django_capture_on_commit_callbacks: Any
                                                   ) -> None:
    client = login(world.people["teacher"])
    invitation = _invite_peer(client, "sam@elsewhere.test", django_capture_on_commit_callbacks)
    listing = client.get(reverse("invitations")).content.decode()
    assert "sam@elsewhere.test" in listing and "Withdraw" in listing
    client.post(reverse("invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_REVOKED).count() == 1
    withdrawn = _accept(_link(mail.outbox[0]))
    assert withdrawn.status_code == 410 and UNUSABLE in withdrawn.content.decode()


def test_it_gives_every_unusable_link_the_same_answer(client: Any, world: Any) -> None:
    response = client.get(reverse("invitation_accept", args=["no-such-token"]))
    assert response.status_code == 410 and UNUSABLE in response.content.decode()


def test_it_hides_an_invitation_from_other_teachers(login: Any, world: Any,
                                                    django_capture_on_commit_callbacks: Any
                                                    ) -> None:
    invitation = _invite_peer(login(world.people["teacher"]), "sam@elsewhere.test",
                              django_capture_on_commit_callbacks)
    other = login(world.people["colleague"])
    assert "sam@elsewhere.test" not in other.get(reverse("invitations")).content.decode()
    assert other.post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 404
    olive = login(world.people["other_coordinator"])
    assert olive.post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    # The district's own coordinator sees it and may withdraw it.
    renata = login(world.people["coordinator"])
    assert "sam@elsewhere.test" in renata.get(reverse("invitations")).content.decode()


def test_it_lets_an_existing_account_accept_after_signing_in(
        login: Any, world: Any, django_capture_on_commit_callbacks: Any) -> None:
    _invite_peer(login(world.people["teacher"]), "asha@maple.test",
                 django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    anonymous = Client().get(link).content.decode()
    assert "Sign in to accept" in anonymous
    wrong = Client()
    wrong.force_login(world.people["outsider"],
                      backend="django.contrib.auth.backends.ModelBackend")
    assert "different e-mail address" in wrong.post(link).content.decode()
    asha = Client()
    asha.post("/accounts/login/", {"login": "asha@maple.test", "password": PASSWORD})
    assert asha.post(link)["Location"] == reverse("home")
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == world.people["colleague"]


@pytest.mark.parametrize("persona", ["coach", "assessor", "leader", "researcher"])
def test_it_hides_invitations_from_roles_that_cannot_invite(login: Any, world: Any,
                                                            persona: str) -> None:
    assert login(world.people[persona]).get(reverse("invitations")).status_code == 404


def test_it_does_not_create_an_account_from_inside_another_session(
        login: Any, world: Any, django_capture_on_commit_callbacks: Any) -> None:
    _invite_peer(login(world.people["teacher"]), "sam@elsewhere.test",
                 django_capture_on_commit_callbacks)
    jamie = Client()
    jamie.force_login(world.people["teacher"],
                      backend="django.contrib.auth.backends.ModelBackend")
    link = _link(mail.outbox[0])
    assert "sign out first" in jamie.get(link).content.decode()
    jamie.post(link, {"first_name": "Sam", "last_name": "Peer", "password1": NEW_PASSWORD,
                      "password2": NEW_PASSWORD})
    assert not User.objects.filter(email="sam@elsewhere.test").exists()


def test_it_withdraws_the_invitations_of_someone_deactivated(
        login: Any, world: Any, django_capture_on_commit_callbacks: Any) -> None:
    from uptake.accounts.actions import do_deactivate_person

    invitation = _invite_peer(login(world.people["teacher"]), "sam@elsewhere.test",
                              django_capture_on_commit_callbacks)
    do_deactivate_person(actor=world.people["coordinator"], person=world.people["teacher"])
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    revoked = AuditEvent.objects.get(action=AuditAction.INVITATION_REVOKED)
    assert revoked.actor == world.people["coordinator"]
    assert _accept(_link(mail.outbox[0])).status_code == 410


def test_it_stores_only_a_digest_of_the_links_secret(
        login: Any, world: Any, django_capture_on_commit_callbacks: Any) -> None:
    invitation = _invite_peer(login(world.people["teacher"]), "sam@elsewhere.test",
                              django_capture_on_commit_callbacks)
    secret = _link(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    assert secret != invitation.token and secret not in str(Invitation.objects.values())
    # The stored value itself does not open the invitation.
    stolen = Client().get(reverse("invitation_accept", args=[invitation.token]))
    assert stolen.status_code == 410
