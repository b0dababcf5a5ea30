"""Sign-in throttling per address holds across gunicorn workers and restarts.

allauth counts failed sign-ins per address in Django's cache. With no CACHES setting that
was each process's own memory: four workers let four times as many guesses through, and
a restart forgot them all. The default cache is now a table in the database (Redis when
configured), which every process shares and which outlives a restart.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.urls import reverse

from conftest import PASSWORD
from uptake.operations.apps import create_cache_table

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
GUESSER = "203.0.113.7"  # documentation address (RFC 5737)


@pytest.fixture(autouse=True)
def _three_failures_an_hour(settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/h/ip"}


def _as_a_new_process() -> None:
    """What another gunicorn worker, or the same one after a restart, starts with: a cache
    object of its own and none of this process's memory."""
    del caches["default"]
    for memory in ("_caches", "_expire_info", "_locks"):  # module-level: shared per process
        getattr(locmem, memory).clear()


def _sign_in(client: Any, email: str, password: str) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password},
                       REMOTE_ADDR=GUESSER)


def _throttled(response: Any) -> bool:
    return "Too many failed login attempts" in response.content.decode()


def test_it_counts_guesses_from_one_address_across_processes(world, client):
    for guess, email in enumerate(["a@maple.test", "b@maple.test", "c@maple.test"]):
        assert not _throttled(_sign_in(client, email, f"wrong-{guess}"))
        _as_a_new_process()

    response = _sign_in(client, "d@maple.test", "wrong-again")

    assert _throttled(response)


def test_it_remembers_the_guesses_after_a_restart(world, client):
    for guess in range(3):
        _sign_in(client, world.people["teacher"].email, f"wrong-{guess}")

    _as_a_new_process()
    response = _sign_in(client, world.people["teacher"].email, PASSWORD)

    assert _throttled(response)
    assert "_auth_user_id" not in client.session


def test_it_lets_the_right_password_in_when_nobody_guessed(world, client):
    response = _sign_in(client, world.people["teacher"].email, PASSWORD)

    assert response.status_code == 302
    assert not _throttled(response)


def test_it_keeps_the_cache_in_a_database_table_that_migrate_creates():
    from django.db import connection

    assert caches["default"].__class__.__name__ == "DatabaseCache"
    assert "uptake_cache" in connection.introspection.table_names()
    create_cache_table(using="default", verbosity=0)  # again: nothing to do, no error


@pytest.mark.parametrize(("variable", "url"), [
    ("REDIS_URL", "redis://cache.district.internal:6379/0"),
    ("CACHE_URL", "rediss://cache.district.internal:6380/1"),
])
def test_it_uses_redis_when_a_redis_url_is_given(variable: str, url: str) -> None:
    code = ("import uptake.settings as s; c = s.CACHES['default']; "
            "print(c['BACKEND'], c['LOCATION'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=False,
                            env={"UPTAKE_TESTING": "1", variable: url, "PATH": "/usr/bin:/bin"})
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", url]


def test_it_refuses_a_cache_url_it_cannot_use() -> None:
    result = subprocess.run([sys.executable, "-c", "import uptake.settings"], cwd=ROOT,
                            capture_output=True, text=True, check=False,
                            env={"UPTAKE_TESTING": "1", "CACHE_URL": "memcached://x:11211",
                                 "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "REDIS_URL / CACHE_URL must be a redis://" in result.stderr


def test_it_has_a_redis_client_for_the_redis_cache() -> None:
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache("redis://cache.district.internal:6379/0", {})
    client = cache._cache.get_client(write=True)  # builds the client; connects only on use

    assert client.connection_pool.connection_kwargs["host"] == "cache.district.internal"
