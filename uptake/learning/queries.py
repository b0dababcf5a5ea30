"""Plain reads of learning for other apps (they never filter these models)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from uptake.inquiry.access import inquiries_editable_by, inquiries_visible_to, may_edit
from uptake.inquiry.models import Inquiry, Team
from uptake.inquiry.study import LearningEvent
from uptake.learning.access import may_read_plan
from uptake.learning.models import FrameworkElement, Goal, LearningSource


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


# ------------------------------------------------------------------ inquiry alignment


def elements_of_inquiry(inquiry_id: int) -> set[int]:
    """The framework elements an inquiry is aligned to: directly, and through the plan goals
    that cite it (only goals of people who may edit it now, as its page shows them)."""
    inquiry = Inquiry.objects.select_related("team").filter(pk=inquiry_id).first()
    if inquiry is None:
        return set()
    direct = set(FrameworkElement.objects.filter(inquiries=inquiry)
                 .values_list("pk", flat=True))
    via_goals = set(Goal.elements.through.objects.filter(
        goal__inquiries=inquiry, goal__plan__district_id=inquiry.district_id,
        goal__plan__owner_id__in=_pursuing_editors(inquiry),
        frameworkelement__framework__district_id=inquiry.district_id)
        .values_list("frameworkelement_id", flat=True))
    return direct | via_goals


def inquiry_ids_by_element(district_id: int) -> dict[int, set[int]]:
    """Element id -> the district's inquiries aligned to it (directly or through plan goals
    whose owners may edit the inquiry now): :func:`elements_of_inquiry` for every inquiry
    of the district at once, in five queries."""
    out: dict[int, set[int]] = {}
    for element_id, inquiry_id in FrameworkElement.inquiries.through.objects.filter(
            inquiry__district_id=district_id,
            frameworkelement__framework__district_id=district_id).values_list(
            "frameworkelement_id", "inquiry_id"):
        out.setdefault(element_id, set()).add(inquiry_id)
    editors: dict[int, set[int]] = {}
    teams: dict[int, list[int]] = {}
    for inquiry_id, owner_id, team_id in Inquiry.objects.filter(
            district_id=district_id).values_list("pk", "owner_id", "team_id"):
        editors[inquiry_id] = {owner_id}
        if team_id is not None:
            teams.setdefault(team_id, []).append(inquiry_id)
    for team_id, user_id in Team.members.through.objects.filter(
            team_id__in=list(teams)).values_list("team_id", "user_id"):
        for inquiry_id in teams[team_id]:
            editors[inquiry_id].add(user_id)
    cited: dict[int, list[int]] = {}
    for goal_id, inquiry_id, owner_id in Goal.inquiries.through.objects.filter(
            inquiry__district_id=district_id, goal__plan__district_id=district_id
            ).values_list("goal_id", "inquiry_id", "goal__plan__owner_id"):
        if owner_id in editors.get(inquiry_id, ()):
            cited.setdefault(goal_id, []).append(inquiry_id)
    for goal_id, element_id in Goal.elements.through.objects.filter(
            goal_id__in=list(cited), frameworkelement__framework__district_id=district_id
            ).values_list("goal_id", "frameworkelement_id"):
        out.setdefault(element_id, set()).update(cited[goal_id])
    return out


def alignment_section(inquiry: Inquiry, reader: Any) -> dict[str, Any] | None:
    """The framework elements the inquiry is aligned to directly, for its page (registered
    as an inquiry section), with the form to change them for those who may edit it."""
    from uptake.learning.forms import AlignmentForm, element_tree

    direct = element_tree(FrameworkElement.objects.filter(inquiries=inquiry)
                          .select_related("framework"))
    editable = may_edit(reader, inquiry)
    if not direct and not editable:
        return None
    return {"elements": direct, "editable": editable,
            "form": AlignmentForm(inquiry=inquiry) if editable else None}
