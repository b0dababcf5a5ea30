"""The API's one error envelope, for every error it can give.

``{"error": {"status": 404, "code": "not_found", "message": "...", "fields": {},
"rows": []}}``; the same body every JSON endpoint of Uptake answers a refusal with
(``uptake.rules.ErrorBody``). ``fields`` maps a field (for a request body, its dotted path:
``values.3.value``) to its messages; ``rows`` lists, for a file or a list that was sent,
each row (or item) at fault with its column. Codes are stable; messages are for people.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from uptake.api.auth import InsufficientScope
from uptake.operations import faults
from uptake.rules import RuleError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("uptake.api")

CODES = {400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large",
         415: "unsupported_media_type", 422: "invalid", 429: "rate_limited",
         500: "server_error"}


class RowOut(Schema):
    row: int | None
    column: str
    message: str


class ErrorBodyOut(Schema):
    status: int
    code: str
    message: str
    fields: dict[str, list[str]]
    rows: list[RowOut]


class ErrorOut(Schema):
    """Every error the API gives."""

    error: ErrorBodyOut


def body(status: int, code: str, message: str, *, fields: dict[str, list[str]] | None = None,
         rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message,
                      "fields": fields or {}, "rows": rows or []}}


def _field_name(loc: Any) -> str:
    parts = [str(p) for p in loc]
    # ninja puts where the value came from first ("body", "query", "path"); then, for a
    # body, the parameter's own name ("payload"), which the client never sent.
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        source = parts.pop(0)
        if source == "body" and len(parts) > 1:
            parts.pop(0)
    return ".".join(parts) or "body"


def install(api: NinjaAPI) -> None:
    """Answer every error of ``api`` with the envelope."""

    def respond(request: HttpRequest, status: int, payload: dict[str, Any],
                headers: dict[str, str] | None = None) -> HttpResponse:
        response = api.create_response(request, payload, status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    def on_rule(request: HttpRequest, exc: RuleError) -> HttpResponse:
        return respond(request, exc.status, {"error": exc.as_error()})

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ())), []).append(
                str(error.get("msg", "Not valid.")))
        names = ", ".join(sorted(fields))
        return respond(request, 400, body(
            400, "invalid", f"The request could not be used: check {names}.", fields=fields))

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, body(404, "not_found", "Not found, or not yours to see."))

    def on_forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 403, body(403, "forbidden", str(exc) or "Not allowed."))

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = str(exc)
        if message in ("", "Unauthorized"):
            message = ("Sign in, or send a token: “Authorization: Bearer <token>” "
                       "(docs/api.md).")
        return respond(request, 401, body(401, "unauthenticated", message),
                       {"WWW-Authenticate": 'Bearer realm="uptake"'})

    def on_scope(request: HttpRequest, exc: InsufficientScope) -> HttpResponse:
        return respond(request, 403, body(403, "insufficient_scope", str(exc)),
                       {"WWW-Authenticate": f'Bearer error="insufficient_scope", '
                                            f'scope="{exc.needed}"'})

    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = int(exc.wait or 1)
        return respond(request, 429, body(
            429, "rate_limited", f"Too many requests; try again in {wait} seconds."),
            {"Retry-After": str(wait)})

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        message = str(exc)
        code = CODES.get(status, "error")
        if "CSRF" in message:
            code, message = "csrf_failed", ("The CSRF check failed: a browser session must "
                                            "send the X-CSRFToken header on writes.")
        return respond(request, status, body(status, code, message))

    def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        # SQLite cannot compare a number past 64 bits (PostgreSQL finds nothing); an
        # operation should bound its numbers (Field(le=...)), and this catches the rest.
        return respond(request, 400, body(
            400, "invalid", "A number in the request is too large; nothing was saved."))

    def on_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A dropped database connection or a full disk: 503/507, "nothing was saved".
        fault = faults.envelope_for(
            request, exc, lambda status, payload: respond(request, status, payload))
        if fault is not None:
            return fault  # type: ignore[return-value]
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, body(
            500, "server_error", "Something went wrong on our side; nothing was saved. "
                                 "Try again, and tell us if it keeps happening."))

    # ninja's stub types a handler's exception as "the class or an instance"; ours take
    # the instance, which is what ninja passes.
    handlers: list[tuple[type[Exception], Any]] = [
        (RuleError, on_rule), (ValidationError, on_validation), (Http404, on_not_found),
        (ObjectDoesNotExist, on_not_found), (PermissionDenied, on_forbidden),
        (InsufficientScope, on_scope), (AuthenticationError, on_authentication),
        (Throttled, on_throttled), (HttpError, on_http_error), (OverflowError, on_overflow),
        (Exception, on_error)]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
