"""Faults made on purpose for the fault tests (tests/test_faults_*.py).

- :func:`connection_drops` drops the database connection at the n-th statement a write
  runs inside its transaction: on PostgreSQL it shuts the connection's socket (or has
  another session ``pg_terminate_backend`` it), so the driver itself fails as it would in
  production; on SQLite, which has no connection to lose, the statement raises the
  ``OperationalError`` (or ``InterfaceError``) Django would.
- :func:`every_drop` posts a form again and again, dropping the connection at each
  statement in turn, until one sending runs to the end without a drop.
- :func:`database_state` is every row of every table, to compare before and after.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import InterfaceError, OperationalError, connection

# Tables that a dropped request may change without saving anything a person sent: the
# session and cache tables (the idempotency key is released there), sign-in bookkeeping,
# when an API credential was last used (written as it is checked, before the operation).
NOT_COMPARED = frozenset({"sessions.Session", "axes.AccessLog", "axes.AccessAttempt",
                          "axes.AccessFailureLog", "api.PersonalToken", "api.Integration"})
_BOOKKEEPING_SQL = ("uptake_cache", "django_session", "axes_")

ON_POSTGRES = connection.vendor == "postgresql"


def database_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model's table (the ones above aside), in key order."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if label in NOT_COMPARED or not model._meta.managed:
            continue
        state[label] = [tuple(map(repr, row)) for row in
                        model._base_manager.order_by("pk").values_list()]
    return state


def changed_tables(before: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    after = database_state()
    return sorted(label for label in after if after[label] != before.get(label))


def _shut_socket() -> None:
    """Close the connection under the driver's feet: the server sees the client go away
    and rolls its transaction back; the driver's next read or write fails."""
    raw = connection.connection
    fd = raw.pgconn.socket
    dup = socket.socket(fileno=os.dup(fd))
    try:
        dup.shutdown(socket.SHUT_RDWR)
    finally:
        dup.close()


def _terminate_backend() -> None:
    """An operator (or a fail-over) ends this session from another connection."""
    import psycopg

    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@dataclass
class Drop:
    at: int
    how: str = "socket"  # PostgreSQL: "socket" or "terminate"; SQLite: the error raised
    seen: int = 0
    fired: bool = False
    statements: list[str] = field(default_factory=list)


def _break(drop: Drop) -> None:
    if connection.vendor == "postgresql":
        (_terminate_backend if drop.how == "terminate" else _shut_socket)()
        return
    error = InterfaceError if drop.how == "interface" else OperationalError
    raise error("the connection to the database was lost")


def _in_the_cache() -> bool:
    """Whether the statement comes from the database cache (its own savepoints included):
    bookkeeping like the cache table's statements, and a write the cache lets fail quietly
    (Django's ``DatabaseCache`` swallows a ``DatabaseError`` on set), so a drop there
    would test Django's cache, not the write being sent."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.endswith(os.path.join("cache", "backends", "db.py")):
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def connection_drops(at: int, *, how: str = "socket", ignoring: tuple[str, ...] = (),
                     once_seen: str = "") -> Iterator[Drop]:
    """Drop the connection just before the ``at``-th statement run inside a transaction
    (not counting the session and cache tables' own, nor those naming ``ignoring``; with
    ``once_seen``, counting from the first statement containing it on)."""
    drop = Drop(at=at, how=how)
    skipped = (*_BOOKKEEPING_SQL, *ignoring)
    armed = [not once_seen]

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool,
                context: Any) -> Any:
        armed[0] = armed[0] or once_seen in sql
        if (armed[0] and not drop.fired and connection.in_atomic_block
                and not any(name in sql for name in skipped) and not _in_the_cache()):
            drop.seen += 1
            drop.statements.append(sql[:80])
            if drop.seen == at:
                drop.fired = True
                _break(drop)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield drop


DROPPED_PAGE = "nothing you sent was saved"


def assert_told_to_retry(response: Any, *, as_json: bool = False) -> None:
    assert response.status_code == 503, response.content[:2000]
    assert int(response["Retry-After"]) > 0
    if as_json:
        error = json.loads(response.content)["error"]
        assert set(error) == {"status", "code", "message", "fields", "rows"}
        assert (error["status"], error["code"]) == (503, "unavailable")
        assert "nothing you sent was saved" in error["message"]
    else:
        page = response.content.decode()
        assert DROPPED_PAGE in page and "try again" in page.lower()


def every_drop(send: Callable[[], Any], *, how: str = "socket", as_json: bool = False,
               stride: int = 1) -> tuple[Any, int]:
    """Send, dropping the connection at statement 1, 1 + stride, ... of its transactions,
    each time checking that the person is told to retry and that nothing at all was saved;
    returns the first sending that ran without a drop (the retry that went through) and
    how many drops were tried."""
    at, drops = 1, 0
    while True:
        before = database_state()
        with connection_drops(at, how=how) as drop:
            response = send()
        if not drop.fired:
            assert drops, "the sending ran no statement inside a transaction"
            return response, drops
        drops += 1
        assert_told_to_retry(response, as_json=as_json)
        changed = changed_tables(before)
        assert changed == [], (
            f"{changed} half-saved after a drop at statement {at}: {drop.statements[-1]}")
        at += stride
