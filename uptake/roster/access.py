"""Who may see which classes and students.

A teacher reaches only her own classes and their students; a school leader and a coach
see their schools' classes (students only as aggregates, see views); a coordinator sees
her district. Nobody crosses districts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404

from uptake.accounts.models import Role

if TYPE_CHECKING:
    from uptake.roster.models import Section, SectionQuerySet, Student, StudentQuerySet


def sections_visible_to(user: Any, qs: SectionQuerySet) -> SectionQuerySet:
    if not getattr(user, "is_authenticated", False) or user.district_id is None:
        return qs.none()
    qs = qs.filter(district_id=user.district_id)
    if user.has_role(Role.COORDINATOR):
        return qs
    school_ids = list(user.roles.filter(role__in=[Role.SCHOOL_LEADER, Role.COACH],
                                        school__isnull=False).values_list("school_id", flat=True))
    from django.db.models import Q

    return qs.filter(Q(school_id__in=school_ids) | Q(teacher_assignments__teacher=user)).distinct()


def students_visible_to(user: Any, qs: StudentQuerySet) -> StudentQuerySet:
    """Identifiable students: only those in the person's own classes (coordinators: district)."""
    if not getattr(user, "is_authenticated", False) or user.district_id is None:
        return qs.none()
    qs = qs.filter(district_id=user.district_id)
    if user.has_role(Role.COORDINATOR):
        return qs
    return qs.filter(enrollments__section__teacher_assignments__teacher=user).distinct()


def access_section(user: Any, section_id: Any) -> Section:
    from uptake.roster.models import Section

    try:
        return Section.objects.visible_to(user).get(pk=section_id)
    except (Section.DoesNotExist, ValueError, TypeError):
        raise Http404("No such class.") from None


def access_student(user: Any, student_id: Any) -> Student:
    from uptake.roster.models import Student

    try:
        return Student.objects.visible_to(user).get(pk=student_id)
    except (Student.DoesNotExist, ValueError, TypeError):
        raise Http404("No such student.") from None
