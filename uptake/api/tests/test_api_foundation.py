"""The API's foundation, as a data team meets it: one document, one way in, one envelope."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from uptake.api import actions
from uptake.api.models import PersonalToken
from uptake.audit.models import AuditEvent
from uptake.rules import Invalid

pytestmark = pytest.mark.django_db


def _error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "fields", "rows"}
    assert body["error"]["status"] == response.status_code
    return body["error"]


def test_the_openapi_document_is_3_1_and_documents_the_envelope(client: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.1")
    assert "/api/v1/me" in doc["paths"]
    me = doc["paths"]["/api/v1/me"]["get"]
    assert me["responses"]["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"}
    assert "ErrorOut" in doc["components"]["schemas"]
    # Integrations read how to get a token and which scope each operation needs.
    flow = doc["components"]["securitySchemes"]["OAuth2ClientCredentials"]["flows"]
    assert flow["clientCredentials"]["tokenUrl"] == "/oauth/identity/o/api/token"
    upsert = doc["paths"]["/api/v1/measures/{measure_id}/occasions/{date}"]["put"]
    assert {"OAuth2ClientCredentials": ["inquiry:write"]} in upsert["security"]


def test_a_token_acts_as_its_owner(world: Any, api: Any) -> None:
    response = api(world.people["teacher"]).get("/me")
    assert response.status_code == 200
    me = response.json()
    assert me["email"] == "jamie@maple.test" and me["via"] == "personal_token"
    assert [r["role"] for r in me["roles"]] == ["teacher"]
    assert me["roles"][0]["school_name"] == "Cedar Elementary"


def test_no_credential_is_told_how_to_send_one(world: Any, api: Any) -> None:
    response = api(None).get("/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert _error(response)["code"] == "unauthenticated"


@pytest.mark.parametrize("spoil", ["expired", "revoked", "garbage", "other_scheme"])
def test_a_token_that_has_lapsed_opens_nothing(world: Any, api: Any, spoil: str) -> None:
    client = api(world.people["teacher"])
    token = client.token
    if spoil == "expired":
        PersonalToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1))
    elif spoil == "revoked":
        actions.revoke_token(token, actor=world.people["teacher"])
    elif spoil == "garbage":
        client.secret = "upt_" + "x" * 43
    headers = {"Authorization": f"Basic {client.secret}"} if spoil == "other_scheme" else {}
    response = client.get("/me", **headers)
    assert response.status_code == 401
    assert _error(response)["code"] == "unauthenticated"


def test_a_closed_account_s_token_opens_nothing(world: Any, api: Any) -> None:
    client = api(world.people["teacher"])
    world.people["teacher"].is_active = False
    world.people["teacher"].save()
    assert client.get("/me").status_code == 401


def test_the_browser_session_reaches_the_api(world: Any, login: Any) -> None:
    response = login(world.people["coach"]).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["via"] == "session" and response.json()["scopes"] is None


def test_an_unchanged_read_answers_304_to_its_etag(world: Any, api: Any) -> None:
    client = api(world.people["teacher"])
    first = client.get("/me")
    tag = first["ETag"]
    assert tag and first["Cache-Control"] == "private, no-cache"
    again = client.get("/me", **{"If-None-Match": tag})
    assert again.status_code == 304 and again["ETag"] == tag and not again.content
    world.people["teacher"].first_name = "Jay"
    world.people["teacher"].save()
    changed = client.get("/me", **{"If-None-Match": tag})
    assert changed.status_code == 200 and changed["ETag"] != tag


def test_an_unknown_path_answers_404_in_the_envelope(world: Any, api: Any) -> None:
    response = api(world.people["teacher"]).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_the_secret_is_shown_once_and_only_its_digest_is_kept(world: Any) -> None:
    made = actions.create_token(world.people["teacher"], name="Sync",
                                scopes=["inquiry:read"])
    stored = PersonalToken.objects.get(pk=made.token.pk)
    assert made.secret.startswith("upt_") and made.secret not in stored.token
    assert made.secret[:10] == stored.prefix
    event = AuditEvent.objects.get(action="api_token_created")
    assert made.secret not in str(event.summary) + str(event.details)
    assert event.details["scopes"] == ["inquiry:read"]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"name": " "}, "name"),
    ({"scopes": []}, "scopes"),
    ({"scopes": ["inquiry:read", "everything:write"]}, "scopes"),
    ({"expires_at": timezone.now() - timedelta(days=1)}, "expires_at"),
    ({"expires_at": timezone.now() + timedelta(days=400)}, "expires_at"),
])
def test_a_token_is_refused_with_its_reason(world: Any, kwargs: dict[str, Any],
                                           field: str) -> None:
    arguments = {"name": "Sync", "scopes": ["inquiry:read"], **kwargs}
    with pytest.raises(Invalid) as refused:
        actions.create_token(world.people["teacher"], **arguments)
    assert refused.value.field == field
    assert not PersonalToken.objects.exists()


def test_last_use_is_recorded(world: Any, api: Any) -> None:
    client = api(world.people["teacher"])
    client.get("/me")
    token = PersonalToken.objects.get(pk=client.token.pk)
    assert token.last_used_at is not None and token.last_used_ip == "127.0.0.1"
