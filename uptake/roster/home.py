"""The roster's home-page panels: the district's figures for a coordinator, the schools a
leader or coach supports, a teacher's classes. Registered in RosterConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from uptake.accounts.models import Invitation, Role, School, User
from uptake.roster.models import Section, Student
from uptake.roster.queries import current_assignment, student_counts


def district_panel(user: User) -> dict[str, Any] | None:
    if not user.has_role(Role.COORDINATOR) or not user.district_id:
        return None
    district_id = user.district_id
    return {
        "district_stats": {
            "schools": School.objects.filter(district_id=district_id).count(),
            "people": User.objects.filter(district_id=district_id, is_active=True).count(),
            "sections": Section.objects.filter(district_id=district_id).count(),
            "students": Student.objects.filter(district_id=district_id, enabled=True).count(),
        },
        "people_without_roles": User.objects.filter(district_id=district_id, is_active=True,
                                                    roles__isnull=True).count(),
    }


def schools_panel(user: User) -> dict[str, Any] | None:
    if not user.has_role(Role.SCHOOL_LEADER, Role.COACH):
        return None
    held = user.roles.filter(role__in=[Role.SCHOOL_LEADER, Role.COACH], school__isnull=False)
    return {"my_schools": (School.objects.filter(pk__in=held.values("school_id"))
                           .annotate(n_sections=Count("sections", distinct=True),
                                     n_students=Count("students", distinct=True,
                                                      filter=Q(students__enabled=True))))}


def classes_panel(user: User) -> dict[str, Any] | None:
    if not user.has_role(Role.TEACHER):
        return None
    # The classes she teaches now: an ended assignment leaves her home as it leaves her reach.
    sections = list(Section.objects.filter(
        current_assignment("teacher_assignments__"), teacher_assignments__teacher=user)
        .distinct().select_related("school").order_by("title"))
    counts = student_counts(sections)  # the class pages' rule: ended enrollments do not count
    for section in sections:
        section.n_students = counts.get(section.pk, 0)  # type: ignore[attr-defined]
    return {
        "my_sections": sections,
        "open_invitations": Invitation.objects.filter(
            invited_by=user, accepted_at=None, revoked_at=None,
            expires_at__gt=timezone.now()).count(),
    }
