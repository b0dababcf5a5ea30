"""Reading the knowledge-mobilisation log (docs/knowledge-mobilisation.md): who reads which
changes, and the counts the reports and Guskey's level 3 on the district view show.

Who reads a change (``uptake.networks.access``, the contract): whoever recorded it or is
named in its chain, the leaders of its school, and the district's coordinators and
researchers. Reports: coordinators and researchers the whole district, a school leader her
own schools. Roles are read afresh at every request; another district's change is the same
404 as a missing one.

Changes are not student data, so report cells are not suppressed: a count of changes names
no student. A change names its recorder and the people of its chain, which is why the log
itself is read only by the people above; a report shows counts only.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from uptake.accounts.access import in_a_district, schools_led_by
from uptake.accounts.models import Role, School, User
from uptake.networks.access import may_record_changes
from uptake.networks.models import Change

READER_ROLES = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR,
                Role.RESEARCHER)
WHOLE_DISTRICT_ROLES = (Role.COORDINATOR, Role.RESEARCHER)
EDUCATOR_ROLES = (Role.TEACHER, Role.COACH)
DEPTHS = ("real", "soft")
# What the reports call each kind of source (the words: PLN/social media, courses,
# coaching, colleagues; and the library).
SOURCE_KIND_LABELS = {
    "social_media": "PLN and social media",
    "course": "Courses, workshops and conferences",
    "coaching": "Coaching",
    "colleagues": "Colleagues",
    "library": "The practice library",
    "other": "Other",
}
ACROSS_THE_DISTRICT = "Across the district"


def _active(user: User) -> bool:
    return in_a_district(user) and user.is_active


def may_read_changes(user: User) -> bool:
    return _active(user) and user.has_role(*READER_ROLES)


def _schools_of(user: User, *roles: str) -> list[int]:
    return list(user.roles.filter(role__in=roles, school__isnull=False,
                                  district_id=user.district_id or 0)
                .values_list("school_id", flat=True))


def changes_visible_to(user: User) -> QuerySet[Change]:
    """The changes this person reads: all of her district's for a coordinator or a
    researcher; otherwise those she recorded or is named in, and her schools' as a
    leader."""
    if not may_read_changes(user):
        return Change.objects.none()
    mine = Change.objects.filter(district_id=user.district_id or 0)
    if user.has_role(*WHOLE_DISTRICT_ROLES):
        return mine
    seen = Q(recorded_by=user) | Q(steps__person=user)
    if user.has_role(Role.SCHOOL_LEADER):
        seen |= Q(school_id__in=schools_led_by(user))
    return mine.filter(pk__in=mine.filter(seen).values("pk"))


def access_change(user: User, change_id: int) -> Change:
    """A change this person reads, or 404 (the same for another district's)."""
    found = (changes_visible_to(user).select_related(
        "school", "recorded_by", "learning_source", "practice", "program", "contact")
        .filter(pk=change_id).first())
    if found is None:
        raise Http404("No such change.")
    return found


def may_edit_change(user: User, change: Change) -> bool:
    """Its recorder (while she may record changes) or a coordinator of its district."""
    if not may_record_changes(user) or user.district_id != change.district_id:
        return False
    return change.recorded_by_id == user.pk or user.has_role(Role.COORDINATOR)


def recordable_schools(user: User) -> list[School]:
    """The schools she records changes for: a teacher's or coach's own, a leader's own,
    every school of the district for a coordinator."""
    if not may_record_changes(user):
        return []
    schools = School.objects.filter(district_id=user.district_id or 0).order_by("name", "pk")
    if user.has_role(Role.COORDINATOR):
        return list(schools)
    ids = set(_schools_of(user, *EDUCATOR_ROLES, Role.SCHOOL_LEADER))
    return [s for s in schools if s.pk in ids]


def may_record_district_wide(user: User) -> bool:
    return may_record_changes(user) and user.has_role(Role.COORDINATOR)


@dataclass(frozen=True)
class ReportScope:
    district_id: int
    school_ids: frozenset[int] | None  # None: the whole district


def report_scope(user: User) -> ReportScope | None:
    """Whose changes her reports count: the whole district (coordinators, researchers),
    a leader's schools, or None (no reports)."""
    if not _active(user):
        return None
    district_id = user.district_id or 0
    if user.has_role(*WHOLE_DISTRICT_ROLES):
        return ReportScope(district_id, None)
    if user.has_role(Role.SCHOOL_LEADER):
        led = frozenset(schools_led_by(user))
        return ReportScope(district_id, led) if led else None
    return None


def in_scope(scope: ReportScope) -> QuerySet[Change]:
    changes = Change.objects.filter(district_id=scope.district_id)
    if scope.school_ids is not None:
        changes = changes.filter(school_id__in=scope.school_ids)
    return changes


# ----------------------------------------------------------------------- the reports

@dataclass(frozen=True)
class DepthRow:
    """One row of a report: real and soft changes for a school, a kind of source, a month
    or a counterfactual answer."""

    key: str
    label: str
    real: int
    soft: int

    @property
    def total(self) -> int:
        return self.real + self.soft


@dataclass(frozen=True)
class ChangeReport:
    count: int
    real: int
    soft: int
    by_school: list[DepthRow]
    by_source: list[DepthRow]
    by_month: list[DepthRow]
    counterfactual: list[DepthRow]


def month_label(key: str) -> str:
    year, month = key.split("-")
    return datetime.date(int(year), int(month), 1).strftime("%B %Y")


def _months(first: datetime.date, last: datetime.date) -> list[str]:
    keys, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def change_report(changes: QuerySet[Change]) -> ChangeReport:
    """Real and soft changes by school, by kind of source and by month (every month from
    the first to the last, empty ones too), and the answers to "Would this have happened
    without it?"."""
    rows = list(changes.values_list("school_id", "school__name", "source_kind", "depth",
                                    "happened_on", "counterfactual"))
    by_school: Counter[tuple[int | None, str]] = Counter()
    by_source: Counter[tuple[str, str]] = Counter()
    by_month: Counter[tuple[str, str]] = Counter()
    answers: Counter[tuple[str, str]] = Counter()
    names: dict[int | None, str] = {}
    for school_id, school_name, source_kind, depth, day, answer in rows:
        names[school_id] = school_name or ACROSS_THE_DISTRICT
        by_school[(school_id, depth)] += 1
        by_source[(source_kind, depth)] += 1
        by_month[(f"{day.year:04d}-{day.month:02d}", depth)] += 1
        answers[(answer, depth)] += 1
    schools = sorted(names, key=lambda s: (s is None, names[s].casefold(), s or 0))
    days = [r[4] for r in rows]
    months = _months(min(days), max(days)) if days else []
    return ChangeReport(
        count=len(rows), real=sum(1 for r in rows if r[3] == "real"),
        soft=sum(1 for r in rows if r[3] == "soft"),
        by_school=[DepthRow(str(s or ""), names[s], by_school[(s, "real")],
                            by_school[(s, "soft")]) for s in schools],
        by_source=[DepthRow(k, SOURCE_KIND_LABELS[k], by_source[(k, "real")],
                            by_source[(k, "soft")])
                   for k in SOURCE_KIND_LABELS if by_source[(k, "real")]
                   or by_source[(k, "soft")]],
        by_month=[DepthRow(m, month_label(m), by_month[(m, "real")], by_month[(m, "soft")])
                  for m in months],
        counterfactual=[DepthRow(k, str(label), answers[(k, "real")], answers[(k, "soft")])
                        for k, label in Change.Counterfactual.choices])


# ------------------------------------------------------------------- Guskey's level 3

def program_changes(program_id: int, *, school_ids: Collection[int] | None = None
                    ) -> dict[str, int]:
    """How many real and soft changes the log traces to this program (its source), for
    Guskey's level 3 ("organisation support and change"); ``school_ids`` narrows to those
    schools' changes (a leader's scope), None counts every change of the program."""
    changes = Change.objects.filter(program_id=program_id)
    if school_ids is not None:
        changes = changes.filter(school_id__in=list(school_ids))
    found = Counter(changes.values_list("depth", flat=True))
    return {depth: found[depth] for depth in DEPTHS}

