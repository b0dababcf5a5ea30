"""The educator's home panel: her micro-credential work that needs her (registered in
``apps.py``): work returned with feedback first, then her drafts."""

from __future__ import annotations

from typing import Any

from uptake.credentials.access import is_educator, own_submissions
from uptake.credentials.models import Submission

HOME_LIMIT = 5


def educator_panel(user: Any) -> dict[str, Any] | None:
    """Returned work and drafts (left out when she has neither)."""
    if not is_educator(user):
        return None
    mine = own_submissions(user).select_related("tier", "tier__version")
    returned = list(mine.filter(state=Submission.State.RETURNED)
                    .order_by("-decided_at", "-pk")[:HOME_LIMIT])
    drafts = list(mine.filter(state=Submission.State.DRAFT)
                  .order_by("-updated_at", "-pk")[:HOME_LIMIT])
    if not returned and not drafts:
        return None
    sent = mine.filter(state__in=(Submission.State.SUBMITTED,
                                  Submission.State.IN_REVIEW)).count()
    return {"returned": returned, "drafts": drafts, "sent": sent}
