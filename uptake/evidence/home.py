"""The home-page panel of evidence colleagues shared that a coach, leader or coordinator may
see (the evidence access rules decide). Registered in EvidenceConfig.ready()."""

from __future__ import annotations

from typing import Any

from uptake.accounts.models import Role
from uptake.evidence.models import Artifact

HOME_LIMIT = 5


def shared_evidence_panel(user: Any) -> dict[str, Any] | None:
    # Teachers have their own evidence page; colleagues' shared pieces are not their task.
    if not user.has_role(Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR):
        return None
    latest = list(Artifact.objects.visible_to(user).exclude(owner=user)
                  .select_related("owner").order_by("-shared_at", "-pk")[:HOME_LIMIT])
    return {"evidence_shared": latest}
