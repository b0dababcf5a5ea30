"""The one write path of programs: the district's offerings, their sessions, who took part
and who came, and the records teachers link to the program they came out of.

Every action checks who may do it (``uptake.programs.access``), refuses with a
:class:`ProgramRuleError` (a message for the person who asked, ``field=`` where one field is
at fault) and records an audit event of its own kind (``AUDIT_KINDS``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from uptake.accounts.models import School, User
from uptake.audit.actions import record
from uptake.programs import access
from uptake.programs.models import (
    FundingSource,
    Participant,
    Program,
    ProgramLink,
    ProgramSession,
)
from uptake.rules import Conflict, Invalid, NotAllowed, RuleError

AUDIT_KINDS = {
    "program_created": "Program created",
    "program_changed": "Program changed",
    "program_archived": "Program archived",
    "program_session_changed": "Program session added, changed or deleted",
    "program_participation_changed": "Program participation changed",
    "program_attendance_recorded": "Program attendance recorded",
    "participation_imported": "Program participation imported",
    "program_linked": "Record linked to a program",
    "program_unlinked": "Record unlinked from a program",
}
MAX_HOURS = Decimal("100")


class ProgramRuleError(RuleError):
    """A change to a program the rules refuse."""


def _manager(actor: User, district_id: int) -> None:
    if not access.may_manage_programs(actor, district_id):
        raise NotAllowed("Only a coordinator of the district manages its programs.")


def _today() -> datetime.date:
    return timezone.localdate()


# ------------------------------------------------------------------------ programs


def _check_program(actor: User, *, name: str, kind: str, starts_on: datetime.date | None,
                   ends_on: datetime.date | None, funding_source: str,
                   schools: Iterable[Any], elements: Iterable[Any],
                   credentials: Iterable[Any], facilitator_person: User | None) -> None:
    district_id = actor.district_id
    if not name.strip():
        raise ProgramRuleError("Give the program a name.", field="name")
    if len(name) > 200:
        raise ProgramRuleError("Keep the name under 200 characters.", field="name")
    if kind not in Program.Kind.values:
        raise ProgramRuleError("Choose what kind of program it is.", field="kind")
    if funding_source not in FundingSource.values:
        raise ProgramRuleError("Choose where its money comes from.", field="funding_source")
    if starts_on is None:
        raise ProgramRuleError("Give the date it starts.", field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise ProgramRuleError("It cannot end before it starts.", field="ends_on")
    if any(s.district_id != district_id for s in schools):
        raise ProgramRuleError("Choose schools of your own district.", field="schools")
    if any(e.framework.district_id != district_id for e in elements):
        raise ProgramRuleError("Choose standards of your own district's frameworks.",
                               field="elements")
    if any(c.district_id != district_id for c in credentials):
        raise ProgramRuleError("Choose micro-credentials of your own district.",
                               field="credentials")
    if facilitator_person is not None and facilitator_person.district_id != district_id:
        raise ProgramRuleError("The facilitator must be a person of your district.",
                               field="facilitator_person")


def do_create_program(*, actor: User, name: str, kind: str, starts_on: datetime.date | None,
                      ends_on: datetime.date | None = None, focus_area: str = "",
                      description: str = "", facilitator: str = "",
                      facilitator_person: User | None = None,
                      funding_source: str = FundingSource.DISTRICT,
                      schools: Sequence[School] = (), elements: Sequence[Any] = (),
                      credentials: Sequence[Any] = (),
                      request: HttpRequest | None = None) -> Program:
    if actor.district_id is None:
        raise NotAllowed("Only a coordinator of the district manages its programs.")
    _manager(actor, actor.district_id)
    _check_program(actor, name=name, kind=kind, starts_on=starts_on, ends_on=ends_on,
                   funding_source=funding_source, schools=schools, elements=elements,
                   credentials=credentials, facilitator_person=facilitator_person)
    assert starts_on is not None
    with transaction.atomic():
        program = Program.objects.create(
            district_id=actor.district_id, name=name.strip(), kind=kind,
            focus_area=focus_area.strip(), description=description.strip(),
            starts_on=starts_on, ends_on=ends_on, facilitator=facilitator.strip(),
            facilitator_person=facilitator_person, funding_source=funding_source,
            created_by=actor)
        program.schools.set(schools)
        program.elements.set(elements)
        program.credentials.set(credentials)
        record("program_created", actor=actor, district=actor.district, request=request,
               obj=program, summary=f"Program created: {program.name}")
    return program


def do_update_program(program: Program, *, actor: User, name: str, kind: str,
                      starts_on: datetime.date | None, ends_on: datetime.date | None = None,
                      focus_area: str = "", description: str = "", facilitator: str = "",
                      facilitator_person: User | None = None,
                      funding_source: str = FundingSource.DISTRICT,
                      schools: Sequence[School] = (), elements: Sequence[Any] = (),
                      credentials: Sequence[Any] = (),
                      request: HttpRequest | None = None) -> Program:
    _manager(actor, program.district_id)
    if program.archived_at is not None:
        raise Conflict("This program is archived; it can no longer change.")
    _check_program(actor, name=name, kind=kind, starts_on=starts_on, ends_on=ends_on,
                   funding_source=funding_source, schools=schools, elements=elements,
                   credentials=credentials, facilitator_person=facilitator_person)
    with transaction.atomic():
        program.name, program.kind = name.strip(), kind
        program.focus_area, program.description = focus_area.strip(), description.strip()
        program.starts_on, program.ends_on = starts_on, ends_on  # type: ignore[assignment]
        program.facilitator, program.facilitator_person = facilitator.strip(), facilitator_person
        program.funding_source = funding_source
        program.save()
        program.schools.set(schools)
        program.elements.set(elements)
        program.credentials.set(credentials)
        record("program_changed", actor=actor, district=program.district, request=request,
               obj=program, summary=f"Program changed: {program.name}")
    return program


def do_archive_program(program: Program, *, actor: User,
                       request: HttpRequest | None = None) -> Program:
    """No longer offered: teachers stop seeing it; its records and counts stay."""
    _manager(actor, program.district_id)
    if program.archived_at is not None:
        raise Conflict("This program is already archived.")
    program.archived_at = timezone.now()
    program.save(update_fields=["archived_at"])
    record("program_archived", actor=actor, district=program.district, request=request,
           obj=program, summary=f"Program archived: {program.name}")
    return program


# ------------------------------------------------------------------------ sessions


def _check_session(program: Program, held_on: datetime.date | None, title: str,
                   hours: Decimal | None) -> None:
    if held_on is None:
        raise ProgramRuleError("Give the date of the session.", field="held_on")
    if len(title) > 200:
        raise ProgramRuleError("Keep the title under 200 characters.", field="title")
    if hours is None or hours < 0 or hours > MAX_HOURS:
        raise ProgramRuleError(f"Give its hours, from 0 to {MAX_HOURS}.", field="hours")


def do_add_session(program: Program, *, actor: User, held_on: datetime.date | None,
                   title: str = "", hours: Decimal | None = Decimal("0"),
                   request: HttpRequest | None = None) -> ProgramSession:
    _manager(actor, program.district_id)
    _check_session(program, held_on, title, hours)
    assert held_on is not None and hours is not None
    session = ProgramSession.objects.create(program=program, held_on=held_on,
                                            title=title.strip(), hours=hours)
    record("program_session_changed", actor=actor, district=program.district,
           request=request, obj=program, summary=f"Session added: {session}",
           details={"session": session.pk, "change": "added"})
    return session


def do_update_session(session: ProgramSession, *, actor: User,
                      held_on: datetime.date | None, title: str = "",
                      hours: Decimal | None = Decimal("0"),
                      request: HttpRequest | None = None) -> ProgramSession:
    program = session.program
    _manager(actor, program.district_id)
    _check_session(program, held_on, title, hours)
    session.held_on, session.title = held_on, title.strip()  # type: ignore[assignment]
    session.hours = hours  # type: ignore[assignment]
    session.save()
    record("program_session_changed", actor=actor, district=program.district,
           request=request, obj=program, summary=f"Session changed: {session}",
           details={"session": session.pk, "change": "changed"})
    return session


def do_delete_session(session: ProgramSession, *, actor: User,
                      request: HttpRequest | None = None) -> None:
    """The session goes, with its attendance (the audit event keeps how many rows)."""
    program = session.program
    _manager(actor, program.district_id)
    rows = session.attendance.count()
    label = str(session)
    session.delete()
    record("program_session_changed", actor=actor, district=program.district,
           request=request, obj=program, summary=f"Session deleted: {label}",
           details={"change": "deleted", "attendance_rows": rows})


# ------------------------------------------------------------------------ participants


def _person_of_district(program: Program, person: User | None) -> User:
    if person is None or person.district_id != program.district_id or not person.is_active:
        raise ProgramRuleError("Choose a person of the district.", field="person")
    return person


def _set_status(participant: Participant, status: str, on: datetime.date | None) -> None:
    if status not in Participant.Status.values:
        raise ProgramRuleError("Choose enrolled, completed or withdrawn.", field="status")
    participant.status = status
    if status == Participant.Status.COMPLETED:
        participant.completed_on = on or participant.completed_on or _today()
    else:
        participant.completed_on = None


def do_enrol(program: Program, *, actor: User, person: User | None,
             enrolled_on: datetime.date | None = None,
             request: HttpRequest | None = None) -> Participant:
    _manager(actor, program.district_id)
    person = _person_of_district(program, person)
    if program.participants.filter(person=person).exists():
        raise Conflict(f"{person.display_name} is already a participant.", field="person")
    participant = Participant.objects.create(program=program, person=person,
                                             enrolled_on=enrolled_on or _today())
    record("program_participation_changed", actor=actor, district=program.district,
           request=request, obj=program, summary=f"Enrolled {person.display_name}",
           details={"person": person.pk, "status": participant.status})
    return participant


def do_set_participant_status(participant: Participant, *, actor: User, status: str,
                              on: datetime.date | None = None,
                              request: HttpRequest | None = None) -> Participant:
    """Complete, withdraw, or enrol again (``on``: the completion date)."""
    program = participant.program
    _manager(actor, program.district_id)
    _set_status(participant, status, on)
    participant.save()
    record("program_participation_changed", actor=actor, district=program.district,
           request=request, obj=program,
           summary=f"{participant.person.display_name}: {participant.get_status_display()}",
           details={"person": participant.person_id, "status": status})
    return participant


def do_record_attendance(program: Program, *, actor: User,
                         present: Iterable[tuple[int, int]],
                         request: HttpRequest | None = None) -> int:
    """The attendance grid in one save: ``present`` holds (session id, person id) pairs of
    who came; every other participant of every session is recorded absent. Returns how
    many were present."""
    from uptake.programs.models import Attendance

    _manager(actor, program.district_id)
    sessions = {s.pk: s for s in program.sessions.all()}
    people = set(program.participants.values_list("person_id", flat=True))
    came = set(present)
    strangers = {(s, p) for s, p in came if s not in sessions or p not in people}
    if strangers:
        raise Invalid("Attendance can only be recorded for this program's sessions and "
                      "participants.")
    with transaction.atomic():
        Attendance.objects.filter(session__program=program).delete()
        Attendance.objects.bulk_create(
            Attendance(session_id=s, person_id=p, present=(s, p) in came)
            for s in sessions for p in sorted(people))
        record("program_attendance_recorded", actor=actor, district=program.district,
               request=request, obj=program,
               summary=f"Attendance recorded: {len(came)} present",
               details={"sessions": len(sessions), "participants": len(people),
                        "present": len(came)})
    return len(came)


def do_import_participation(program: Program, *, actor: User, rows: Any, file_name: str,
                            request: HttpRequest | None = None) -> dict[str, int]:
    """Apply checked participation rows (``uptake.programs.imports.check``) in one
    transaction: new participants enrolled, statuses set, attendance written."""
    from uptake.programs.models import Attendance

    _manager(actor, program.district_id)
    enrolled = changed = marked = 0
    with transaction.atomic():
        participants = {p.person_id: p for p in program.participants.select_for_update()}
        for row in rows:
            participant = participants.get(row.person.pk)
            if participant is None:
                participant = Participant(program=program, person=row.person,
                                          enrolled_on=_today())
                participants[row.person.pk] = participant
                enrolled += 1
            if row.status:
                if participant.pk and participant.status != row.status:
                    changed += 1
                _set_status(participant, row.status, None)
            participant.save()
            if row.session is not None:
                Attendance.objects.update_or_create(
                    session=row.session, person=row.person,
                    defaults={"present": bool(row.attended)})
                marked += 1
        summary = {"rows": len(rows), "enrolled": enrolled, "status_changed": changed,
                   "attendance": marked}
        record("participation_imported", actor=actor, district=program.district,
               request=request, obj=program,
               summary=f"Participation imported from {file_name[:100]}: {len(rows)} rows",
               details={"file": file_name[:200], **summary})
    return summary


# ------------------------------------------------------------------------ links


def do_link(actor: User, program: Program, *, inquiry: Any = None, source: Any = None,
            credential: Any = None, request: HttpRequest | None = None) -> ProgramLink:
    """A teacher says a record of hers came out of a program: her own inquiry or learning
    source, or a credential she has a submission or award for."""
    from uptake.credentials.models import Award, Submission

    if sum(x is not None for x in (inquiry, source, credential)) != 1:
        raise Invalid("Choose one record to link: an inquiry, a learning source or a "
                      "micro-credential.")
    if not access.may_link(actor) or not access.may_see_program(actor, program) \
            or program.archived_at is not None:
        raise NotAllowed("You can link your work only to a current program of your "
                         "district offered to your school.")
    if inquiry is not None and inquiry.owner_id != actor.pk:
        raise NotAllowed("You can link only your own inquiries.")
    if source is not None and source.owner_id != actor.pk:
        raise NotAllowed("You can link only your own learning sources.")
    if credential is not None and (
            credential.district_id != actor.district_id
            or not (Submission.objects.filter(educator=actor,
                                              tier__version__credential=credential).exists()
                    or Award.objects.filter(educator=actor, credential=credential).exists())):
        raise NotAllowed("You can link only a micro-credential you have worked toward.")
    what = inquiry or source or credential
    try:
        with transaction.atomic():
            link = ProgramLink.objects.create(program=program, owner=actor, inquiry=inquiry,
                                              source=source, credential=credential)
    except IntegrityError:
        raise Conflict("That record is already linked to this program.") from None
    record("program_linked", actor=actor, district=program.district, request=request,
           obj=program, summary=f"Linked to {program.name}",
           details={"link": link.pk, "kind": link.target_kind, "record": what.pk})
    return link


def do_unlink(actor: User, link: ProgramLink, *, request: HttpRequest | None = None) -> None:
    if link.owner_id != actor.pk:
        raise NotAllowed("You can unlink only your own records.")
    program, kind = link.program, link.target_kind
    link.delete()
    record("program_unlinked", actor=actor, district=program.district, request=request,
           obj=program, summary=f"Unlinked from {program.name}", details={"kind": kind})

