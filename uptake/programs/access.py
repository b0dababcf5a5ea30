"""Who may see and manage a district's programs.

- A coordinator manages her district's programs (create, edit, archive, sessions,
  participants, attendance, imports) and sees them all, archived ones too.
- A researcher sees every program of her district (to read it, never to change it).
- A school leader sees the district-wide programs and those that run in a school she leads.
- A teacher or coach sees the programs offered to a school she works in (and district-wide
  ones), and any she takes part in, so that she may say she took part and link her work.

Roles are read afresh at every request: a revoked role, or a move to another school, ends
what it gave. Whoever may not see a program gets the same 404 as for one that does not
exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from uptake.accounts.access import in_a_district
from uptake.accounts.models import Role, User
from uptake.programs.models import Program, ProgramLink, ProgramSession

READERS = (Role.COORDINATOR, Role.RESEARCHER, Role.SCHOOL_LEADER, Role.TEACHER, Role.COACH)
EDUCATORS = (Role.TEACHER, Role.COACH)


def may_manage_programs(user: Any, district_id: int | None) -> bool:
    """A coordinator of that district (and an active account)."""
    return (in_a_district(user) and user.is_active and district_id is not None
            and user.district_id == district_id and user.has_role(Role.COORDINATOR))


def _schools(user: User, *roles: str) -> list[int]:
    return list(user.roles.filter(role__in=roles, school__isnull=False,
                                  district_id=user.district_id or 0)
                .values_list("school_id", flat=True))


def visible_programs(user: Any) -> QuerySet[Program]:
    """The programs this person may see (see the module's rules); archived ones only to
    coordinators and researchers."""
    if not in_a_district(user) or not user.is_active:
        return Program.objects.none()
    mine = Program.objects.filter(district_id=user.district_id or 0)
    if user.has_role(Role.COORDINATOR, Role.RESEARCHER):
        return mine
    current = mine.filter(archived_at__isnull=True)
    schools = _schools(user, Role.SCHOOL_LEADER, *EDUCATORS)
    if not schools:
        return Program.objects.none()
    offered = Q(schools__isnull=True) | Q(schools__in=schools)
    if user.has_role(*EDUCATORS):
        offered |= Q(participants__person=user)
    ids = current.filter(offered).values("pk")
    return mine.filter(pk__in=ids)


def may_see_program(user: Any, program: Program) -> bool:
    return visible_programs(user).filter(pk=program.pk).exists()


def may_link(user: Any) -> bool:
    """A teacher or coach of a school of her district links her own work to programs."""
    return (in_a_district(user) and user.is_active
            and bool(_schools(user, *EDUCATORS)))


def access_program(user: Any, program_id: Any, *, manage: bool = False) -> Program:
    """A program this person may see (``manage``: may manage), or 404."""
    try:
        program = visible_programs(user).get(pk=program_id)
    except (Program.DoesNotExist, ValueError, TypeError):
        raise Http404("No such program.") from None
    if manage and not may_manage_programs(user, program.district_id):
        raise Http404("No such program.")
    return program


def access_session(user: Any, session_id: Any) -> ProgramSession:
    """A session of a program this person manages, or 404."""
    try:
        session = ProgramSession.objects.select_related("program").get(pk=session_id)
    except (ProgramSession.DoesNotExist, ValueError, TypeError):
        raise Http404("No such session.") from None
    if not may_manage_programs(user, session.program.district_id):
        raise Http404("No such session.")
    return session


def access_own_link(user: Any, link_id: Any) -> ProgramLink:
    """One of this person's own links, while she may still link, or 404."""
    if not may_link(user):
        raise Http404("No such link.")
    try:
        return ProgramLink.objects.select_related("program").get(
            pk=link_id, owner=user, program__district_id=user.district_id)
    except (ProgramLink.DoesNotExist, ValueError, TypeError):
        raise Http404("No such link.") from None
