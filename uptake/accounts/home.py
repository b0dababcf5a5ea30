"""What each role sees first on the home page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from uptake.accounts.models import Role, School, User


def home_context(user: User) -> dict[str, Any]:
    from uptake.roster.models import Section, Student

    roles = user.role_set()
    ctx: dict[str, Any] = {"roles": sorted(roles), "district": user.district}
    if Role.TEACHER in roles:
        ctx["my_sections"] = (Section.objects.filter(teacher_assignments__teacher=user)
                              .select_related("school")
                              .annotate(n_students=Count("enrollments", distinct=True)))
    led = user.roles.filter(role__in=[Role.SCHOOL_LEADER, Role.COACH], school__isnull=False)
    if led.exists():
        ctx["my_schools"] = (School.objects.filter(pk__in=led.values("school_id"))
                             .annotate(n_sections=Count("sections", distinct=True),
                                       n_students=Count("students", distinct=True)))
    if Role.COORDINATOR in roles and user.district_id:
        district_id = user.district_id
        ctx["district_stats"] = {
            "schools": School.objects.filter(district_id=district_id).count(),
            "people": User.objects.filter(district_id=district_id, is_active=True).count(),
            "sections": Section.objects.filter(district_id=district_id).count(),
            "students": Student.objects.filter(district_id=district_id, enabled=True).count(),
        }
    return ctx
