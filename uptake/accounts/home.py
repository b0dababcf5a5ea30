"""What each role sees first on the home page: only facts that exist today.

The page is the person's name and roles, then the panels the apps registered
(uptake/registry.py ``home_panels``), each shown when its context function has something
for this person. Accounts imports none of those apps: they register themselves.
"""

from __future__ import annotations

from typing import Any

from uptake import registry
from uptake.accounts.models import User


def home_context(user: User) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "roles": sorted(user.role_set()),
        "district": user.district,
        "assignments": user.roles.select_related("school"),
    }
    shown = []
    for panel in registry.home_panels:
        extra = panel.context(user)
        if extra is not None:
            ctx.update(extra)
            shown.append(panel.template)
    ctx["home_panels"] = shown
    return ctx
