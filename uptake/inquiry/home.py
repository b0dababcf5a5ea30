"""What a teacher's home page shows about her inquiries: in progress, needs data, what
changed. Shared inquiries are listed for coaches and leaders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Max
from django.utils import timezone

from uptake.accounts.models import Role, User
from uptake.inquiry.access import (
    inquiries_editable_by,
    inquiries_shared_with,
    sections_taught_by,
)
from uptake.inquiry.models import Inquiry, Measure, Occasion
from uptake.inquiry.study import latest_verdicts

# A measure "needs data" when its latest occasion in one of your classes is older than this.
STALE_AFTER_DAYS = 14
HOME_LIMIT = 10


def inquiries_panel(user: User) -> dict[str, Any] | None:
    """The home page's inquiries panel (registered in InquiryConfig.ready())."""
    if not user.has_role(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER):
        return None
    return inquiry_home(user)


def inquiry_home(user: User) -> dict[str, Any]:
    ctx: dict[str, Any] = {}
    if user.has_role(Role.TEACHER):
        active = list(inquiries_editable_by(user).filter(status=Inquiry.Status.ACTIVE)
                      .select_related("team").order_by("-updated_at")[:HOME_LIMIT])
        measures = _measures_of(active)
        ctx.update(inquiries_in_progress=active, needs_data=_needs_data(user, measures),
                   what_changed=[(m, s) for m, s in latest_verdicts(measures)
                                 if s.verdict is not None or s.baseline_n == 0])
    if user.has_role(Role.COACH, Role.SCHOOL_LEADER):
        shared = list(inquiries_shared_with(user)
                      .select_related("owner").order_by("-updated_at")[:HOME_LIMIT])
        verdicts: dict[int, list[tuple[Measure, Any]]] = {i.pk: [] for i in shared}
        for m, s in latest_verdicts(_measures_of(shared)):
            verdicts[m.inquiry_id].append((m, s))
        # Each shared inquiry with its measures' verdicts (all classes together), so that a
        # coach sees where to look first; the verdicts are class-level, never per student.
        ctx["inquiries_shared"] = [(i, verdicts[i.pk]) for i in shared]
    return ctx


def _measures_of(inquiries: list[Inquiry]) -> list[Measure]:
    """The inquiries' measures in the order they were added."""
    return list(Measure.objects.filter(inquiry__in=inquiries).select_related("inquiry")
                .prefetch_related("sections").order_by("pk"))


def _needs_data(user: User, measures: list[Measure]) -> list[dict[str, Any]]:
    """Your classes in each measure whose latest occasion is older than 14 days, or none."""
    mine = set(sections_taught_by(user).values_list("pk", flat=True))
    latest = {(r["measure"], r["section"]): r["last"] for r in
              Occasion.objects.filter(measure__in=measures, section__in=mine)
              .values("measure", "section").annotate(last=Max("date"))}
    stale_before = timezone.localdate() - timedelta(days=STALE_AFTER_DAYS)
    out = []
    for m in measures:
        for section in m.sections.all():
            if section.pk not in mine:
                continue
            last = latest.get((m.pk, section.pk))
            if last is None or last < stale_before:
                out.append({"measure": m, "section": section, "last": last})
    return out
