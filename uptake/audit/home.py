"""The audit log's home-page panel: a coordinator's week of sign-in trouble. Registered in
AuditConfig.ready()."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from uptake.accounts.models import Role, User
from uptake.audit.models import AuditAction, AuditEvent


def security_panel(user: User) -> dict[str, Any] | None:
    if not user.has_role(Role.COORDINATOR) or not user.district_id:
        return None
    week_ago = timezone.now() - timedelta(days=7)
    recent = AuditEvent.objects.filter(district_id=user.district_id, at__gte=week_ago)
    return {"security_week": {
        "failed": recent.filter(action=AuditAction.LOGIN_FAILED).count(),
        "locked": recent.filter(action=AuditAction.LOCKED_OUT).count(),
    }}
