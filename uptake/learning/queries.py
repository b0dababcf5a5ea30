"""Plain reads of learning for other apps (they never filter these models)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from uptake.inquiry.access import inquiries_editable_by, inquiries_visible_to, may_edit
from uptake.inquiry.models import Inquiry
from uptake.inquiry.study import LearningEvent
from uptake.learning.access import may_read_plan
from uptake.learning.models import Goal, LearningSource


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


def _pursuing_editors(inquiry: Inquiry) -> set[int]:
    """Who may link goals to the inquiry now: its owner and its team's members."""
    editors = {inquiry.owner_id}
    if inquiry.team_id is not None:
        editors.update(inquiry.team.members.values_list("pk", flat=True))  # type: ignore[union-attr]
    return editors


def goals_section(inquiry: Inquiry, reader: Any) -> dict[str, Any] | None:
    """The plan goals the inquiry pursues, for its page (registered as an inquiry section).

    Only goals of people who may edit the inquiry now count: a member who left the team
    keeps the link in her plan, but it no longer shows here (nor her standards) unless she
    rejoins. The goal's text is shown only to readers of its plan; the standards the goals
    align to are shown to every reader of the inquiry.
    """
    goals = list(Goal.objects.filter(inquiries=inquiry, plan__district_id=inquiry.district_id,
                                     plan__owner_id__in=_pursuing_editors(inquiry))
                 .select_related("plan", "plan__owner")
                 .prefetch_related("elements__framework").order_by("target_date", "pk"))
    editable = may_edit(reader, inquiry)
    if not goals and not editable:
        return None
    standards = {e.pk: e for g in goals for e in g.elements.all()}
    return {
        "goals": [{"goal": g, "readable": may_read_plan(reader, g.plan)} for g in goals],
        "standards": sorted(standards.values(),
                            key=lambda e: (e.framework.name, e.order, e.code)),
        "editable": editable,
    }


def linked_inquiries(goals: Sequence[Goal], reader: Any) -> dict[int, list[dict[str, Any]]]:
    """The inquiries each goal of one plan is pursued through, as the plan's page lists
    them (by goal id): only those the plan's owner may still edit, linked where the reader
    may open them. Who may edit and read is asked once for all the goals."""
    if not goals:
        return {}
    editable = set(inquiries_editable_by(goals[0].plan.owner).values_list("pk", flat=True))
    readable = set(inquiries_visible_to(reader).values_list("pk", flat=True))
    return {g.pk: [{"inquiry": i, "readable": i.pk in readable}
                   for i in g.inquiries.order_by("title") if i.pk in editable]
            for g in goals}
