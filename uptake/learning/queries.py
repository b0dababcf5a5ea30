"""Plain reads of learning for other apps (they never filter these models)."""

from __future__ import annotations

from uptake.inquiry.models import Inquiry
from uptake.inquiry.study import LearningEvent
from uptake.learning.models import LearningSource


def sources_informing(inquiry: Inquiry) -> int:
    """Learning sources the teacher said informed the inquiry (kept, unlinked, when it goes)."""
    return LearningSource.objects.filter(inquiries=inquiry).count()


def learning_events(inquiry: Inquiry) -> list[LearningEvent]:
    """The learning sources linked to the inquiry, oldest first, in one query: the study
    charts mark each (registered as study events in LearningConfig.ready())."""
    kinds = dict(LearningSource.Kind.choices)
    rows = (LearningSource.objects.filter(inquiries=inquiry)
            .values_list("learned_on", "title", "kind", "owner__first_name",
                         "owner__last_name", "owner__email")
            .order_by("learned_on", "pk"))
    return [LearningEvent(when, title, str(kinds.get(kind, kind)),
                          f"{first} {last}".strip() or email)
            for when, title, kind, first, last, email in rows]
