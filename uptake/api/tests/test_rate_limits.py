"""Rate limits: a personal token may make API_TOKEN_RATE_PER_MINUTE requests a minute, an
integration its own limit; the next gets 429 in the envelope with Retry-After, and the
next minute it is served again. Each credential counts alone; the browser is not limited."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from uptake.api import oauth

pytestmark = pytest.mark.django_db

START = datetime(2026, 10, 5, 9, 0, 10).astimezone()


@pytest.fixture(autouse=True)
def _own_cache(settings: Any) -> None:
    """A cache whose clock is the test's (Redis keeps its own), fresh for each test."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"rate-limits-{id(settings)}"}}


def test_a_personal_token_is_limited_then_served_after_the_window(
        world: Any, api: Any, settings: Any) -> None:
    settings.API_TOKEN_RATE_PER_MINUTE = 3
    caller = api(world.people["teacher"], ["inquiry:read"])
    with time_machine.travel(START, tick=False) as clock:
        assert [caller.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
        refused = caller.get("/api/v1/me")
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limited"
        assert refused["Retry-After"] == "50"
        assert "try again in 50 seconds" in refused.json()["error"]["message"]
        clock.shift(timedelta(seconds=50))
        assert caller.get("/api/v1/me").status_code == 200


def test_each_token_counts_alone(world: Any, api: Any, settings: Any) -> None:
    settings.API_TOKEN_RATE_PER_MINUTE = 1
    first = api(world.people["teacher"], ["inquiry:read"])
    second = api(world.people["teacher"], ["inquiry:read"])
    with time_machine.travel(START, tick=False):
        assert first.get("/api/v1/me").status_code == 200
        assert first.get("/api/v1/me").status_code == 429
        assert second.get("/api/v1/me").status_code == 200


def test_an_integration_has_its_own_limit(world: Any, settings: Any) -> None:
    settings.API_TOKEN_RATE_PER_MINUTE = 1000
    made = oauth.create_integration(world.people["coordinator"], name="Sync",
                                    role="coordinator", scopes=["roster:read"],
                                    rate_per_minute=2)
    basic = base64.b64encode(f"{made.client_id}:{made.secret}".encode()).decode()
    with time_machine.travel(START, tick=False) as clock:
        issued = Client().post("/oauth/identity/o/api/token",
                               {"grant_type": "client_credentials"},
                               headers={"Authorization": f"Basic {basic}"})
        headers = {"Authorization": f"Bearer {issued.json()['access_token']}"}
        codes = [Client().get("/api/v1/me", headers=headers).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        clock.shift(timedelta(minutes=1))
        assert Client().get("/api/v1/me", headers=headers).status_code == 200


def test_a_refused_credential_is_not_counted(world: Any, api: Any, settings: Any) -> None:
    settings.API_TOKEN_RATE_PER_MINUTE = 1
    caller = api(world.people["teacher"], ["inquiry:read"])
    with time_machine.travel(START, tick=False):
        assert caller.get("/api/v1/schools").status_code == 403  # lacks district:read
        assert caller.get("/api/v1/me").status_code == 200


def test_the_browser_session_is_not_limited(world: Any, login: Any, settings: Any) -> None:
    settings.API_TOKEN_RATE_PER_MINUTE = 1
    client = login(world.people["teacher"])
    with time_machine.travel(START, tick=False):
        assert [client.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
