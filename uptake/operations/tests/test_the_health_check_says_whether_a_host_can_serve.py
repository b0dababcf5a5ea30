"""``/healthz`` tells the proxy and the monitor whether this host can serve, and nothing else."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from uptake.operations.models import WorkerLease

pytestmark = pytest.mark.django_db


def _get(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, json.loads(response.content)


def test_a_host_whose_database_and_cache_answer_is_healthy_without_signing_in() -> None:
    client = Client()
    status, body = _get(client)
    assert status == 200
    assert body == {"status": "ok", "database": "ok", "cache": "ok", "workers": 0}
    assert "sessionid" not in client.cookies, "a probe every few seconds must make no session"


def test_it_counts_the_workers_that_held_their_lease_lately_and_not_the_lost_ones() -> None:
    now = timezone.now()
    WorkerLease.objects.create(worker_id="w-live", machine="elsewhere", pid=1,
                               started_at=now, seen_at=now)
    WorkerLease.objects.create(worker_id="w-lost", machine="elsewhere", pid=2,
                               started_at=now - timedelta(days=1),
                               seen_at=now - timedelta(days=1))
    assert _get(Client()) == (200, {"status": "ok", "database": "ok", "cache": "ok",
                                    "workers": 1})


def test_a_host_that_cannot_reach_its_database_answers_503_so_the_proxy_skips_it() -> None:
    def down(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    client = Client()
    with connection.execute_wrapper(down):
        status, body = _get(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["database"] == "unavailable"
    assert body["workers"] is None


def test_a_shared_cache_that_does_not_answer_is_said_but_keeps_the_host_in_the_pool(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache import caches

    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(caches["default"], "get", down)
    assert _get(Client()) == (200, {"status": "degraded", "database": "ok",
                                    "cache": "unavailable", "workers": 0})


def test_the_probe_is_not_redirected_to_https_in_production(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/accounts/login/").status_code == 301
