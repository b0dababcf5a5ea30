"""Signing in with a district's OpenID Connect IdP, end to end against a real provider.

The IdP is django-allauth's own OpenID Connect provider (``allauth.idp.oidc``) running as a
separate Django project on 127.0.0.1 (``sso_support.run_idp``). Uptake, the relying party,
runs in the test client; its back channel (discovery, token, keys, userinfo) goes over HTTP to
that IdP, and the "browser" signs in at the IdP and grants consent through its own forms.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from uptake.accounts import actions
from uptake.accounts.models import Invitation, SignInMethod, User
from uptake.accounts.tests import sso_support
from uptake.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PEOPLE = [
    {"email": "jamie@maple.test", "first_name": "Jamie", "last_name": "Nguyen",
     "verified": True},
    {"email": "stranger@maple.test", "first_name": "Sam", "last_name": "Stranger",
     "verified": True},
    {"email": "asha@maple.test", "first_name": "Asha", "last_name": "Patel", "verified": False},
    {"email": "new.teacher@maple.test", "first_name": "Nia", "last_name": "New",
     "verified": True},
]


@pytest.fixture(scope="module")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sso_support.Idp]:
    tmp: Path = tmp_path_factory.mktemp("oidc-idp")
    people = [{**p, "password": sso_support.PASSWORD} for p in PEOPLE]
    yield from sso_support.run_idp(tmp, people)


@pytest.fixture
def district_oidc(world: Any, idp: sso_support.Idp, settings: Any) -> SignInMethod:
    settings.SSO_ALLOW_LOCAL_IDP = True
    return actions.do_set_sign_in_method(
        actor=world.people["coordinator"], given=actions.SignInSettings(
            kind="oidc", domains="maple.test", issuer=idp.issuer, label="Maple ID",
            client_id=sso_support.CLIENT_ID, client_secret=sso_support.CLIENT_SECRET))


def _sign_in(client: Any, email: str) -> Any:
    start = client.get("/accounts/sso/maple-valley/")
    assert "Sign in with Maple ID" in start.content.decode()
    response = client.post("/accounts/sso/maple-valley/")
    assert response.status_code == 302
    authorize = response["Location"]
    callback = sso_support.through_the_idp(authorize, email)
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")


def test_a_rostered_teacher_signs_in_with_her_districts_idp(client: Any, world: Any,
                                                            district_oidc: Any) -> None:
    response = _sign_in(client, "jamie@maple.test")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get("/").context["user"] == world.people["teacher"]
    event = AuditEvent.objects.get(action=actions.SSO_SIGN_IN)
    assert event.actor == world.people["teacher"]
    assert event.district == world.district
    # Signing in again finds the linked account, and still checks the roster.
    client.logout()
    assert _sign_in(client, "jamie@maple.test").status_code == 302
    assert client.get("/").context["user"] == world.people["teacher"]


def test_an_address_not_in_the_roster_is_refused_and_nobody_is_created(
        client: Any, world: Any, district_oidc: Any) -> None:
    people_before = User.objects.count()
    response = _sign_in(client, "stranger@maple.test")
    assert response.status_code == 403
    html = response.content.decode()
    assert ("No one with this address is in Maple Valley Unified&#x27;s roster; ask your "
            "coordinator.") in html
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == people_before
    event = AuditEvent.objects.get(action=actions.SSO_REFUSED)
    assert event.actor_label == "stranger@maple.test"
    assert event.district == world.district
    assert event.details["reason"] == "not in roster"


def test_an_unverified_address_is_refused_even_for_someone_on_the_roster(
        client: Any, world: Any, district_oidc: Any) -> None:
    world.people["colleague"].email = "asha@maple.test"
    world.people["colleague"].save(update_fields=["email"])
    response = _sign_in(client, "asha@maple.test")
    assert response.status_code == 403
    assert "has not verified asha@maple.test" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action=actions.SSO_REFUSED).details["reason"] == \
        "e-mail not verified"


def test_a_pending_invitation_is_accepted_by_signing_in(client: Any, world: Any,
                                                        district_oidc: Any) -> None:
    invitation = actions.do_invite(actor=world.people["coordinator"],
                                   email="new.teacher@maple.test",
                                   purpose=Invitation.Purpose.JOIN_DISTRICT, role="teacher",
                                   school=world.cedar, deliver=lambda *_: None)
    response = _sign_in(client, "new.teacher@maple.test")
    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(email="new.teacher@maple.test")
    assert client.get("/").context["user"] == person
    assert person.district == world.district
    assert person.has_role("teacher")
    assert not person.has_usable_password()
    invitation.refresh_from_db()
    assert invitation.accepted_by == person


def test_someone_with_two_step_verification_on_is_still_asked_for_her_code(
        client: Any, world: Any, district_oidc: Any) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(world.people["teacher"], generate_totp_secret())
    response = _sign_in(client, "jamie@maple.test")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action=actions.SSO_SIGN_IN).exists()
