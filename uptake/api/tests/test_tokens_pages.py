"""The personal access token pages: a person makes a token and sees its secret once, lists
her tokens (never their secrets) with their status, and revokes one at once; a coordinator
sees and revokes her district's people's tokens, and nobody else's."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.api.models import PersonalToken
from uptake.idempotency import FIELD

pytestmark = pytest.mark.django_db


def _make(client: Any, **data: Any) -> Any:
    page = client.get(reverse("api_tokens:token_new")).content.decode()
    key = re.search(rf'name="{FIELD}" value="([^"]+)"', page)
    assert key
    sent = {"name": "Warehouse export", "scopes": ["inquiry:read", "roster:read"],
            "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            FIELD: key.group(1), **data}
    return client.post(reverse("api_tokens:token_new"), sent)


def _secret(html: str) -> str:
    found = re.search(r'value="(upt_[^"]+)"', html)
    assert found, html[:2000]
    return found.group(1)


def test_the_secret_is_shown_once_and_opens_the_api(world: Any, login: Any) -> None:
    client = login(world.people["teacher"])
    made = _make(client)
    assert made.status_code == 302
    shown = client.get(made["Location"]).content.decode()
    secret = _secret(shown)
    assert "curl -H &quot;Authorization: Bearer " + secret in shown \
        or f'curl -H "Authorization: Bearer {secret}' in shown
    again = client.get(made["Location"]).content.decode()
    assert secret not in again and "was shown once" in again
    listing = client.get(reverse("api_tokens:tokens")).content.decode()
    assert secret not in listing
    assert "Warehouse export" in listing and secret[:10] in listing and "Live" in listing
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["scopes"] == ["inquiry:read", "roster:read"]


def test_the_form_sent_twice_makes_one_token(world: Any, login: Any) -> None:
    client = login(world.people["teacher"])
    page = client.get(reverse("api_tokens:token_new")).content.decode()
    key = re.search(rf'name="{FIELD}" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = {"name": "Twice", "scopes": ["inquiry:read"],
            "expires_on": (timezone.localdate() + timedelta(days=5)).isoformat(), FIELD: key}
    first = client.post(reverse("api_tokens:token_new"), data)
    second = client.post(reverse("api_tokens:token_new"), data)
    assert first["Location"] == second["Location"]
    assert PersonalToken.objects.filter(name="Twice").count() == 1


@pytest.mark.parametrize(("data", "message"), [
    ({"name": ""}, "This field is required."),
    ({"scopes": []}, "Choose at least one thing the token may do."),
    ({"scopes": ["inquiry:read", "everything:write"]}, "Select a valid choice."),
    ({"expires_on": "2020-01-01"}, "Choose a day after today."),
    ({"expires_on": (timezone.localdate() + timedelta(days=400)).isoformat()},
     "A token lasts at most a year"),
])
def test_a_bad_form_says_what_is_wrong_and_makes_nothing(world: Any, login: Any,
                                                         data: dict[str, Any],
                                                         message: str) -> None:
    response = _make(login(world.people["teacher"]), **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PersonalToken.objects.exists()


def test_the_form_offers_the_areas_of_the_person_s_roles(world: Any, login: Any) -> None:
    from uptake import registry

    offered = {}
    for persona in ("teacher", "coordinator"):
        html = login(world.people[persona]).get(
            reverse("api_tokens:token_new")).content.decode()
        offered[persona] = {a.key for a in registry.api_areas
                            if f'value="{a.key}:read"' in html}
        for area in registry.api_areas:
            if area.key in offered[persona]:
                assert area.label in html
                assert (f'value="{area.key}:write"' in html) == area.writes
    # A teacher is not offered the audit log or the district's people; nobody is offered
    # "who I am", which every token may read.
    assert {"inquiry", "learning", "studentwork"} <= offered["teacher"]
    assert not {"audit", "district", "me"} & offered["teacher"]
    assert {"audit", "district", "roster"} <= offered["coordinator"]
    assert "me" not in offered["coordinator"]


def test_revoking_works_at_once(world: Any, login: Any, api: Any) -> None:
    caller = api(world.people["teacher"], ["inquiry:read"])
    assert caller.get("/api/v1/me").status_code == 200
    client = login(world.people["teacher"])
    url = reverse("api_tokens:token_revoke", args=[caller.token.pk])
    assert "Revoke the token" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    refused = caller.get("/api/v1/me")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthenticated"
    listing = client.get(reverse("api_tokens:tokens")).content.decode()
    assert "Revoked" in listing


def test_an_expired_token_s_row_says_expired(world: Any, login: Any, api: Any) -> None:
    caller = api(world.people["teacher"], ["inquiry:read"])
    PersonalToken.objects.filter(pk=caller.token.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    listing = login(world.people["teacher"]).get(reverse("api_tokens:tokens")).content.decode()
    assert "Expired" in listing and "Live" not in listing


def test_a_used_token_shows_when_and_from_where(world: Any, login: Any, api: Any) -> None:
    caller = api(world.people["teacher"], ["inquiry:read"])
    caller.get("/api/v1/me")
    listing = login(world.people["teacher"]).get(reverse("api_tokens:tokens")).content.decode()
    assert "from 127.0.0.1" in listing


def test_a_teacher_cannot_see_or_revoke_a_colleague_s_token(world: Any, login: Any,
                                                           api: Any) -> None:
    theirs = api(world.people["colleague"], ["inquiry:read"]).token
    client = login(world.people["teacher"])
    assert client.get(reverse("api_tokens:token_made", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("api_tokens:token_revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("api_tokens:token_revoke", args=[theirs.pk])).status_code == 404
    assert theirs.prefix not in client.get(reverse("api_tokens:tokens")).content.decode()
    assert PersonalToken.objects.get(pk=theirs.pk).revoked_at is None


def test_a_coordinator_revokes_a_teacher_s_token_without_seeing_its_secret(
        world: Any, login: Any, api: Any) -> None:
    from uptake.audit.models import AuditEvent

    caller = api(world.people["teacher"], ["inquiry:read"])
    client = login(world.people["coordinator"])
    page = client.get(reverse("api_tokens:district")).content.decode()
    assert "Jamie Nguyen" in page and caller.token.prefix in page
    assert caller.secret not in page
    assert client.post(reverse("api_tokens:token_revoke", args=[caller.token.pk])).status_code \
        == 302
    assert caller.get("/api/v1/me").status_code == 401
    event = AuditEvent.objects.get(action="api_token_revoked")
    assert event.actor == world.people["coordinator"]
    hers = login(world.people["teacher"]).get(reverse("api_tokens:tokens")).content.decode()
    assert "Revoked</span> by Renata Okafor" in hers


def test_another_district_s_coordinator_reaches_none_of_it(world: Any, login: Any,
                                                          api: Any) -> None:
    caller = api(world.people["teacher"], ["inquiry:read"])
    client = login(world.people["other_coordinator"])
    assert "Jamie" not in client.get(reverse("api_tokens:district")).content.decode()
    assert client.post(reverse("api_tokens:token_revoke",
                               args=[caller.token.pk])).status_code == 404
    assert caller.get("/api/v1/me").status_code == 200


def test_a_coordinator_whose_role_is_revoked_loses_the_district_pages(
        world: Any, login: Any, api: Any) -> None:
    from uptake.accounts.actions import do_grant_role, do_revoke_role
    from uptake.accounts.models import Role, User
    from uptake.api.oauth import create_integration

    caller = api(world.people["teacher"], ["inquiry:read"])
    renata = world.people["coordinator"]
    integration = create_integration(renata, name="SIS", role="coordinator",
                                     scopes=["roster:read"]).integration
    integration_urls = [reverse(f"api_tokens:{name}", args=[integration.pk])
                        for name in ("integration", "integration_rotate", "integration_revoke")]
    # Another coordinator keeps the district going and revokes Renata's role.
    other = User.objects.create_user(email="cole@maple.test", password="x-long-password-1",
                                     district=world.district)
    do_grant_role(actor=renata, person=other, role=Role.COORDINATOR)
    client = login(renata)
    district_url = reverse("api_tokens:district")
    revoke_url = reverse("api_tokens:token_revoke", args=[caller.token.pk])
    assert client.get(district_url).status_code == 200
    assert client.get(revoke_url).status_code == 200
    assert [client.get(url).status_code for url in integration_urls] == [200, 200, 200]
    do_revoke_role(actor=other, assignment=renata.roles.get(role=Role.COORDINATOR))
    client = login(User.objects.get(pk=renata.pk))
    assert client.get(district_url).status_code == 404
    assert client.get(revoke_url).status_code == 404
    assert client.post(revoke_url).status_code == 404
    assert [client.get(url).status_code for url in integration_urls] == [404, 404, 404]
    assert [client.post(url).status_code for url in integration_urls[1:]] == [404, 404]
    assert caller.get("/api/v1/me").status_code == 200
    integration.refresh_from_db()
    assert integration.revoked_at is None


def test_the_account_page_links_to_the_tokens(world: Any, login: Any) -> None:
    teacher = login(world.people["teacher"]).get(reverse("account_settings")).content.decode()
    assert reverse("api_tokens:tokens") in teacher
    assert reverse("api_tokens:district") not in teacher
    coordinator = login(world.people["coordinator"]).get(
        reverse("account_settings")).content.decode()
    assert reverse("api_tokens:district") in coordinator
