"""Token secrets never appear in the logs or the audit log: making a personal token on its
page, calling the API with it, registering an integration, getting an OAuth access token,
calling with it, rotating, and failed calls, all logged at DEBUG; neither the secrets nor
the access token appear in any log record or any field of any audit event."""

from __future__ import annotations

import base64
import logging
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from uptake.idempotency import FIELD

pytestmark = pytest.mark.django_db


def _audit_text() -> str:
    from uptake.audit.models import AuditEvent

    rows = AuditEvent.objects.all()
    assert rows.exists()
    return "\n".join(repr(list(row.__dict__.values())) for row in rows)


def test_no_secret_reaches_a_log_or_the_audit_log(world: Any, login: Any,
                                                  caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    teacher = login(world.people["teacher"])
    page = teacher.get(reverse("api_tokens:token_new")).content.decode()
    key = re.search(rf'name="{FIELD}" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    made = teacher.post(reverse("api_tokens:token_new"), {
        "name": "Export", "scopes": ["inquiry:read"], FIELD: key,
        "expires_on": (timezone.localdate() + timedelta(days=9)).isoformat()})
    token_secret = re.search(r'value="(upt_[^"]+)"', teacher.get(  # type: ignore[union-attr]
        made["Location"]).content.decode()).group(1)
    api = Client()
    assert api.get("/api/v1/me",
                   headers={"Authorization": f"Bearer {token_secret}"}).status_code == 200
    assert api.get("/api/v1/schools",  # a failed call: the scope is missing
                   headers={"Authorization": f"Bearer {token_secret}"}).status_code == 403
    assert api.get("/api/v1/me", headers={
        "Authorization": f"Bearer {token_secret[:-2]}xx"}).status_code == 401

    coordinator = login(world.people["coordinator"])
    page = coordinator.get(reverse("api_tokens:integration_new")).content.decode()
    key = re.search(rf'name="{FIELD}" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    made = coordinator.post(reverse("api_tokens:integration_new"), {
        "name": "SIS", "role": "coordinator", "scopes": ["roster:read", "district:read"],
        "rate_per_minute": "60", FIELD: key})
    shown = coordinator.get(made["Location"]).content.decode()
    client_secret = re.search(r'value="(upc_[^"]+)"', shown).group(1)  # type: ignore[union-attr]
    client_id = re.search(r"curl -u ([0-9a-f]+):", shown).group(1)  # type: ignore[union-attr]
    basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
    issued = Client().post("/oauth/identity/o/api/token",
                           {"grant_type": "client_credentials", "scope": "roster:read"},
                           headers={"Authorization": f"Basic {basic}"})
    access_token = issued.json()["access_token"]
    headers = {"Authorization": f"Bearer {access_token}"}
    assert api.get("/api/v1/me", headers=headers).status_code == 200
    assert api.get("/api/v1/schools", headers=headers).status_code == 403
    wrong = base64.b64encode(f"{client_id}:{client_secret}x".encode()).decode()
    assert Client().post("/oauth/identity/o/api/token", {"grant_type": "client_credentials"},
                         headers={"Authorization": f"Basic {wrong}"}).status_code == 401
    rotated = coordinator.post(reverse("api_tokens:integration_rotate",
                                       args=[made["Location"].rstrip("/").split("/")[-1]]))
    new_secret = re.search(r'value="(upc_[^"]+)"', coordinator.get(  # type: ignore[union-attr]
        rotated["Location"]).content.decode()).group(1)

    assert caplog.records, "nothing was logged: the check would prove nothing"
    logged = caplog.text + "\n".join(repr(r.__dict__) for r in caplog.records)
    audit = _audit_text()
    for secret in (token_secret, client_secret, access_token, new_secret):
        assert secret not in logged
        assert secret not in audit
    assert "Export" in audit and "SIS" in audit  # the events are there, without secrets
