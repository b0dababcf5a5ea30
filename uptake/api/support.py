"""What an app's ``api.py`` uses: routers, the caller, pagination, ETags' partner
(idempotency keys), and the schemas of the envelope.

    from ninja import Router, Schema
    from uptake.api import support

    router = Router(tags=["Inquiries"])

    @router.get("/", response=list[InquiryOut])
    @support.paginate()
    def list_inquiries(request, school: int | None = None):
        me = support.me(request)
        return access.visible_inquiries(me).filter(...)

    @router.put("/{measure_id}/occasions/{when}", response=OccasionOut)
    @support.idempotent
    def upsert_occasion(request, measure_id: int, when: date, payload: OccasionIn): ...

Errors: raise the app's ``RuleError`` subclasses (or ``Http404``) exactly as an action does;
the API turns them into the envelope (:mod:`uptake.api.errors`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja.decorators import decorate_view
from ninja.pagination import CursorPagination
from ninja.pagination import paginate as ninja_paginate

from uptake.api.auth import Principal, principal
from uptake.api.errors import ErrorOut, body

if TYPE_CHECKING:
    from uptake.accounts.models import User

__all__ = ["MAX_ID", "Cursor", "ErrorOut", "Principal", "idempotent", "me", "paginate", "principal",
           "student_read_label", "where"]

# The largest id a database holds: an id filter or path id past it is refused (400), not
# looked up (SQLite raises OverflowError, PostgreSQL a DataError).
MAX_ID = 2**63 - 1
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def me(request: HttpRequest) -> User:
    """The person (or integration's service account) the request acts for."""
    return principal(request).user


def student_read_label(request: HttpRequest) -> str:
    """How the audit log names the credential that read student data."""
    return principal(request).label


class Cursor(CursorPagination):
    """Opaque cursors over a stable order: ``?cursor=…&page_size=…`` in, ``{"results",
    "next", "previous"}`` out, ``next``/``previous`` being full URLs or null."""

    def __init__(self, *, ordering: tuple[str, ...] = ("pk",), page_size: int = PAGE_SIZE,
                 max_page_size: int = MAX_PAGE_SIZE, **kwargs: Any) -> None:
        super().__init__(ordering=ordering, page_size=page_size,
                         max_page_size=max_page_size, **kwargs)


def paginate(ordering: tuple[str, ...] = ("pk",), page_size: int = PAGE_SIZE
             ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Cursor-paginate a list operation returning a queryset, in ``ordering`` (its first
    field decides the cursor's position; end it with ``pk`` where the first can tie)."""
    wrap = ninja_paginate(Cursor, ordering=ordering, page_size=page_size)

    def apply(func: Callable[..., Any]) -> Callable[..., Any]:
        _resolve_annotations(func)
        return wrap(func)

    return apply


def _resolve_annotations(func: Callable[..., Any]) -> None:
    """Evaluate a module's postponed annotations (``from __future__ import annotations``)
    in the operation's own module: ninja's paginate wrapper lives in ninja.pagination, so
    ninja would look ``date`` or ``datetime`` up there and fail to build the query schema.
    A name only imported for type checking (``HttpRequest``) stays a string."""
    hints = getattr(func, "__annotations__", {})
    for name, hint in list(hints.items()):
        if isinstance(hint, str):
            with contextlib.suppress(NameError):  # the module's own annotation text
                hints[name] = eval(hint, func.__globals__)  # noqa: S307


def where[Q: QuerySet[Any]](queryset: Q, **lookups: Any) -> Q:
    """The queryset filtered by each lookup whose value was given: a list operation's
    optional filters (``school=None`` means "any school")::

        return support.where(sources, kind=kind, learned_on__gte=date_from,
                             updated_at__gte=updated_since)
    """
    given = {lookup: value for lookup, value in lookups.items() if value is not None}
    return queryset.filter(**given) if given else queryset


# ------------------------------------------------------------------- idempotency keys

IDEMPOTENCY_HEADER = "Idempotency-Key"
REMEMBER_SECONDS = 24 * 60 * 60
CLAIM_SECONDS = 120
WAIT_SECONDS = 30.0
_PENDING = "pending"


def _credential(request: HttpRequest) -> str:
    """Whose key it is: the bearer token or the session, hashed (never stored as sent)."""
    raw = request.headers.get("Authorization", "") or request.COOKIES.get("sessionid", "")
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _replay(stored: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(stored["content"].encode(), status=stored["status"],
                            content_type=stored["content_type"])
    response["Idempotent-Replayed"] = "true"
    return response


def _refuse(status: int, code: str, message: str) -> HttpResponse:
    response = HttpResponse(json.dumps(body(status, code, message)), status=status,
                            content_type="application/json; charset=utf-8")
    if status == 409:
        response["Retry-After"] = "5"
    return response


def _idempotent_run(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.headers.get(IDEMPOTENCY_HEADER, "")
        if not key:
            return run(request, *args, **kwargs)
        if len(key) > 200:
            return _refuse(400, "invalid", "An Idempotency-Key is at most 200 characters.")
        digest = hashlib.sha256(request.body).hexdigest()
        slot = "api-idem:" + hashlib.sha256(
            f"{_credential(request)}|{request.method}|{request.path}|{key}".encode()
        ).hexdigest()
        deadline = time.monotonic() + WAIT_SECONDS
        while not cache.add(slot, _PENDING, CLAIM_SECONDS):
            stored = cache.get(slot)
            if isinstance(stored, dict):
                if stored["body"] != digest:
                    return _refuse(422, "idempotency_key_reused",
                                   "This Idempotency-Key was used with a different body; "
                                   "use a new key for a different request.")
                return _replay(stored)
            if stored == _PENDING and time.monotonic() > deadline:
                return _refuse(409, "in_progress", "A request with this Idempotency-Key is "
                                                   "still being processed; retry shortly.")
            time.sleep(0.05)
        try:
            response = run(request, *args, **kwargs)
        except BaseException:
            cache.delete(slot)
            raise
        if 200 <= response.status_code < 300:
            cache.set(slot, {"body": digest, "status": response.status_code,
                             "content": response.content.decode(),
                             "content_type": response["Content-Type"]}, REMEMBER_SECONDS)
        else:
            cache.delete(slot)  # nothing was done: the corrected request may reuse the key
        return response

    return wrapper


def idempotent[F: Callable[..., Any]](operation: F) -> F:
    """Let a client send ``Idempotency-Key: <its own unique string>`` with a write: the
    first request with a key runs; a repeat with the same key and body (a retry after a
    timeout) gets the first answer again, marked ``Idempotent-Replayed: true``, without
    running anything twice; the same key with another body is refused (422). Keys are kept
    a day, per credential and URL. Without the header the write runs as usual."""
    return decorate_view(_idempotent_run)(operation)
