"""The one ``NinjaAPI``, assembled from the areas the apps declare (``uptake.registry``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import URLPattern
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.parser import Parser

from uptake import registry
from uptake.api import auth, errors, throttle
from uptake.api.docs import ReferenceDocs
from uptake.api.scopes import SAFE_METHODS, known, scope

VERSION = "1"
DESCRIPTION = """\
Uptake's JSON API: the same people, rules and data as the pages.

**Authentication**: `Authorization: Bearer <token>` with a personal access token (Settings →
API tokens) or an OAuth 2.0 client-credentials token (district integrations); or the browser
session with the `X-CSRFToken` header on writes. A token acts as its owner with her current
roles and only within its scopes (`<area>:read` for GET, `<area>:write` for writes).

**Errors** always look like `{"error": {"status", "code", "message", "fields", "rows"}}`.
**Lists** are cursor-paginated: follow `next` until it is null. **GETs** carry an `ETag`;
send it back in `If-None-Match` for a `304`. **Writes** a sync job repeats take an
`Idempotency-Key` header. Students appear only by pseudonymous ID: names never leave
through the API.
"""

ERROR_STATUSES = {
    "400": "The request could not be used (the envelope's `fields` and `rows` say where).",
    "401": "No credential, or one that is not valid (expired, revoked).",
    "403": "The credential lacks the scope, or the person may not do this.",
    "404": "Not found, or not the caller's to see (the same answer for both).",
    "409": "The object's state does not allow it (already done, changed since).",
    "429": "Too many requests; `Retry-After` says when to try again.",
}


def _unstorable(text: str) -> bool:
    """Text no database column of ours can hold: a NUL (PostgreSQL refuses it in text) or
    a lone UTF-16 surrogate (JSON's ``\\ud800`` escapes; it has no UTF-8 form)."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _has_unstorable_text(data: Any) -> bool:
    pending = [data]  # iterative: a body may nest as deep as the JSON parser allows
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _unstorable(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class JsonObjectParser(Parser):
    """A JSON request body must be an object, as every operation's body schema is, and its
    text must be storable.

    ninja validates a ``Schema`` from any value by reading its attributes (and calling
    them): a body of ``"text"`` would satisfy ``{"title": str}`` with ``"text".title()``,
    and ``[]`` would pass as an empty PATCH. So anything but an object is refused (400).
    Text with a NUL character or a lone surrogate would fail in the database (a 500 on
    PostgreSQL); it is refused here for every operation, and so is a NUL in the query."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        if _has_unstorable_text(data):
            raise ValueError("text must not contain NUL characters or lone surrogates")
        return data

    def parse_querydict(self, data: MultiValueDict[str, Any], list_fields: list[str],
                        request: HttpRequest) -> dict[str, Any]:
        for key, values in data.lists():
            if any(isinstance(v, str) and _unstorable(v) for v in [key, *values]):
                # As a validation error on the parameter, so the envelope names it.
                raise ValidationError([{
                    "loc": ("query", key[:40]), "type": "value_error",
                    "msg": "Contains a character that cannot be stored (NUL)."}])
        return super().parse_querydict(data, list_fields, request)


class UptakeAPI(NinjaAPI):
    def create_response(self, request: HttpRequest, data: Any, *, status: int | None = None,
                        temporal_response: HttpResponse | None = None) -> HttpResponse:
        response = super().create_response(request, data, status=status,
                                           temporal_response=temporal_response)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            tag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
            response["ETag"] = tag
            response["Cache-Control"] = "private, no-cache"
            response["Vary"] = "Authorization, Cookie"
            sent = request.headers.get("If-None-Match", "")
            if tag in [t.strip() for t in sent.split(",")] or sent.strip() == "*":
                not_modified = HttpResponseNotModified()
                for name in ("ETag", "Cache-Control", "Vary"):
                    not_modified[name] = response[name]
                return not_modified
        return response

    def _get_urls(self) -> list[Any]:
        # ninja answers a method a path lacks with a bare text 405; ours is the envelope.
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _enveloped_405(pattern.callback)
        return patterns

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = (
            errors.ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
        defs = schema["components"]["schemas"]["ErrorOut"].pop("$defs", {})
        schema["components"]["schemas"].update(defs)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        _describe_client_credentials(schema)
        for item in schema.get("paths", {}).values():
            for method, operation in item.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                for status, text in ERROR_STATUSES.items():
                    if status == "409" and method == "get":
                        continue
                    operation["responses"].setdefault(status, {"description": text,
                                                               "content": error})
                if method == "get":
                    operation["responses"].setdefault(
                        "304", {"description": "Not modified since the ETag sent in "
                                               "If-None-Match."})
        return schema


def _enveloped_405(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)  # keeps csrf_exempt: ninja checks CSRF itself, for cookie auth only
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
                "application/json"):
            allowed = response.get("Allow", "")
            enveloped = HttpResponse(
                json.dumps(errors.body(405, "method_not_allowed",
                                       f"This path answers only {allowed}.")),
                status=405, content_type="application/json; charset=utf-8")
            enveloped["Allow"] = allowed
            return enveloped
        return response

    return wrapper


def _describe_client_credentials(schema: dict[str, Any]) -> None:
    """Say in the document that district integrations get their bearer token with the
    OAuth 2.0 client-credentials grant (RFC 6749, section 4.4), and which scope each
    operation needs (``<area>:read`` for GET, ``<area>:write`` otherwise)."""
    from django.urls import reverse

    schemes = schema["components"].setdefault("securitySchemes", {})
    schemes["OAuth2ClientCredentials"] = {
        "type": "oauth2",
        "description": "District integrations (registered by a coordinator). Personal "
                       "access tokens carry the same scopes and are sent as BearerAuth.",
        "flows": {"clientCredentials": {
            "tokenUrl": reverse("idp:oidc:token"),
            "scopes": {name: name for name in known()}}}}
    by_label = {area.label: area for area in registry.api_areas}
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "security" not in operation:
                continue
            area = next((by_label[t] for t in operation.get("tags", []) if t in by_label), None)
            if area is None or area.every_token:
                continue
            needed = scope(area.key, method.upper())
            operation["security"] = [*operation["security"],
                                     {"OAuth2ClientCredentials": [needed]}]


def _atomic_writes(func: Callable[..., Any]) -> Callable[..., Any]:
    """A write runs in one transaction: refused or failed, it leaves nothing half-saved."""

    @wraps(func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.method in SAFE_METHODS:
            return func(request, *args, **kwargs)
        with transaction.atomic():
            return func(request, *args, **kwargs)

    return wrapper


def build() -> UptakeAPI:
    api = UptakeAPI(
        title="Uptake API", version=VERSION, description=DESCRIPTION,
        urls_namespace=f"api-{VERSION}", docs_url="/docs", openapi_url="/openapi.json",
        docs=ReferenceDocs(), parser=JsonObjectParser(),
        throttle=[throttle.CredentialThrottle()])
    errors.install(api)
    api.add_decorator(_atomic_writes)
    for area in registry.api_areas:
        api.add_router(area.prefix, area.router, auth=auth.for_area(area.key),
                       tags=[area.label])
    return api
