"""Every JSON endpoint answers a refusal with one envelope:
{"error": {"status", "code", "message", "fields", "rows"}} (docs/architecture.md); the
API answers with the same one (uptake/api/tests)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from uptake.observation.tests.conftest import make_observation
from uptake.rules import Conflict, Invalid
from uptake.views_support import json_error

pytestmark = pytest.mark.django_db


def _sync(client: Any, obs: Any, body: bytes) -> Any:
    return client.post(reverse("observation:tallies", args=[obs.pk]), body,
                       content_type="application/json")


def test_it_answers_a_message_that_is_not_json_with_the_envelope(
        world: Any, login: Any) -> None:
    obs = make_observation(world)
    response = _sync(login(world.people["colleague"]), obs, b"{not json")
    assert response.status_code == 400
    assert response.json() == {"error": {"status": 400, "code": "invalid",
                                         "message": "The message was not valid JSON.",
                                         "fields": {}, "rows": []}}


def test_it_answers_a_closed_observation_as_not_allowed(world: Any, login: Any) -> None:
    obs = make_observation(world, opens=timedelta(hours=-3), closes=timedelta(hours=-1))
    body = json.dumps({"events": [{"id": "a1", "prompt": obs.prompt_id, "delta": 1}]})
    response = _sync(login(world.people["colleague"]), obs, body.encode())
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "not_allowed" and "window closed on" in error["message"]
    assert set(error) == {"status", "code", "message", "fields", "rows"}
    assert error["status"] == 403


def test_it_names_the_field_at_fault_and_the_status_of_the_refusal() -> None:
    response = json_error(Invalid("Give a date.", field="when"))
    assert response.status_code == 400
    assert json.loads(response.content) == {"error": {
        "status": 400, "code": "invalid", "message": "Give a date.",
        "fields": {"when": ["Give a date."]}, "rows": []}}
    assert json_error(Conflict("Already submitted.")).status_code == 409
