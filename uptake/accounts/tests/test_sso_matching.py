"""Who an IdP's answer signs in: the matching rule for each kind of IdP, tested on the answer
allauth hands over (the round trips in test_sso_*_round_trip.py run it over the wire)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from uptake.accounts import actions, sso
from uptake.accounts.adapter import SocialAccountAdapter
from uptake.accounts.models import Invitation, User

pytestmark = pytest.mark.django_db


def _answer(method: Any, email: str, *, verified: bool = True,
            extra: dict[str, Any] | None = None) -> SocialLogin:
    account = SocialAccount(provider=sso.provider_id(method), uid="subject-1",
                            extra_data=extra or {})
    return SocialLogin(account=account, user=User(email=email, first_name="Jo",
                                                  last_name="Doe"),
                       email_addresses=[EmailAddress(email=email, verified=verified,
                                                     primary=True)])


@pytest.fixture
def google(world: Any) -> Any:
    return actions.do_set_sign_in_method(actor=world.people["coordinator"],
                                         given=actions.SignInSettings(
        kind="google", domains="maple.test", client_id="1.apps.googleusercontent.com",
        client_secret="s"))


@pytest.fixture
def microsoft(world: Any) -> Any:
    return actions.do_set_sign_in_method(actor=world.people["coordinator"],
                                         given=actions.SignInSettings(
        kind="microsoft", domains="maple.test", tenant="maple.onmicrosoft.com",
        client_id="c", client_secret="s"))


def test_google_signs_in_a_workspace_account_of_the_district(world: Any, google: Any) -> None:
    found = sso.match(google, _answer(google, "jamie@maple.test", extra={"hd": "maple.test"}))
    assert found.person == world.people["teacher"]


def test_google_refuses_a_personal_account_made_with_a_school_address(world: Any,
                                                                      google: Any) -> None:
    found = sso.match(google, _answer(google, "jamie@maple.test"))  # verified, but no "hd"
    assert found.refused and found.reason == "not a Workspace account"
    assert "personal Google account" in found.message


def test_google_refuses_an_unverified_address(world: Any, google: Any) -> None:
    found = sso.match(google, _answer(google, "jamie@maple.test", verified=False,
                                      extra={"hd": "maple.test"}))
    assert found.reason == "e-mail not verified"


def test_the_districts_own_entra_tenant_is_trusted_for_its_domains(world: Any,
                                                                   microsoft: Any) -> None:
    # Entra ID does not send email_verified; the district named its own tenant.
    found = sso.match(microsoft, _answer(microsoft, "Jamie@Maple.test", verified=False))
    assert found.person == world.people["teacher"]
    found = sso.match(microsoft, _answer(microsoft, "jamie@gmail.test", verified=False))
    assert found.reason == "domain not covered"


def test_a_deactivated_person_is_refused(world: Any, microsoft: Any) -> None:
    actions.do_deactivate_person(actor=world.people["coordinator"],
                                 person=world.people["teacher"])
    found = sso.match(microsoft, _answer(microsoft, "jamie@maple.test"))
    assert found.refused and "deactivated" in found.message


def test_someone_of_another_district_is_told_only_that_she_is_not_in_the_roster(
        world: Any, microsoft: Any) -> None:
    User.objects.create_user(email="moved@maple.test", district=world.other_district)
    found = sso.match(microsoft, _answer(microsoft, "moved@maple.test"))
    assert found.reason == "not in roster"
    assert found.message == ("No one with this address is in Maple Valley Unified's roster; "
                             "ask your coordinator.")


@pytest.mark.parametrize("lapse", ["expired", "revoked", "peer observer"])
def test_only_a_live_invitation_to_join_the_district_is_accepted(
        world: Any, microsoft: Any, lapse: str) -> None:
    invitation = Invitation.objects.create(
        district=world.district, invited_by=world.people["coordinator"],
        email="new@maple.test", purpose=Invitation.Purpose.JOIN_DISTRICT, role="teacher",
        school=world.cedar, expires_at=timezone.now() + timedelta(days=3))
    assert sso.match(microsoft, _answer(microsoft, "new@maple.test")).invitation == invitation
    if lapse == "expired":
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
    elif lapse == "revoked":
        invitation.revoked_at = timezone.now()
    else:
        invitation.purpose = Invitation.Purpose.PEER_OBSERVER
    invitation.save()
    assert sso.match(microsoft, _answer(microsoft, "new@maple.test")).reason == "not in roster"


def test_an_idp_account_linked_to_one_person_never_signs_in_another(world: Any,
                                                                    microsoft: Any) -> None:
    answer = _answer(microsoft, "jamie@maple.test")
    answer.user = world.people["colleague"]  # the IdP subject was linked to Asha before
    assert sso.match(microsoft, answer).reason == "account linked to someone else"


def _request(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    return request


def test_connecting_an_idp_account_by_hand_is_refused(world: Any, microsoft: Any) -> None:
    answer = _answer(microsoft, "jamie@maple.test")
    answer.state = {"process": "connect"}
    with pytest.raises(ImmediateHttpResponse) as refused:
        SocialAccountAdapter().pre_social_login(_request(world.people["teacher"]), answer)
    assert refused.value.response.status_code == 403
    assert not SocialAccount.objects.exists()


def test_pages_listing_providers_show_only_the_visitors_district(world: Any,
                                                                 microsoft: Any) -> None:
    adapter = SocialAccountAdapter()
    mine = adapter.list_apps(_request(world.people["teacher"]))
    assert [app.provider_id for app in mine] == ["microsoft-maple-valley"]
    assert adapter.list_apps(_request(world.people["other_coordinator"])) == []
