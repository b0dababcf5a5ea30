"""Eight identical POSTs of a creation form, sent at the same moment with the form's
idempotency key, create one inquiry (and one team), and every one of them is sent to it.
Real threads against the real database (transactional test), as a double click or a
resending phone would arrive."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from uptake.inquiry.models import Inquiry, Team

pytestmark = pytest.mark.django_db(transaction=True)
SENDERS = 8


@pytest.fixture
def database_on_disk(world: Any, tmp_path: Path) -> Iterator[None]:
    """SQLite's in-memory test database shares one cache between connections, where a
    second writer fails at once ("table is locked") instead of waiting its turn as it does
    on a file. So on SQLite the threads work on a copy on disk, made after ``world``, with
    the production connection options (WAL, immediate transactions, a busy timeout);
    PostgreSQL runs against the test database itself."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():  # type: ignore[attr-defined]
        yield
        return
    copy = sqlite3.connect(tmp_path / "test.sqlite3")
    connection.ensure_connection()
    connection.connection.backup(copy)
    copy.close()
    # The in-memory database lives as long as a connection to it is open: keep this one
    # aside (closing it would destroy the database) and connect anew, to the copy.
    in_memory, kept = connection.settings_dict["NAME"], connection.connection
    connection.connection = None
    connection.settings_dict["NAME"] = str(tmp_path / "test.sqlite3")
    try:
        yield
    finally:
        if connection.connection is not None:
            connection.connection.close()
        connection.connection = kept
        connection.settings_dict["NAME"] = in_memory


def _key(page: str) -> str:
    found = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert found, "the form carries no idempotency key"
    return found.group(1)


def _at_once(user: Any, url: str, data: dict[str, Any]) -> list[Any]:
    """POST ``data`` from SENDERS threads released together; each thread has its own
    client (its own session) and its own database connection."""
    barrier = threading.Barrier(SENDERS, timeout=60)
    responses: list[Any] = [None] * SENDERS
    clients = [Client() for _ in range(SENDERS)]
    for client in clients:  # signed in here, so the threads do nothing but send
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    def send(i: int) -> None:
        try:
            barrier.wait()
            responses[i] = clients[i].post(url, data)
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            responses[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(SENDERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return responses


def _inquiry_page() -> str:
    return reverse("inquiry:detail", args=[Inquiry.objects.get().pk])


@pytest.mark.parametrize(("name", "data", "model", "sent_to"), [
    ("inquiry:create", {"title": "Math talk", "status": "active"}, Inquiry, _inquiry_page),
    ("inquiry:teams", {"name": "Grade 3 PLC", "kind": "plc"}, Team,
     lambda: reverse("inquiry:teams")),
], ids=["inquiry", "team"])
def test_it_creates_one_row_from_eight_identical_posts(
        world: Any, login: Any, database_on_disk: None, name: str, data: dict[str, str],
        model: Any, sent_to: Callable[[], str]) -> None:
    teacher = world.people["teacher"]
    url = reverse(name)
    key = _key(login(teacher).get(url).content.decode())
    responses = _at_once(teacher, url, {**data, "idempotency_key": key})
    assert model.objects.count() == 1
    problems = [r for r in responses if getattr(r, "status_code", None) != 302]
    assert not problems, problems
    assert {r["Location"] for r in responses} == {sent_to()}
