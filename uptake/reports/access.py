"""Who may read and edit a case, and who may take the research export.

- A **case** (the district's, or one program's) is read by the district's coordinators and
  researchers, and by a school leader for her own school's figures (a program's case only
  when she may see the program); it is edited by coordinators. Teachers, coaches and
  assessors get the same 404 as a missing page.
- The **research export** is for the district's coordinators and its researchers.

Everything is checked against the person's CURRENT roles (a revoked role is no access).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from uptake.accounts.access import in_a_district, schools_led_by
from uptake.accounts.models import Role, User
from uptake.programs.access import access_program
from uptake.programs.models import Program

CASE_READERS = (Role.COORDINATOR, Role.RESEARCHER, Role.SCHOOL_LEADER)
CASE_EDITORS = (Role.COORDINATOR,)
EXPORTERS = (Role.COORDINATOR, Role.RESEARCHER)


def _active(user: Any) -> bool:
    return in_a_district(user) and bool(user.is_active)


def district_wide(user: Any) -> bool:
    """A coordinator or researcher of her district: the whole district's figures."""
    return _active(user) and user.has_role(Role.COORDINATOR, Role.RESEARCHER)


def may_read_cases(user: Any) -> bool:
    return district_wide(user) or (_active(user) and bool(schools_led_by(user)))


def may_edit_case(user: Any) -> bool:
    return _active(user) and user.has_role(*CASE_EDITORS)


def may_export_research(user: Any) -> bool:
    return _active(user) and user.has_role(*EXPORTERS)


def case_school(user: User, school_id: Any = None) -> int | None:
    """The school whose figures the case shows: none (the district) for a coordinator or
    researcher; for a school leader one of her schools (the one asked for, else her
    first). 404 for anyone else, or a school she does not lead."""
    if district_wide(user):
        return None
    led = sorted(schools_led_by(user)) if _active(user) else []
    if not led:
        raise Http404("No such page.")
    if school_id in (None, ""):
        return led[0]
    try:
        wanted = int(school_id)
    except (TypeError, ValueError):
        raise Http404("No such school.") from None
    if wanted not in led:
        raise Http404("No such school.")
    return wanted


def access_case_program(user: User, program_id: Any) -> Program:
    """A program whose case this person may read, or 404."""
    if not may_read_cases(user):
        raise Http404("No such program.")
    return access_program(user, program_id)
