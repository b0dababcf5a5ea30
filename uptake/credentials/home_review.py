"""The assessor's home opens on her review queue (registered in ``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from uptake.accounts.models import Role
from uptake.credentials.access import open_reviews, overseen_submissions

HOME_LIMIT = 10


def age_days(since: Any) -> int:
    return max(0, (timezone.now() - since).days) if since else 0


def queue_rows(user: Any, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Her open reviews, the oldest submission first, each with what a queue shows (the
    first ``limit``, read in one query whatever their number)."""
    reviews = open_reviews(user)
    if limit is not None:
        reviews = reviews[:limit]
    return [{"review": r, "submission": r.round.submission, "tier": r.round.submission.tier,
             "round": r.round.number, "age": age_days(r.round.submitted_at)}
            for r in reviews]


def review_panel(user: Any) -> dict[str, Any] | None:
    """Her open reviews, the oldest first (every assessor sees the panel, empty or not)."""
    if not user.has_role(Role.ASSESSOR):
        return None
    return {"review_rows": queue_rows(user, limit=HOME_LIMIT)}


def oversight_panel(user: Any) -> dict[str, Any] | None:
    """Coordinators: the sent work waiting for an assessor or being read (left out when
    there is none)."""
    if not user.has_role(Role.COORDINATOR):
        return None
    sent = overseen_submissions(user)
    waiting = sent.filter(state="submitted").count()
    reading = sent.filter(state="in_review").count()
    if not (waiting or reading):
        return None
    return {"credential_waiting": waiting, "credential_reading": reading}
