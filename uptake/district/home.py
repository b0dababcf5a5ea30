"""The district view on the home page of coordinators, researchers and school leaders."""

from __future__ import annotations

from typing import Any

from uptake.accounts.models import Role
from uptake.district.figures import headline


def leader_panel(user: Any) -> dict[str, Any] | None:
    if not user.has_role(Role.COORDINATOR, Role.RESEARCHER, Role.SCHOOL_LEADER):
        return None
    figures = headline(user)
    return None if figures is None else {"headline": figures}
