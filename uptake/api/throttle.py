"""Rate limits: so many requests a minute per credential, then 429 with ``Retry-After``.

A personal access token may make ``settings.API_TOKEN_RATE_PER_MINUTE`` requests a minute;
an integration its own ``rate_per_minute`` (set by the coordinator). A browser session is
not limited here (it is a person at a keyboard; sign-in has its own throttle).

Counting is a fixed window of one minute per credential
(``uptake.operations.ratelimit``). Over the limit, the request is
refused through ninja's throttle hook (``Throttled``), which the API answers in the envelope (429,
``rate_limited``) with ``Retry-After``: the seconds until the window ends.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from uptake.api.auth import OAUTH, TOKEN, Principal
from uptake.operations.ratelimit import count_request


def limit_for(principal: Principal) -> int | None:
    """Requests a minute this credential may make, or None for no limit."""
    if principal.via == TOKEN:
        return int(settings.API_TOKEN_RATE_PER_MINUTE)
    if principal.via == OAUTH and principal.client_key.startswith("client:"):
        from uptake.api.models import Integration

        found = (Integration.objects.filter(pk=int(principal.client_key.split(":", 1)[1]))
                 .values_list("rate_per_minute", flat=True).first())
        return int(found) if found else None
    return None


def check(principal: Principal) -> float | None:
    """Count one request of this credential: None if it may go on, else the seconds until
    its window ends (over its limit)."""
    limit = limit_for(principal)
    if limit is None or not principal.client_key:
        return None
    return count_request(f"api-rate:{principal.client_key}", limit)


class CredentialThrottle(BaseThrottle):
    """ninja's throttle hook, which runs after authentication (so the credential is known)
    and before the request is parsed: a refused credential is never counted, and a burst of
    malformed requests is counted like any other."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        principal = getattr(request, "api_principal", None)
        wait = check(principal) if principal is not None else None
        self._local.wait = wait
        return wait is None

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
