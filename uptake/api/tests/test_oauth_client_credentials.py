"""District integrations: a coordinator registers one, it gets an access token from the real
token endpoint (allauth's, with the client-credentials grant) and calls the API as its
service account, with the scopes it was granted; a wrong secret, a scope it does not hold,
a rotated secret, a revoked integration or a closed account open nothing."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from uptake.api import oauth
from uptake.api.models import Integration
from uptake.idempotency import FIELD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/oauth/identity/o/api/token"


def _register(w: Any, scopes: list[str] | None = None, **kwargs: Any) -> oauth.Credentials:
    return oauth.create_integration(w.people["coordinator"], name="SIS roster sync",
                                    role="coordinator",
                                    scopes=scopes or ["district:read", "roster:read"], **kwargs)


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def _get_token(client_id: str, secret: str, scope: str | None = None) -> Any:
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    return Client().post(TOKEN_URL, data, headers={"Authorization": _basic(client_id, secret)})


def _me(access_token: str) -> Any:
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {access_token}"})


def test_the_round_trip_through_the_token_endpoint(world: Any) -> None:
    made = _register(world)
    issued = _get_token(made.client_id, made.secret, "roster:read district:read")
    assert issued.status_code == 200, issued.content
    body = issued.json()
    assert body["token_type"].lower() == "bearer" and body["expires_in"] == 3600
    assert set(body["scope"].split()) == {"roster:read", "district:read"}
    me = _me(body["access_token"])
    assert me.status_code == 200
    who = me.json()
    service = made.integration.service_account
    assert who["id"] == service.pk and who["via"] == "oauth_client"
    assert who["scopes"] == ["district:read", "roster:read"]
    assert [r["role"] for r in who["roles"]] == ["coordinator"]
    assert who["district"]["slug"] == world.district.slug
    integration = Integration.objects.get(pk=made.integration.pk)
    assert integration.last_used_at is not None and integration.last_used_ip == "127.0.0.1"


def test_the_service_account_cannot_sign_in(world: Any) -> None:
    service = _register(world).integration.service_account
    assert not service.has_usable_password()
    assert service.district == world.district and service.email.endswith(".invalid")
    signed_in = Client().post("/accounts/login/", {"login": service.email, "password": ""})
    assert "_auth_user_id" not in signed_in.client.session


def test_the_secret_may_also_be_posted_in_the_body(world: Any) -> None:
    made = _register(world)
    issued = Client().post(TOKEN_URL, {"grant_type": "client_credentials",
                                       "client_id": made.client_id,
                                       "client_secret": made.secret})
    assert issued.status_code == 200
    # No scope asked: every scope the integration holds.
    assert set(issued.json()["scope"].split()) == {"district:read", "roster:read"}


def test_a_token_asked_for_less_carries_less(world: Any) -> None:
    made = _register(world)
    access = _get_token(made.client_id, made.secret, "roster:read").json()["access_token"]
    refused = Client().get("/api/v1/schools",
                           headers={"Authorization": f"Bearer {access}"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "insufficient_scope"


def test_a_wrong_secret_gets_no_token(world: Any) -> None:
    made = _register(world)
    refused = _get_token(made.client_id, made.secret + "x", "roster:read")
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"
    assert "access_token" not in refused.json()


def test_a_scope_the_integration_does_not_hold_is_refused(world: Any) -> None:
    made = _register(world)
    refused = _get_token(made.client_id, made.secret, "roster:read roster:write")
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_scope"


def test_an_unknown_bearer_token_gets_the_envelope(world: Any) -> None:
    refused = _me("not-a-token-of-ours")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthenticated"
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_integration_opens_nothing(world: Any) -> None:
    made = _register(world)
    access = _get_token(made.client_id, made.secret).json()["access_token"]
    assert _me(access).status_code == 200
    oauth.revoke_integration(made.integration, actor=world.people["coordinator"])
    refused = _me(access)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthenticated"
    again = _get_token(made.client_id, made.secret)
    assert again.status_code in (400, 401) and "access_token" not in again.json()
    made.integration.service_account.refresh_from_db()
    assert not made.integration.service_account.is_active


def test_a_closed_service_account_opens_nothing(world: Any) -> None:
    from uptake.accounts.actions import do_deactivate_person

    made = _register(world)
    access = _get_token(made.client_id, made.secret).json()["access_token"]
    do_deactivate_person(actor=world.people["coordinator"],
                         person=made.integration.service_account)
    refused = _me(access)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthenticated"


def test_the_service_account_loses_what_its_role_loses(world: Any) -> None:
    """Its scopes are the ceiling; its current roles decide, as for a person."""
    from uptake.accounts.actions import do_revoke_role

    made = _register(world)
    access = _get_token(made.client_id, made.secret).json()["access_token"]
    headers = {"Authorization": f"Bearer {access}"}
    assert Client().get("/api/v1/schools", headers=headers).status_code == 200
    do_revoke_role(actor=world.people["coordinator"],
                   assignment=made.integration.service_account.roles.get())
    assert Client().get("/api/v1/schools", headers=headers).status_code == 404


def test_a_rotated_secret_ends_the_old_one_and_its_tokens(world: Any) -> None:
    made = _register(world)
    access = _get_token(made.client_id, made.secret).json()["access_token"]
    rotated = oauth.rotate_secret(made.integration, actor=world.people["coordinator"])
    assert rotated.secret != made.secret
    assert _me(access).status_code == 401
    assert _get_token(made.client_id, made.secret).status_code == 401
    fresh = _get_token(made.client_id, rotated.secret).json()["access_token"]
    assert _me(fresh).status_code == 200


@pytest.mark.parametrize(("persona", "message"), [
    ("teacher", "Only a coordinator of the district"),
    ("researcher", "Only a coordinator of the district"),
])
def test_only_a_coordinator_registers_one(world: Any, persona: str, message: str) -> None:
    from uptake.rules import NotAllowed

    with pytest.raises(NotAllowed, match=message):
        oauth.create_integration(world.people[persona], name="X", role="coordinator",
                                 scopes=["roster:read"])
    assert not Integration.objects.exists()


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"name": " "}, "name"),
    ({"scopes": []}, "scopes"),
    ({"scopes": ["roster:read", "nothing:read"]}, "scopes"),
    ({"role": "teacher"}, "role"),
    ({"rate_per_minute": 0}, "rate_per_minute"),
    ({"rate_per_minute": 100000}, "rate_per_minute"),
])
def test_bad_input_is_refused_and_nothing_is_half_saved(world: Any, kwargs: dict[str, Any],
                                                         field: str) -> None:
    from allauth.idp.oidc.models import Client as OAuthClient

    from uptake.accounts.models import User
    from uptake.rules import Invalid

    people = User.objects.count()
    given = {"name": "SIS", "role": "coordinator", "scopes": ["roster:read"], **kwargs}
    with pytest.raises(Invalid) as refused:
        oauth.create_integration(world.people["coordinator"], **given)
    assert refused.value.field == field
    assert User.objects.count() == people and not OAuthClient.objects.exists()


# ----------------------------------------------------------------------------- the pages

def test_a_coordinator_registers_one_on_the_page_and_sees_the_secret_once(
        world: Any, login: Any) -> None:
    client = login(world.people["coordinator"])
    page = client.get(reverse("api_tokens:integration_new")).content.decode()
    key = re.search(rf'name="{FIELD}" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = {"name": "Warehouse", "role": "researcher", "scopes": ["inquiry:read"],
            "rate_per_minute": "30", FIELD: key}
    made = client.post(reverse("api_tokens:integration_new"), data)
    assert made.status_code == 302
    assert client.post(reverse("api_tokens:integration_new"), data)["Location"] \
        == made["Location"]
    integration = Integration.objects.get()
    shown = client.get(made["Location"]).content.decode()
    secret = re.search(r'value="(upc_[^"]+)"', shown).group(1)  # type: ignore[union-attr]
    assert integration.client_id in shown and "grant_type=client_credentials" in shown
    assert _get_token(integration.client_id, secret, "inquiry:read").status_code == 200
    again = client.get(made["Location"]).content.decode()
    assert secret not in again
    listing = client.get(reverse("api_tokens:district")).content.decode()
    assert "Warehouse" in listing and secret not in listing and "30 a minute" in listing


def test_rotating_and_revoking_on_the_page(world: Any, login: Any) -> None:
    made = _register(world)
    client = login(world.people["coordinator"])
    rotate = reverse("api_tokens:integration_rotate", args=[made.integration.pk])
    assert "Make a new secret" in client.get(rotate).content.decode()
    shown = client.get(client.post(rotate)["Location"]).content.decode()
    new_secret = re.search(r'value="(upc_[^"]+)"', shown).group(1)  # type: ignore[union-attr]
    assert new_secret != made.secret
    revoke = reverse("api_tokens:integration_revoke", args=[made.integration.pk])
    client.post(revoke)
    assert "Revoked" in client.get(reverse("api_tokens:integration",
                                           args=[made.integration.pk])).content.decode()
    assert _get_token(made.client_id, new_secret).status_code in (400, 401)


def test_another_district_s_coordinator_cannot_reach_it(world: Any, login: Any) -> None:
    made = _register(world)
    client = login(world.people["other_coordinator"])
    for name in ("integration", "integration_rotate", "integration_revoke"):
        url = reverse(f"api_tokens:{name}", args=[made.integration.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert "SIS roster sync" not in client.get(reverse("api_tokens:district")).content.decode()
    assert Integration.objects.get().revoked_at is None
