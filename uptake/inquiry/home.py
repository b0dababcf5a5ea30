"""What a teacher's home page shows about her inquiries: in progress, needs data, what
changed. Shared inquiries are listed for coaches and leaders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from uptake.accounts.models import Role, User
from uptake.inquiry.access import (
    inquiries_editable_by,
    inquiries_shared_with,
    sections_taught_by,
)
from uptake.inquiry.models import Inquiry, Measure, Occasion
from uptake.inquiry.queries import measure_verdicts

# A measure "needs data" when its latest occasion in one of your classes is older than this.
STALE_AFTER_DAYS = 14
HOME_LIMIT = 10


def inquiries_panel(user: User) -> dict[str, Any] | None:
    """The home page's inquiries panel (registered in InquiryConfig.ready())."""
    if not user.has_role(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER):
        return None
    return inquiry_home(user)


def results_panel(user: User) -> dict[str, Any] | None:
    """The district's results, for the roles that read them (inquiry/results.py)."""
    if not user.has_role(Role.COORDINATOR, Role.RESEARCHER, Role.ASSESSOR) or not user.district_id:
        return None
    measures = (Measure.objects.filter(inquiry__district_id=user.district_id)
                .exclude(inquiry__status=Inquiry.Status.DRAFT))
    return {"district_measures": measures.count(),
            "district_inquiries": measures.values("inquiry").distinct().count()}


def participation_panel(user: User) -> dict[str, Any] | None:
    """Inquiries in progress at the schools a leader leads, counted by team: how many
    teachers are inquiring, never what their students scored."""
    schools = list(user.roles.filter(role=Role.SCHOOL_LEADER, school__isnull=False)
                   .values_list("school_id", flat=True))
    if not schools:
        return None
    teachers = User.objects.filter(roles__role=Role.TEACHER, roles__school_id__in=schools,
                                   is_active=True).values("pk")
    # A team inquiry is every member's: its teachers are the team's members, not its owner.
    rows = (Inquiry.objects.filter(status=Inquiry.Status.ACTIVE, owner__in=teachers,
                                   district_id=user.district_id)
            .values("team", "team__name")
            .annotate(n=Count("pk", distinct=True), owners=Count("owner", distinct=True),
                      members=Count("team__members", distinct=True))
            .order_by("team__name"))
    return {"participation": [{"team": r["team__name"] or "Teachers on their own",
                               "inquiries": r["n"],
                               "teachers": r["members"] if r["team"] else r["owners"]}
                              for r in rows]}


def inquiry_home(user: User) -> dict[str, Any]:
    ctx: dict[str, Any] = {}
    if user.has_role(Role.TEACHER):
        active = list(inquiries_editable_by(user).filter(status=Inquiry.Status.ACTIVE)
                      .select_related("team").order_by("-updated_at")[:HOME_LIMIT])
        measures = _measures_of(active)
        stale = _needs_data(user, measures)
        ctx.update(inquiries_in_progress=_cards(active, measure_verdicts(measures), stale),
                   needs_data=stale, measures_needing_data=len({n["measure"].pk for n in stale}))
    if user.has_role(Role.COACH, Role.SCHOOL_LEADER):
        shared = list(inquiries_shared_with(user)
                      .select_related("owner").order_by("-updated_at")[:HOME_LIMIT])
        verdicts: dict[int, list[tuple[Measure, Any]]] = {i.pk: [] for i in shared}
        for m, s in measure_verdicts(_measures_of(shared)):
            verdicts[m.inquiry_id].append((m, s))
        # Each shared inquiry with its measures' verdicts (all classes together), so that a
        # coach sees where to look first; the verdicts are class-level, never per student.
        ctx["inquiries_shared"] = [(i, verdicts[i.pk]) for i in shared]
        ctx["shared_panel"] = True
    return ctx


def _cards(inquiries: list[Inquiry], studies: list[tuple[Measure, Any]],
           stale: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each inquiry once, with each of its measures once: the verdict over all its classes
    and, together, the classes of yours that need data (never one line per class)."""
    late: dict[int, list[dict[str, Any]]] = {}
    for item in stale:
        late.setdefault(item["measure"].pk, []).append(item)
    by_inquiry: dict[int, list[dict[str, Any]]] = {i.pk: [] for i in inquiries}
    for m, study in studies:
        by_inquiry[m.inquiry_id].append({"measure": m, "study": study,
                                         "needs_data": late.get(m.pk, [])})
    return [{"inquiry": i, "measures": by_inquiry[i.pk]} for i in inquiries]


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
