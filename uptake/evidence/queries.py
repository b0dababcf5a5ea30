"""Plain reads of evidence for other apps (they never filter these models)."""

from __future__ import annotations

from django.db.models import Q

from uptake.evidence.models import Artifact
from uptake.inquiry.models import Inquiry


def artifacts_linked_to(inquiry: Inquiry) -> int:
    """Artifacts linked to the inquiry or one of its cycles (kept, unlinked, when it goes)."""
    return Artifact.objects.filter(
        Q(inquiry=inquiry) | Q(cycle__inquiry=inquiry)).distinct().count()
