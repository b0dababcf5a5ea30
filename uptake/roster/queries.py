"""What other apps (and the roster's own pages) read about classes, by the roster's rules.

A student is *current* in a class while her enrollment has not ended (no end date, or one
today or later) and her record is enabled; every count of a class's students uses this one
rule, so the home page, the class list and a class's own page agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from uptake.accounts.models import Role, RoleAssignment, School
from uptake.roster.models import Enrollment, Section, Student


def not_ended(prefix: str = "") -> Q:
    """A dated roster link (an enrollment, a teacher assignment) that has not ended: no end
    date, or one today or later. ``prefix`` reaches it through a relation."""
    today = timezone.localdate()
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})


def current_enrollment(prefix: str = "") -> Q:
    """The condition for a current enrollment; ``prefix`` reaches it through a relation
    (``"enrollments__"`` from a class or a student)."""
    return not_ended(prefix) & Q(**{f"{prefix}student__enabled": True})


def current_assignment(prefix: str = "") -> Q:
    """A teacher assignment that has not ended: who teaches a class *now*. ``prefix``
    reaches it through a relation (``"teacher_assignments__"`` from a class)."""
    return not_ended(prefix)


def current_students(sections: Iterable[Section]) -> QuerySet[Student]:
    """The classes' current students (enrollment not ended, record enabled)."""
    return Student.objects.filter(current_enrollment("enrollments__"),
                                  enrollments__section__in=list(sections)).distinct()


def student_counts(sections: Iterable[Section]) -> dict[int, int]:
    """Current students per class id (classes without any are left out)."""
    return dict(Enrollment.objects.filter(current_enrollment(), section__in=list(sections))
                .values("section").annotate(n=Count("pk")).values_list("section", "n"))


# ------------------------------------------------------------- describing a district


@dataclass(frozen=True)
class DistrictDescription:
    """Who a district (or one school of it) serves, from the roster, for a one-page case.

    Counts of people and schools are shown as they are; a percentage of students is
    ``None`` (shown as "fewer than N" or not at all) when the students it counts, or the
    students it leaves out, are fewer than ``MIN_GROUP_SIZE``: either would say something
    about a handful of children."""

    students: int
    teachers: int
    coaches: int
    schools: int
    english_learners_pct: float | None
    special_education_pct: float | None
    min_group_size: int


def _share(count: int, total: int, minimum: int) -> float | None:
    if total == 0 or count < minimum or total - count < minimum:
        return None
    return round(100 * count / total, 1)


def district_description(district_id: int, *, school_id: int | None = None
                         ) -> DistrictDescription:
    """The district's (or, with ``school_id``, one of its schools') enabled students,
    active teachers and coaches (people holding the role there), active schools, and the
    shares of English learners and of students in special education."""
    students = Student.objects.filter(district_id=district_id, enabled=True)
    roles = RoleAssignment.objects.filter(district_id=district_id, user__is_active=True)
    schools = School.objects.filter(district_id=district_id, active=True)
    if school_id is not None:
        students = students.filter(school_id=school_id)
        roles = roles.filter(school_id=school_id)
        schools = schools.filter(pk=school_id)
    counted = students.aggregate(
        n=Count("pk"), el=Count("pk", filter=Q(english_learner=True)),
        sped=Count("pk", filter=Q(special_education=True)))
    minimum = settings.MIN_GROUP_SIZE

    def holders(role: str) -> int:
        return roles.filter(role=role).values("user").distinct().count()

    return DistrictDescription(
        students=counted["n"], teachers=holders(Role.TEACHER), coaches=holders(Role.COACH),
        schools=schools.count(),
        english_learners_pct=_share(counted["el"], counted["n"], minimum),
        special_education_pct=_share(counted["sped"], counted["n"], minimum),
        min_group_size=minimum)
