"""Who may see which classes and students.

A teacher reaches only her own classes and their students; a school leader and a coach
see their schools' classes (students only as aggregates, see views); a coordinator sees
her district. Nobody crosses districts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404

from uptake.accounts.access import in_a_district
from uptake.accounts.models import Role
from uptake.roster.queries import current_assignment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from uptake.accounts.models import User
    from uptake.roster.models import (
        RosterImport,
        Section,
        SectionQuerySet,
        Student,
        StudentQuerySet,
    )


def sections_visible_to(user: Any, qs: SectionQuerySet) -> SectionQuerySet:
    if not getattr(user, "is_authenticated", False) or user.district_id is None:
        return qs.none()
    qs = qs.filter(district_id=user.district_id)
    if user.has_role(Role.COORDINATOR):
        return qs
    school_ids = list(user.roles.filter(role__in=[Role.SCHOOL_LEADER, Role.COACH],
                                        school__isnull=False).values_list("school_id", flat=True))
    from django.db.models import Q

    # A teacher reaches the classes she teaches now: once her assignment ends, the class
    # is gone for her, as for anyone else (access is who a person is now).
    teaching = Q(teacher_assignments__teacher=user) & current_assignment("teacher_assignments__")
    return qs.filter(Q(school_id__in=school_ids) | teaching).distinct()


def students_visible_to(user: Any, qs: StudentQuerySet) -> StudentQuerySet:
    """Identifiable students: only those in the person's own classes (coordinators: district)."""
    if not getattr(user, "is_authenticated", False) or user.district_id is None:
        return qs.none()
    qs = qs.filter(district_id=user.district_id)
    if user.has_role(Role.COORDINATOR):
        return qs
    # Only current teaching: a teacher whose assignment ended no longer sees the names.
    current = current_assignment("enrollments__section__teacher_assignments__")
    return qs.filter(current, enrollments__section__teacher_assignments__teacher=user).distinct()


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


def access_import(user: Any, import_id: Any) -> RosterImport:
    """A roster import of the coordinator's own district, or 404."""
    from uptake.roster.models import RosterImport

    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.COORDINATOR):
        raise Http404("No such import.")
    try:
        return RosterImport.objects.get(pk=import_id, district_id=user.district_id)
    except (RosterImport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import.") from None


def teaches_now(user: Any, section: Section) -> bool:
    """Whether the person is one of the class's current teachers (assignment not ended)."""
    return section.teacher_assignments.filter(current_assignment(), teacher=user).exists()


def may_see_student_names(user: Any, section: Section) -> bool:
    """Names are for the class's current teachers and the district's coordinators only."""
    if getattr(user, "district_id", None) != section.district_id:
        return False
    return bool(user.has_role(Role.COORDINATOR)) or teaches_now(user, section)


# Roles that, held at the class's own school, let a person see its students' rows
# under their pseudonyms (school officials with an educational interest in the class).
STUDENT_ROW_SCHOOL_ROLES = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)


def may_see_student_rows(user: User | AnonymousUser, section: Section) -> bool:
    """Whether per-student rows of the class (pseudonyms, each student's growth, group
    tables) may be shown to this person, as she is *now*: its current teachers and
    whoever may see its names; staff (teacher, coach, leader) of the class's own school;
    the coordinators of its district. Nobody from another school or district, whatever
    was shared with her. Names need more: :func:`may_see_student_names`."""
    if not in_a_district(user) or user.district_id != section.district_id:
        return False
    if may_see_student_names(user, section):
        return True
    return user.roles.filter(role__in=STUDENT_ROW_SCHOOL_ROLES, school_id=section.school_id,
                             district_id=section.district_id).exists()
