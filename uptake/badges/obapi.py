"""The Open Badges 3.0 REST API (1EdTech Open Badges Specification 3.0, section 6 "Open
Badges API"), at ``/ims/ob/v3p0/``: what a badge host or a learner's wallet calls, with the
educator's consent, to collect her credentials.

- ``GET discovery``: the Service Description Document (an OpenAPI 3.0 document with the
  ``x-imssf-*`` fields the specification asks for), public.
- ``GET credentials?limit=&offset=&since=``: her credentials as a
  GetOpenBadgeCredentialsResponse: each signed credential in ``credential`` (its embedded
  eddsa-rdfc-2022 proof) and, when the issuer also signed a VC-JWT, that JWT in
  ``compactJwsString``; ``X-Total-Count`` and RFC 8288 ``Link`` headers for paging.
  Scope ``…/scope/credential.readonly``.
- ``GET profile``: whom the token acts for (``id``, ``type``, ``name``). Scope
  ``…/scope/profile.readonly``.

Only reading: Uptake issues its own credentials and hosts nobody else's, so
``credential.upsert`` and ``profile.update`` are not offered (``POST credentials`` and
``PUT profile`` answer 405).

**Tokens** come from the OAuth 2.0 authorization-code grant (RFC 6749, section 4.1, with
PKCE, RFC 7636) of ``allauth.idp.oidc``, Uptake's authorization server: the educator signs
in, sees the consent screen, and the client exchanges the code at the token endpoint. Only
clients a district coordinator registered for this API are accepted
(``actions.do_register_api_client``, or ``manage.py openbadges_client``); their tokens act
for the educator who consented, for this API only (the JSON API at ``/api/v1`` refuses
them), and only while her account is open and she works in the client's district.

Every refusal is an ``Imsx_StatusInfo`` (``imsx_codeMajor: failure``); a missing or dead
token is 401 with ``WWW-Authenticate: Bearer``, a token without the scope 403.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import wraps
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from uptake.accounts.access import ANONYMOUS, allow
from uptake.badges import keystore
from uptake.badges.models import Badge

if TYPE_CHECKING:
    from uptake.accounts.models import User

SCOPE_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
CREDENTIAL_READ = SCOPE_BASE + "credential.readonly"
PROFILE_READ = SCOPE_BASE + "profile.readonly"
# The scopes a client may ask for (the read ones of the specification's four).
SCOPES = {
    CREDENTIAL_READ: "Permission to read AchievementCredentials for the authenticated entity.",
    PROFILE_READ: "Permission to read the profile for the authenticated entity.",
}
PREFIX = "/ims/ob/v3p0"
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
MAX_OFFSET = 2**31 - 1
MARKER = "uptake_openbadges_api"
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


# ---------------------------------------------------------------------------- clients

def client_marker(district_id: int) -> dict[str, Any]:
    """What an allauth ``Client`` carries (its ``data``) to be a client of this API."""
    return {MARKER: True, "district_id": district_id}


def redirect_uri_problem(uri: str) -> str | None:
    """Why a redirect URI cannot be registered, or None: an absolute https URL without a
    fragment (http only to the client's own machine, for development)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "not a URL."
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "give an absolute https:// URL."
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        return "use https (http only for localhost)."
    if parts.fragment:
        return "a redirect URI has no #fragment."
    return None


# ---------------------------------------------------------------------------- refusals

class Refusal(Exception):
    """An answer other than 200, as the specification's Imsx_StatusInfo."""

    def __init__(self, status: int, description: str, minor: str,
                 challenge: str | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.minor = status, description, minor
        self.challenge = challenge


def status_info(status: int, description: str, minor: str) -> dict[str, Any]:
    return {"imsx_codeMajor": "failure", "imsx_severity": "error",
            "imsx_description": description,
            "imsx_codeMinor": {"imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "TargetEndSystem",
                 "imsx_codeMinorFieldValue": minor}]}}


def _refused(refusal: Refusal) -> JsonResponse:
    response = JsonResponse(status_info(refusal.status, refusal.description, refusal.minor),
                            status=refusal.status, json_dumps_params={"ensure_ascii": False})
    if refusal.challenge is not None:
        response["WWW-Authenticate"] = refusal.challenge
    response["Cache-Control"] = "no-store"
    return response


def _unauthorized(description: str, *, invalid: bool = True) -> Refusal:
    challenge = 'Bearer realm="openbadges"'
    if invalid:
        challenge += ', error="invalid_token"'
    return Refusal(401, description, "unauthorizedrequest", challenge)


def _caller(request: HttpRequest, needed: str) -> User:
    """The educator an access token of this API acts for, if it carries ``needed``."""
    from allauth.idp.oidc.models import Token

    header = request.headers.get("Authorization", "")
    if not header:
        raise _unauthorized("Send an access token: “Authorization: Bearer <token>”, from "
                            "this server's OAuth 2.0 authorization-code grant (see the "
                            "discovery document).", invalid=False)
    kind, _, value = header.partition(" ")
    if kind.lower() != "bearer" or not value.strip():
        raise _unauthorized("Send the token as “Authorization: Bearer <token>”.",
                            invalid=False)
    token = Token.objects.lookup(Token.Type.ACCESS_TOKEN, value.strip())
    client = token.client if token is not None else None
    marker = (client.data or {}) if client is not None else {}
    if token is None or client is None or token.user is None or not marker.get(MARKER) \
            or "authorization_code" not in client.get_grant_types():
        raise _unauthorized("This access token is not valid here: it may have expired or "
                            "been revoked, or be for another API. Ask the educator to "
                            "authorize the application again.")
    user = token.user
    if not user.is_active:
        raise _unauthorized("The account this token acts for is closed.")
    if user.district_id is None or user.district_id != marker.get("district_id"):
        raise Refusal(403, "This application is registered for another district than the "
                           "educator's.", "forbidden")
    granted = set(token.get_scopes()) & set(client.get_scopes())
    if needed not in granted:
        raise Refusal(403, f"This token does not carry the scope “{needed}”: authorize the "
                           "application again asking for it.", "forbidden",
                      f'Bearer realm="openbadges", error="insufficient_scope", '
                      f'scope="{needed}"')
    return user


def _only_get(request: HttpRequest) -> None:
    if request.method not in ("GET", "HEAD"):
        raise Refusal(405, "This endpoint answers only GET: Uptake hosts only the "
                           "credentials it issued.", "not_allowed")


def _json(data: dict[str, Any], *, cache: str = "no-store") -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = cache
    return response


def _answer(view: Any) -> Any:
    """Run the view; a Refusal becomes its Imsx_StatusInfo (and 405 names what is allowed).
    CSRF-exempt: a bearer token, never a cookie, opens these endpoints."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            _only_get(request)
            return view(request, *args, **kwargs)
        except Refusal as refusal:
            response = _refused(refusal)
            if refusal.status == 405:
                response["Allow"] = "GET, HEAD"
            return response

    return wrapper


# -------------------------------------------------------------------------- discovery

def _absolute(path: str) -> str:
    return keystore.base_url() + path


def _registration_url() -> str:
    """allauth's dynamic client registration (RFC 7591) when turned on; otherwise the
    API's documentation, which says how a coordinator registers a client."""
    try:
        return _absolute(reverse("idp:oidc:client_registration"))
    except NoReverseMatch:
        return _absolute("/api/v1/docs")


def _imsx_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Imsx_StatusInfo"}}}}


def service_description() -> dict[str, Any]:
    """The Service Description Document (the specification's ServiceDescriptionDocument)."""
    site = keystore.base_url() + "/"
    token_url = _absolute(reverse("idp:oidc:token"))
    errors = {"400": _imsx_response("The request was invalid (a query parameter)."),
              "401": _imsx_response("No access token, or one that is not valid."),
              "403": _imsx_response("The token lacks the scope, or the district."),
              "405": _imsx_response("Only GET is answered."),
              "500": _imsx_response("Something went wrong on the server.")}
    return {
        "openapi": "3.0.1",
        "info": {
            "title": "Uptake Open Badges API",
            "description": "Open Badges 3.0: the credentials an educator earned in Uptake, "
                           "for the applications she authorizes.",
            "version": "3.0",
            "termsOfService": site,
            "x-imssf-privacyPolicyUrl": site,
        },
        "servers": [{"url": _absolute(PREFIX), "description": "Open Badges 3.0 API"}],
        "tags": [{"name": "OpenBadgeCredentials",
                  "description": "Exchange OpenBadgeCredentials and Profile information."},
                 {"name": "Discovery", "description": "The Service Description Document."}],
        "paths": {
            "/credentials": {"get": {
                "tags": ["OpenBadgeCredentials"],
                "summary": "The authenticated educator's OpenBadgeCredentials.",
                "operationId": "getCredentials",
                "parameters": [
                    {"name": "limit", "in": "query", "required": False,
                     "description": "How many credentials (default "
                                    f"{DEFAULT_LIMIT}, at most {MAX_LIMIT}).",
                     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}},
                    {"name": "offset", "in": "query", "required": False,
                     "description": "How many to skip (default 0).",
                     "schema": {"type": "integer", "minimum": 0}},
                    {"name": "since", "in": "query", "required": False,
                     "description": "Only credentials issued at or after this moment.",
                     "schema": {"type": "string", "format": "date-time"}}],
                "security": [{"OAuth2ACG": [CREDENTIAL_READ]}],
                "responses": {
                    "200": {"description": "The credentials, newest first. Headers "
                                           "X-Total-Count and Link (first, prev, next, "
                                           "last) page through them.",
                            "content": {"application/json": {"schema": {
                                "$ref": "#/components/schemas/"
                                        "GetOpenBadgeCredentialsResponse"}}}},
                    **errors}}},
            "/profile": {"get": {
                "tags": ["OpenBadgeCredentials"],
                "summary": "The authenticated educator's profile.",
                "operationId": "getProfile",
                "security": [{"OAuth2ACG": [PROFILE_READ]}],
                "responses": {
                    "200": {"description": "Her profile.", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Profile"}}}},
                    **errors}}},
            "/discovery": {"get": {
                "tags": ["Discovery"],
                "summary": "This document.",
                "operationId": "getServiceDescription",
                "responses": {
                    "200": {"description": "The Service Description Document.",
                            "content": {"application/json": {"schema": {"type": "object"}}}},
                    "500": errors["500"]}}},
        },
        "components": {
            "securitySchemes": {"OAuth2ACG": {
                "type": "oauth2",
                "description": "OAuth 2.0 authorization code grant (with PKCE).",
                "x-imssf-name": "Uptake",
                "x-imssf-privacyPolicyUrl": site,
                "x-imssf-registrationUrl": _registration_url(),
                "x-imssf-termsOfServiceUrl": site,
                "flows": {"authorizationCode": {
                    "authorizationUrl": _absolute(reverse("idp:oidc:authorization")),
                    "tokenUrl": token_url,
                    "refreshUrl": token_url,
                    "scopes": dict(SCOPES)}}}},
            "schemas": {
                "GetOpenBadgeCredentialsResponse": {
                    "type": "object", "additionalProperties": False,
                    "properties": {
                        "credential": {"type": "array", "items": {"type": "object"},
                                       "description": "OpenBadgeCredentials with an "
                                                      "embedded proof."},
                        "compactJwsString": {"type": "array", "items": {
                            "type": "string",
                            "pattern": "^[a-zA-Z0-9_-]+\\.[a-zA-Z0-9_-]*\\.[a-zA-Z0-9_-]+$"},
                            "description": "The same credentials as VC-JWTs."}}},
                "Profile": {
                    "type": "object", "required": ["id", "type"],
                    "properties": {"id": {"type": "string", "format": "uri"},
                                   "type": {"type": "array", "items": {"type": "string"}},
                                   "name": {"type": "string"}}},
                "Imsx_StatusInfo": {
                    "type": "object", "required": ["imsx_codeMajor", "imsx_severity"],
                    "properties": {
                        "imsx_codeMajor": {"type": "string", "enum": [
                            "failure", "processing", "success", "unsupported"]},
                        "imsx_severity": {"type": "string", "enum": [
                            "error", "status", "warning"]},
                        "imsx_description": {"type": "string"},
                        "imsx_codeMinor": {"type": "object"}}},
            },
        },
    }


@allow(ANONYMOUS)
@_answer
def discovery(request: HttpRequest) -> HttpResponse:
    response = _json(service_description(), cache="public, max-age=300")
    response["Access-Control-Allow-Origin"] = "*"
    return response


# ------------------------------------------------------------------------ credentials

def _whole(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise Refusal(400, f"“{name}” must be a whole number from {low} to {high}.",
                      "invalid_query_parameter")
    return int(raw)


def _since(request: HttpRequest) -> datetime | None:
    raw = request.GET.get("since")
    if raw is None or raw == "":
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))  # a "+" sent unescaped
    except ValueError:
        moment = None
    if moment is None:
        raise Refusal(400, "“since” must be a date and time (ISO 8601, e.g. "
                           "2026-09-01T00:00:00Z).", "invalid_query_parameter")
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def credentials_of(user: User, since: datetime | None = None) -> QuerySet[Badge]:
    found = Badge.objects.filter(award__educator=user).order_by("-issued_at", "-pk")
    return found.filter(issued_at__gte=since) if since is not None else found


def _links(request: HttpRequest, total: int, limit: int, offset: int) -> str:
    """RFC 8288 links to the first, previous, next and last pages (the same query)."""
    kept = {k: v for k, v in request.GET.items() if k not in ("limit", "offset")}

    def url(at: int) -> str:
        query = urlencode({**kept, "limit": limit, "offset": at})
        return request.build_absolute_uri(f"{request.path}?{query}")

    last = max(0, ((total - 1) // limit) * limit) if total else 0
    links = [f'<{url(0)}>; rel="first"']
    if offset > 0:
        links.append(f'<{url(max(0, min(offset - limit, last)))}>; rel="prev"')
    if offset + limit < total:
        links.append(f'<{url(offset + limit)}>; rel="next"')
    links.append(f'<{url(last)}>; rel="last"')
    return ", ".join(links)


@allow(ANONYMOUS)
@_answer
def credentials(request: HttpRequest) -> HttpResponse:
    user = _caller(request, CREDENTIAL_READ)
    limit = _whole(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _whole(request, "offset", 0, 0, MAX_OFFSET)
    found = credentials_of(user, _since(request))
    total = found.count()
    page = list(found[offset:offset + limit])
    body: dict[str, Any] = {"credential": [json.loads(b.document) for b in page]}
    jwts = [b.jwt for b in page if b.jwt]
    if jwts:
        body["compactJwsString"] = jwts
    response = _json(body)
    response["X-Total-Count"] = str(total)
    response["Link"] = _links(request, total, limit, offset)
    return response


# ---------------------------------------------------------------------------- profile

def profile_of(user: User) -> dict[str, Any]:
    return {"id": _absolute(reverse("person", args=[user.pk])), "type": ["Profile"],
            "name": user.display_name}


@allow(ANONYMOUS)
@_answer
def profile(request: HttpRequest) -> HttpResponse:
    return _json(profile_of(_caller(request, PROFILE_READ)))
