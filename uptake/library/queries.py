"""Reads of the library: how far a practice travelled and what happened where it was tried,
the inquiry page's section, and what deleting an inquiry takes with it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from uptake.accounts.models import Role, RoleAssignment
from uptake.inquiry.access import may_edit
from uptake.inquiry.models import Inquiry
from uptake.inquiry.study import latest_verdicts
from uptake.library import access
from uptake.library.models import Practice, Trial

# The order "what happened" is told in; the words are the study page's.
VERDICT_ORDER = ("sustained_improvement", "change_not_sustained", "no_signal", "got_worse",
                 "not_enough_data", "")


@dataclass(frozen=True)
class Outcome:
    """One measure of a trial's inquiry: its name and its verdict's words (never a student
    row, never a number about a student)."""

    measure: str
    label: str  # "sustained_improvement", …, "" for no verdict yet
    label_text: str


@dataclass(frozen=True)
class TrialView:
    trial: Trial
    teacher: str
    schools: list[str]
    outcomes: list[Outcome]


@dataclass(frozen=True)
class Travel:
    """How far a practice travelled: the colleagues (other than its author) whose inquiries
    tried it, their schools, and the verdicts of those inquiries' measures, counted."""

    trials: list[TrialView]
    colleagues: int
    schools: int
    verdicts: list[tuple[str, str, int]]  # (label, words, how many measures)


def _schools_of(user_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for user_id, name in (RoleAssignment.objects
                          .filter(user_id__in=user_ids, role=Role.TEACHER, school__isnull=False)
                          .order_by("school__name").values_list("user_id", "school__name")):
        found.setdefault(user_id, []).append(name)
    return found


def outcomes_of(inquiry: Inquiry) -> list[Outcome]:
    measures = inquiry.measures.order_by("created_at", "pk")
    return [Outcome(m.name, s.label or "", s.label_text)
            for m, s in latest_verdicts(measures)]


def travel(practice: Practice) -> Travel:
    trials = list(practice.trials.select_related("inquiry", "inquiry__owner")
                  .order_by("created_at", "pk"))
    owners = {t.inquiry.owner_id for t in trials}
    schools = _schools_of(owners)
    views = [TrialView(t, t.inquiry.owner.display_name, schools.get(t.inquiry.owner_id, []),
                       outcomes_of(t.inquiry)) for t in trials]
    colleagues = owners - {practice.author_id}
    counted = Counter((o.label, o.label_text) for v in views for o in v.outcomes)
    verdicts = sorted(((label, text, n) for (label, text), n in counted.items()),
                      key=lambda row: VERDICT_ORDER.index(row[0])
                      if row[0] in VERDICT_ORDER else len(VERDICT_ORDER))
    return Travel(views, len(colleagues),
                  len({s for o in colleagues for s in schools.get(o, [])}), verdicts)


def trials_of(inquiry: Inquiry) -> int:
    """Links from the inquiry to practices it tried (deleted with it)."""
    return Trial.objects.filter(inquiry=inquiry).count()


def practices_from(inquiry: Inquiry) -> int:
    """Practices shared from the inquiry (kept, no longer linked, when it goes)."""
    return Practice.objects.filter(source_inquiry=inquiry).count()


def inquiry_section(inquiry: Inquiry, reader: Any) -> dict[str, Any] | None:
    """The practices this inquiry tried or was shared as, those this reader may see; and,
    for a teacher who may edit it, the links to share it and to find a practice to try."""
    if not access.may_use_library(reader):
        return None
    visible = access.practices_visible_to(reader)
    tried = list(visible.filter(trials__inquiry=inquiry).select_related("author")
                 .order_by("title", "pk"))
    shared = list(visible.filter(source_inquiry=inquiry).order_by("title", "pk"))
    may_share = reader.has_role(Role.TEACHER) and may_edit(reader, inquiry)
    if not tried and not shared and not may_share:
        return None
    return {"tried": tried, "shared": shared, "may_share": may_share}
