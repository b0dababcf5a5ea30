"""The header's count of her unread notices, on every page (a context processor)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from uptake.notifications.queries import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": unread_count(user)}
