"""What other apps (and the roster's own pages) read about classes, by the roster's rules.

A student is *current* in a class while her enrollment has not ended (no end date, or one
today or later) and her record is enabled; every count of a class's students uses this one
rule, so the home page, the class list and a class's own page agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils import timezone

from uptake.roster.models import Enrollment, Section


def current_enrollment(prefix: str = "") -> Q:
    """The condition for a current enrollment; ``prefix`` reaches it through a relation
    (``"enrollments__"`` from a class or a student)."""
    today = timezone.localdate()
    return (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})) \
        & Q(**{f"{prefix}student__enabled": True})


def student_counts(sections: Iterable[Section]) -> dict[int, int]:
    """Current students per class id (classes without any are left out)."""
    return dict(Enrollment.objects.filter(current_enrollment(), section__in=list(sections))
                .values("section").annotate(n=Count("pk")).values_list("section", "n"))
