"""When the database or the disk fails under a request: a clear answer, never a bare 500.

Two faults are not bugs but the weather of a real deployment, and each has an answer the
person can act on:

- **The database went away** (a restart, a fail-over, a dropped connection, a backend
  killed by an operator; SQLite's lock wait running out): Django raises
  ``OperationalError`` or ``InterfaceError``. Every write of Uptake runs in one
  transaction (the actions), so the database rolled back whatever the request had begun;
  the answer is **503 Service Unavailable** with ``Retry-After``, saying that nothing was
  saved and to send it again.
- **The disk is full** while an upload is received or stored (``OSError`` with
  ``ENOSPC``, or ``EDQUOT`` for a quota): the file was not kept and no row names it; the
  answer is **507 Insufficient Storage**, saying so.

A page gets a page that draws nothing from the database (the database may be the thing
that is down); a JSON client (the API, the observation sync) gets the error envelope every
JSON endpoint uses. Each is logged at ERROR for the operator, with its traceback.

:class:`FaultMiddleware` answers what a view raised; :func:`server_error` (the project's
``handler500``) answers what was raised outside a view (reading an upload in the CSRF
check, saving the session); the API's own handlers call :func:`envelope_for`.
"""

from __future__ import annotations

import errno
import logging
import sys
from collections.abc import Callable, Iterator

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string

from uptake.rules import RuleError
from uptake.views_support import json_error

logger = logging.getLogger("uptake.faults")

RETRY_AFTER_SECONDS = 10

DATABASE_DOWN = ("Uptake could not reach its database just now, so nothing you sent was "
                 "saved. Wait a moment and send it again.")
NO_ROOM = ("The server has no room to store this file just now; nothing was saved; try "
           "again later or tell your coordinator.")


class Unavailable(RuleError):
    """The database could not be reached: nothing was saved; send it again (503)."""

    code = "unavailable"
    status = 503


class NoRoom(RuleError):
    """The disk is full: the upload was not kept (507)."""

    code = "insufficient_storage"
    status = 507


_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and those it was raised from or while handling (each once)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_database_outage(exc: BaseException) -> bool:
    return any(isinstance(e, (OperationalError, InterfaceError)) for e in _chain(exc))


def is_disk_full(exc: BaseException) -> bool:
    return any(isinstance(e, OSError) and e.errno in _DISK_FULL for e in _chain(exc))


def refusal_for(exc: BaseException) -> RuleError | None:
    """What to tell the person about ``exc``, or None when it is not one of these faults."""
    if is_disk_full(exc):
        return NoRoom(NO_ROOM)
    if is_database_outage(exc):
        return Unavailable(DATABASE_DOWN)
    return None


def _log(request: HttpRequest, exc: BaseException, refusal: RuleError) -> None:
    what = "disk full" if isinstance(refusal, NoRoom) else "database unavailable"
    logger.error("%s on %s %s; answered %s", what, request.method, request.path,
                 refusal.status, exc_info=(type(exc), exc, exc.__traceback__))


def _with_retry_after(response: HttpResponseBase) -> HttpResponseBase:
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def envelope_for(request: HttpRequest, exc: BaseException,
                 respond: Callable[[int, dict[str, object]], HttpResponseBase]
                 ) -> HttpResponseBase | None:
    """For a JSON API's own exception handler: the envelope (made by ``respond(status,
    body)``) with Retry-After, or None when ``exc`` is not one of these faults."""
    refusal = refusal_for(exc)
    if refusal is None:
        return None
    _log(request, exc, refusal)
    return _with_retry_after(respond(refusal.status, {"error": refusal.as_error()}))


def wants_json(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/") or "application/json" in (
        request.META.get("CONTENT_TYPE", "") + request.META.get("HTTP_ACCEPT", ""))


def fault_response(request: HttpRequest, exc: BaseException) -> HttpResponseBase | None:
    """The 503 or 507 answer to ``exc`` (logged), or None when it is another error."""
    refusal = refusal_for(exc)
    if refusal is None:
        return None
    _log(request, exc, refusal)
    response: HttpResponseBase
    if wants_json(request):
        response = json_error(refusal)
    else:
        # No request context: the context processors would query the database.
        response = HttpResponse(render_to_string(f"{refusal.status}.html",
                                                 {"message": refusal.message}),
                                status=refusal.status)
    return _with_retry_after(response)


class FaultMiddleware:
    """Answers a database outage or a full disk raised by a view (module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest,
                          exception: Exception) -> HttpResponseBase | None:
        return fault_response(request, exception)


def server_error(request: HttpRequest) -> HttpResponseBase:
    """``handler500``: a fault raised outside a view gets its own answer; anything else the
    plain 500 page (drawn without the database)."""
    exc = sys.exception()
    answered = fault_response(request, exc) if exc is not None else None
    if answered is not None:
        return answered
    return HttpResponse(render_to_string("500.html"), status=500)
