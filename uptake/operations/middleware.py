"""Refuse request bodies larger than their URL allows, before anything reads them.

Django reads an upload only when a view (or the CSRF check) first touches ``request.POST``,
and then spools every byte to a temporary file: a 300 MB body sent to a 5 MB import was
received whole before the form said no. This middleware runs first and answers
413 Request Entity Too Large from the ``Content-Length`` header alone. Should a body still
grow past the limit while it is read (a server that hands over an unbounded stream), the
read stops there and the answer is the same 413.

Limits come from settings: ``REQUEST_MAX_BYTES_BY_URL`` by URL name for the pages that
take a file, ``REQUEST_MAX_BYTES`` for everything else. The proxy in front should refuse
earlier still (nginx ``client_max_body_size``, docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

from uptake.operations.faults import wants_json as _wants_json
from uptake.rules import RuleError
from uptake.views_support import json_error

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def body_limit(path_info: str) -> int:
    """The most bytes a request body to this path may have."""
    try:
        name = resolve(path_info).view_name
    except Resolver404:
        return int(settings.REQUEST_MAX_BYTES)
    return int(settings.REQUEST_MAX_BYTES_BY_URL.get(name, settings.REQUEST_MAX_BYTES))


def declared_length(request: HttpRequest) -> int | None:
    """The body's length as the client declared it; None when absent or not a number."""
    raw = request.META.get("CONTENT_LENGTH")
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


class _CappedStream:
    """Reads from ``stream`` until ``limit`` bytes have gone by, then refuses to go on."""

    def __init__(self, stream: Any, limit: int, on_overflow: Callable[[], None]) -> None:
        self.stream, self.limit, self.seen = stream, limit, 0
        self.on_overflow = on_overflow

    def _count(self, data: bytes) -> bytes:
        self.seen += len(data)
        if self.seen > self.limit:
            self.on_overflow()
            raise RequestDataTooBig(f"Request body over {self.limit} bytes")
        return data

    def read(self, size: int | None = -1) -> bytes:
        return self._count(self.stream.read(size))

    def readline(self, size: int | None = -1) -> bytes:
        return self._count(self.stream.readline(size))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in _BODY_METHODS:
            return self.get_response(request)
        limit = body_limit(request.path_info)
        length = declared_length(request)
        if length is not None and length > limit:
            return too_large(request, limit)
        overflowed: list[bool] = []
        stream = getattr(request, "_stream", None)
        if stream is not None:
            request._stream = _CappedStream(  # type: ignore[assignment]
                stream, limit, lambda: overflowed.append(True))
        try:
            response = self.get_response(request)
        except RequestDataTooBig:
            if not overflowed:
                raise
        return too_large(request, limit) if overflowed else response


class TooLarge(RuleError):
    """A request body past its page's limit (413)."""

    code = "too_large"
    status = 413


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """413 saying what the limit is, as a page or, to a JSON client, in the error envelope
    every JSON endpoint uses; the connection is closed after it."""
    response: HttpResponse
    if _wants_json(request):
        response = json_error(TooLarge(
            f"The message is larger than the {_megabytes(limit)} this accepts."))
    else:
        response = HttpResponse(render_to_string("operations/request_too_large.html",
                                                 {"limit_mb": _megabytes(limit)}), status=413)
    # The client may still be sending; the rest of its body is not worth reading.
    response["Connection"] = "close"
    return response


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"
