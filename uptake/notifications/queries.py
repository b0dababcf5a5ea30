"""Reads of a person's own notices (the header's count, the notices page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from uptake.notifications.models import Notice

if TYPE_CHECKING:
    from uptake.accounts.models import User


def notices_of(user: User) -> QuerySet[Notice]:
    if not getattr(user, "is_authenticated", False):
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    return notices_of(user).filter(read_at__isnull=True).count()
