"""Plain reads of Looking at Student Work for other apps (they never filter these models)."""

from __future__ import annotations

from uptake.inquiry.models import Inquiry
from uptake.studentwork.models import WorkSampleSet


def sets_of(inquiry: Inquiry) -> int:
    """The inquiry's student-work sets (deleted with it, scores and groups and all)."""
    return WorkSampleSet.objects.filter(inquiry=inquiry).count()
