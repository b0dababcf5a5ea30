"""What other apps (and the roster's own pages) read about classes, by the roster's rules.

A student is *current* in a class while her enrollment has not ended (no end date, or one
today or later) and her record is enabled; every count of a class's students uses this one
rule, so the home page, the class list and a class's own page agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

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
