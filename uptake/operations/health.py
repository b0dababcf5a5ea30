"""``/healthz``: whether this web process can serve, for a load balancer or a monitor.

It answers without a session and without touching any person's data: the database answers
a ``SELECT 1``, the shared cache answers a read, and how many background workers have held
their lease lately (a number for the monitor; no worker does not make the web host
unhealthy, since pages still serve and queued work waits). 200 when the database answers,
else 503, so that the proxy takes the host out of its pool. A shared cache (Redis) that
does not answer is said ("degraded") but keeps the 200: it is the same cache for every
host, and taking every host out of the pool at once would turn a slower sign-in into an
outage.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from uptake.accounts.access import ANONYMOUS, allow
from uptake.operations.models import WorkerLease


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _cache() -> bool:
    try:
        caches["default"].get("healthz-probe")
    except Exception:  # any failure of the backend (Redis down) is "not ok"
        return False
    return True


def _workers_seen() -> int | None:
    since = timezone.now() - timedelta(seconds=settings.WORKER_LOST_AFTER_SECONDS)
    try:
        return WorkerLease.objects.filter(seen_at__gte=since).count()
    except DatabaseError:
        return None


@allow(ANONYMOUS)
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    database = _database()
    cache = _cache()
    workers = _workers_seen() if database else None
    return JsonResponse({
        "status": ("ok" if cache else "degraded") if database else "unavailable",
        "database": "ok" if database else "unavailable",
        "cache": "ok" if cache else "unavailable",
        "workers": workers,
    }, status=200 if database else 503)
