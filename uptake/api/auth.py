"""Who is calling the API, and what she may do there.

Two ways in, tried in order on every operation:

1. ``Authorization: Bearer <token>``: a personal access token (``upt_…``), or a token from
   a resolver another part of Uptake adds with :func:`add_resolver` (OAuth 2.0
   client-credentials tokens). A bearer header that opens nothing is refused at once (401),
   never passed on to the session.
2. The browser's session cookie, with Django's CSRF check on anything that writes.

Either way ``request.user`` becomes the person the credential acts for, checked to be
active; her *current* roles then decide, in the same access helpers as the pages, what she
sees. A token also needs the area's scope (:mod:`uptake.api.scopes`), or the answer is
403 ``insufficient_scope``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer

from uptake.api import actions
from uptake.api.scopes import always, scope

if TYPE_CHECKING:
    from uptake.accounts.models import User

SESSION, TOKEN, OAUTH = "session", "personal_token", "oauth_client"


@dataclass(frozen=True)
class Principal:
    """The credential a request came with: whom it acts for and what it may do.

    ``scopes`` is None for a browser session (the person herself). ``label`` names the
    credential for the audit log without its secret ("personal token upt_AbCdEf…").
    """

    user: User
    via: str
    scopes: frozenset[str] | None
    label: str
    client_key: str = ""

    def allows(self, needed: str) -> bool:
        # Every credential may ask whom it acts for (GET /me).
        return self.scopes is None or needed in self.scopes or needed in always()


class InsufficientScope(HttpError):
    def __init__(self, needed: str) -> None:
        super().__init__(403, f"This token does not carry the scope “{needed}”. Make a token "
                              "with it, or ask the integration's owner to add it.")
        self.needed = needed


Resolver = Callable[[HttpRequest, str], Principal | None]
_resolvers: list[Resolver] = []


def add_resolver(resolver: Resolver) -> None:
    """Teach the API another kind of bearer token (idempotent)."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def personal_token(request: HttpRequest, secret: str) -> Principal | None:
    token = actions.find_live_token(secret)
    if token is None:
        return None
    actions.note_use(token, _client_ip(request))
    return Principal(user=token.user, via=TOKEN, scopes=frozenset(token.scopes),
                     label=f"personal token {token.prefix}… “{token.name}”",
                     client_key=f"pat:{token.pk}")


add_resolver(personal_token)


def _admit(request: HttpRequest, principal: Principal, area: str) -> Principal:
    user = principal.user
    if not user.is_active:
        raise AuthenticationError(401, "This account is closed.")
    needed = scope(area, request.method or "GET")
    if not principal.allows(needed):
        raise InsufficientScope(needed)
    request.user = user
    request.api_principal = principal  # type: ignore[attr-defined]
    return principal


class BearerAuth(HttpBearer):
    """A bearer token carrying the area's scope."""

    def __init__(self, area: str) -> None:
        super().__init__()
        self.area = area

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        kind, _, secret = header.partition(" ")
        if kind.lower() != "bearer" or not secret.strip():
            raise AuthenticationError(401, "Send the token as “Authorization: Bearer <token>”.")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Principal:
        for resolve in _resolvers:
            principal = resolve(request, token)
            if principal is not None:
                return _admit(request, principal, self.area)
        raise AuthenticationError(401, "This token is not valid: it may have expired or been "
                                       "revoked. Make a new one under Settings → API tokens.")


class SessionAuth(APIKeyCookie):
    """The signed-in browser, with CSRF on writes (ninja checks it for cookie auth)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, area: str) -> None:
        super().__init__(csrf=True)
        self.area = area

    def __call__(self, request: HttpRequest) -> Any:
        # Nobody signed in: not this way in (401), whatever the CSRF token says.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:
        user = request.user
        return _admit(request, Principal(user=user, via=SESSION, scopes=None,  # type: ignore[arg-type]
                                         label="browser session"), self.area)


def for_area(area: str) -> list[Any]:
    """The auth an area's router is mounted with."""
    return [BearerAuth(area), SessionAuth(area)]


def principal(request: HttpRequest) -> Principal:
    """The credential of an authenticated API request."""
    found = getattr(request, "api_principal", None)
    if found is None:
        raise AuthenticationError()
    return found
