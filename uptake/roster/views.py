from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from uptake.accounts.access import allow
from uptake.accounts.models import Role
from uptake.roster.models import Section


@allow(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR)
def classes(request: HttpRequest) -> HttpResponse:
    sections = Section.objects.visible_to(request.user).select_related("school", "course")
    return render(request, "roster/classes.html", {"sections": sections})


@allow(Role.COORDINATOR)
def import_roster(request: HttpRequest) -> HttpResponse:
    return render(request, "roster/import.html", {})


@allow(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR)
def class_detail(request: HttpRequest, section_id: int) -> HttpResponse:
    from uptake.audit.actions import record_student_read
    from uptake.roster.access import access_section

    section = access_section(request.user, section_id)
    students = list(section.enrollments.select_related("student").order_by(
        "student__family_name", "student__given_name")) if section.teacher_assignments.filter(
        teacher=request.user).exists() or request.user.has_role(Role.COORDINATOR) else None  # type: ignore[union-attr]
    if students:
        record_student_read(request, [e.student.pseudonym for e in students],
                            summary=f"Class list of {section.title}", obj=section)
    return render(request, "roster/class_detail.html", {"section": section, "enrollments": students})
