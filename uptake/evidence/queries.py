"""Plain reads of evidence for other apps (they never filter these models)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from uptake.accounts.models import Role
from uptake.evidence.models import Artifact
from uptake.inquiry.access import may_edit
from uptake.inquiry.models import Inquiry


def artifacts_linked_to(inquiry: Inquiry) -> int:
    """Artifacts linked to the inquiry or one of its cycles (kept, unlinked, when it goes)."""
    return Artifact.objects.filter(
        Q(inquiry=inquiry) | Q(cycle__inquiry=inquiry)).distinct().count()


def evidence_section(inquiry: Inquiry, reader: Any) -> dict[str, Any] | None:
    """The inquiry's evidence for its page (registered as an inquiry section): what is
    linked to it or one of its cycles, and only what this reader may see
    (``uptake.evidence.access``); nothing at all for a reader who may see none of it and
    cannot add any."""
    linked = (Artifact.objects.visible_to(reader)
              .filter(Q(inquiry=inquiry) | Q(cycle__inquiry=inquiry))
              .select_related("owner", "cycle").order_by("-created_at", "-pk"))
    artifacts = list(linked)
    may_add = may_edit(reader, inquiry) and reader.has_role(Role.TEACHER)
    if not artifacts and not may_add:
        return None
    return {"artifacts": artifacts, "may_add": may_add}
