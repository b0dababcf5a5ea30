"""What each role sees first on the home page: only facts that exist today."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from uptake.accounts.models import Invitation, Role, School, User


def home_context(user: User) -> dict[str, Any]:
    roles = user.role_set()
    ctx: dict[str, Any] = {
        "roles": sorted(roles),
        "district": user.district,
        "assignments": user.roles.select_related("school"),
    }
    if Role.TEACHER in roles:
        ctx.update(_teacher(user))
    if roles & {Role.SCHOOL_LEADER, Role.COACH}:
        ctx.update(_schools(user))
    if Role.COORDINATOR in roles and user.district_id:
        ctx.update(_coordinator(user.district_id))
    if roles & {Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER}:
        from uptake.inquiry.home import inquiry_home

        ctx.update(inquiry_home(user))
    return ctx


def _teacher(user: User) -> dict[str, Any]:
    from uptake.roster.models import Section

    return {
        "my_sections": (Section.objects.filter(teacher_assignments__teacher=user)
                        .select_related("school")
                        .annotate(n_students=Count("enrollments", distinct=True))
                        .order_by("title")),
        "open_invitations": Invitation.objects.filter(
            invited_by=user, accepted_at=None, revoked_at=None,
            expires_at__gt=timezone.now()).count(),
    }


def _schools(user: User) -> dict[str, Any]:
    held = user.roles.filter(role__in=[Role.SCHOOL_LEADER, Role.COACH], school__isnull=False)
    return {"my_schools": (School.objects.filter(pk__in=held.values("school_id"))
                           .annotate(n_sections=Count("sections", distinct=True),
                                     n_students=Count("students", distinct=True,
                                                      filter=Q(students__enabled=True))))}


def _coordinator(district_id: int) -> dict[str, Any]:
    from uptake.audit.models import AuditAction, AuditEvent
    from uptake.roster.models import Section, Student

    week_ago = timezone.now() - timedelta(days=7)
    recent = AuditEvent.objects.filter(district_id=district_id, at__gte=week_ago)
    return {
        "district_stats": {
            "schools": School.objects.filter(district_id=district_id).count(),
            "people": User.objects.filter(district_id=district_id, is_active=True).count(),
            "sections": Section.objects.filter(district_id=district_id).count(),
            "students": Student.objects.filter(district_id=district_id, enabled=True).count(),
        },
        "security_week": {
            "failed": recent.filter(action=AuditAction.LOGIN_FAILED).count(),
            "locked": recent.filter(action=AuditAction.LOCKED_OUT).count(),
        },
        "people_without_roles": User.objects.filter(district_id=district_id, is_active=True,
                                                    roles__isnull=True).count(),
    }
