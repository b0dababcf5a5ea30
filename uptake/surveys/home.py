"""The home panel of a person asked to answer open surveys (registered in ``apps.py``)."""

from __future__ import annotations

from typing import Any

from uptake.surveys.queries import open_surveys_for


def awaiting_panel(user: Any) -> dict[str, Any] | None:
    """"2 surveys await your answer"; left out when none does."""
    if not getattr(user, "is_authenticated", False):
        return None
    waiting = list(open_surveys_for(user).order_by("closes_at", "pk")[:10])
    if not waiting:
        return None
    return {"waiting": waiting, "count": len(waiting)}
