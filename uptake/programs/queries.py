"""Reads of programs for other apps (the district view, reports, surveys, spending).

Plain functions returning plain data; who may see which program is
``uptake.programs.access`` (``visible_programs`` is re-exported here).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q

from uptake.programs.access import may_see_program, visible_programs
from uptake.programs.models import Attendance, Participant, Program, ProgramLink

__all__ = ["linked_credential_ids", "linked_inquiry_ids", "linked_source_ids",
           "may_see_program", "participant_counts", "programs_of_inquiry",
           "visible_programs"]


def participant_counts(program: Program) -> dict[str, int]:
    """How many people enrolled (everyone who ever was: enrolled, completed and withdrawn
    alike), attended at least one session, completed, and withdrew."""
    return participation([program.pk])


def participation(program_ids: Iterable[int]) -> dict[str, int]:
    """``participant_counts`` summed over several programs (a person in two programs
    counts in each), in two queries whatever their number."""
    ids = set(program_ids)
    by_status: dict[str, int] = defaultdict(int)
    for status, n in (Participant.objects.filter(program_id__in=ids).values_list("status")
                      .annotate(n=Count("pk")).values_list("status", "n")):
        by_status[status] += n
    attended = (Attendance.objects.filter(session__program_id__in=ids, present=True)
                .values("session__program_id", "person_id").distinct().count())
    return {"enrolled": sum(by_status.values()), "attended": attended,
            "completed": by_status.get(Participant.Status.COMPLETED, 0),
            "withdrawn": by_status.get(Participant.Status.WITHDRAWN, 0)}


def _linked(program: Program, field: str) -> set[int]:
    return linked_ids([program.pk], field).get(program.pk, set())


def linked_ids(program_ids: Iterable[int], field: str) -> dict[int, set[int]]:
    """For each program, the ids teachers linked to it (``field``: inquiry, source or
    credential), in one query whatever the number of programs."""
    out: dict[int, set[int]] = defaultdict(set)
    for program_id, linked in (ProgramLink.objects
                               .filter(program_id__in=set(program_ids),
                                       **{f"{field}__isnull": False})
                               .values_list("program_id", f"{field}_id")):
        out[program_id].add(linked)
    return dict(out)


def linked_inquiry_ids(program: Program) -> set[int]:
    return _linked(program, "inquiry")


def linked_source_ids(program: Program) -> set[int]:
    return _linked(program, "source")


def linked_credential_ids(program: Program) -> set[int]:
    """The credentials the program offers, and those its teachers linked to it."""
    return credential_ids([program.pk])


def credential_ids(program_ids: Iterable[int]) -> set[int]:
    """The credentials the programs offer and those their teachers linked to them."""
    ids = set(program_ids)
    offered = set(Program.credentials.through.objects.filter(program_id__in=ids)
                  .values_list("credential_id", flat=True))
    for linked in linked_ids(ids, "credential").values():
        offered |= linked
    return offered


def programs_of_inquiry(inquiry_id: int) -> list[Program]:
    return list(Program.objects.filter(links__inquiry_id=inquiry_id).distinct()
                .order_by("-starts_on", "name", "pk"))


def link_counts(program: Program) -> dict[str, int]:
    counts = ProgramLink.objects.filter(program=program).aggregate(
        inquiries=Count("pk", filter=Q(inquiry__isnull=False)),
        sources=Count("pk", filter=Q(source__isnull=False)),
        credentials=Count("pk", filter=Q(credential__isnull=False)))
    return {k: v or 0 for k, v in counts.items()}


def inquiry_section(inquiry: Any, reader: Any) -> dict[str, Any] | None:
    """The inquiry page's "Programs this came out of": the linked programs this reader may
    see; for the inquiry's owner, her links with an unlink button and a choice of the
    programs she may link it to."""
    from uptake.programs import access

    visible = visible_programs(reader)
    links = list(ProgramLink.objects.filter(inquiry=inquiry, program__in=visible)
                 .select_related("program").order_by("program__name", "pk"))
    own = inquiry.owner_id == getattr(reader, "pk", None) and access.may_link(reader)
    if not own and not links:
        return None
    linked_ids = {link.program_id for link in links}
    choices = (list(visible.filter(archived_at__isnull=True).exclude(pk__in=linked_ids)
                    .order_by("name", "pk")) if own else [])
    return {"links": links, "own": own, "choices": choices}
