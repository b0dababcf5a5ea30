from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from uptake.accounts.models import Role


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": frozenset(), "Role": Role}
    return {"user_roles": user.role_set(), "Role": Role}
