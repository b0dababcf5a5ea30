"""This app's part of the JSON API (uptake/api): professional-learning programs.

The same access helpers (``uptake.programs.access``) and actions
(``uptake.programs.actions``) as the pages:

- **programs**: list and read those I may see; create and change them (a coordinator of
  the district), archive;
- **sessions**, **participants** and **attendance**: read by whoever may see the program's
  page, written by its coordinators; participation rows are imported as a JSON list with
  the page's checks (every row at fault in ``rows``, nothing saved);
- **links**: a teacher's or coach's own links from her inquiries, learning sources and
  credentials to the programs they came out of.

Whoever may not reach something gets the same 404 as for something that does not exist.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja import Status as Answer

from uptake.accounts.models import School, User
from uptake.api import support
from uptake.programs import access, actions, imports, queries
from uptake.programs.models import Participant, Program, ProgramLink, ProgramSession
from uptake.rules import Invalid

router = Router(tags=["Programs"])

Id = Annotated[int, Field(ge=1, le=support.MAX_ID)]
PathId = Annotated[int, Field(ge=1, le=support.MAX_ID)]
Kind = Literal["coaching", "course", "plc", "mentoring", "conference", "book_study",
               "micro_credential", "self_directed"]
Funding = Literal["title_ii_a", "title_i", "title_iv", "state", "district", "grant", "other"]
Status = Literal["enrolled", "completed", "withdrawn"]


def _reader(request: HttpRequest) -> User:
    me = support.me(request)
    if not (me.is_active and me.has_role(*access.READERS)):
        raise Http404("No such program.")
    return me


def _program(request: HttpRequest, program_id: int, *, manage: bool = False) -> Program:
    return access.access_program(_reader(request), program_id, manage=manage)


# ------------------------------------------------------------------------ programs

class ProgramCountsOut(Schema):
    enrolled: int
    attended: int
    completed: int
    withdrawn: int


class ProgramOut(Schema):
    id: int
    name: str
    kind: str
    focus_area: str
    description: str
    starts_on: dt.date
    ends_on: dt.date | None
    facilitator: str
    facilitator_person_id: int | None
    funding_source: str
    school_ids: list[int] = Field(description="Empty: the whole district.")
    element_ids: list[int]
    credential_ids: list[int]
    archived: bool
    counts: ProgramCountsOut

    @staticmethod
    def resolve_school_ids(obj: Program) -> list[int]:
        return sorted(s.pk for s in obj.schools.all())

    @staticmethod
    def resolve_element_ids(obj: Program) -> list[int]:
        return sorted(e.pk for e in obj.elements.all())

    @staticmethod
    def resolve_credential_ids(obj: Program) -> list[int]:
        return sorted(c.pk for c in obj.credentials.all())

    @staticmethod
    def resolve_archived(obj: Program) -> bool:
        return obj.archived_at is not None

    @staticmethod
    def resolve_counts(obj: Program) -> dict[str, int]:
        return queries.participant_counts(obj)


class ProgramIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: Kind
    focus_area: str = Field("", max_length=100)
    description: str = Field("", max_length=10_000)
    starts_on: dt.date
    ends_on: dt.date | None = None
    facilitator: str = Field("", max_length=200)
    facilitator_person_id: Id | None = None
    funding_source: Funding = "district"
    school_ids: list[Id] = Field(default_factory=list, max_length=500)
    element_ids: list[Id] = Field(default_factory=list, max_length=500)
    credential_ids: list[Id] = Field(default_factory=list, max_length=500)


def _program_kwargs(me: User, payload: ProgramIn) -> dict[str, Any]:
    from uptake.credentials.models import Credential
    from uptake.learning.models import FrameworkElement

    def _all(model: Any, ids: list[int], field: str, **scope: Any) -> list[Any]:
        found = list(model.objects.filter(pk__in=ids, **scope))
        if len(found) != len(set(ids)):
            raise Invalid("Choose only ones of your own district.", field=field)
        return found

    person = None
    if payload.facilitator_person_id is not None:
        person = User.objects.filter(pk=payload.facilitator_person_id,
                                     district_id=me.district_id or 0).first()
        if person is None:
            raise Invalid("The facilitator must be a person of your district.",
                          field="facilitator_person_id")
    return {
        "name": payload.name, "kind": payload.kind, "focus_area": payload.focus_area,
        "description": payload.description, "starts_on": payload.starts_on,
        "ends_on": payload.ends_on, "facilitator": payload.facilitator,
        "facilitator_person": person, "funding_source": payload.funding_source,
        "schools": _all(School, payload.school_ids, "school_ids", district_id=me.district_id),
        "elements": _all(FrameworkElement, payload.element_ids, "element_ids",
                         framework__district_id=me.district_id),
        "credentials": _all(Credential, payload.credential_ids, "credential_ids",
                            district_id=me.district_id),
    }


@router.get("", response=list[ProgramOut], summary="Programs I may see")
@support.paginate(ordering=("-starts_on", "name", "pk"))
def list_programs(request: HttpRequest, archived: bool | None = None) -> QuerySet[Program]:
    """The district's programs this person may see: all of them for coordinators and
    researchers (archived ones too), the district-wide ones and those of her school for
    school leaders, teachers and coaches. ``archived`` filters."""
    found = access.visible_programs(_reader(request)).prefetch_related(
        "schools", "elements", "credentials")
    if archived is not None:
        found = found.filter(archived_at__isnull=not archived)
    return found


@router.get("/{program_id}", response=ProgramOut, summary="One program")
def get_program(request: HttpRequest, program_id: PathId) -> Program:
    return _program(request, program_id)


@router.post("", response={201: ProgramOut}, summary="Create a program")
@support.idempotent
def create_program(request: HttpRequest, payload: ProgramIn) -> Answer:
    """A coordinator adds a program of her district. Audited."""
    me = _reader(request)
    if not access.may_manage_programs(me, me.district_id):
        raise Http404("No such program.")
    program = actions.do_create_program(actor=me, request=request,
                                        **_program_kwargs(me, payload))
    return Answer(201, program)


@router.put("/{program_id}", response=ProgramOut, summary="Change a program")
def update_program(request: HttpRequest, program_id: PathId, payload: ProgramIn) -> Program:
    """Every field, replaced (an archived program no longer changes: 409). Audited."""
    program = _program(request, program_id, manage=True)
    me = support.me(request)
    return actions.do_update_program(program, actor=me, request=request,
                                     **_program_kwargs(me, payload))


@router.post("/{program_id}/archive", response=ProgramOut, summary="Archive a program")
def archive_program(request: HttpRequest, program_id: PathId) -> Program:
    """No longer offered to teachers; its records and counts stay. Audited."""
    program = _program(request, program_id, manage=True)
    return actions.do_archive_program(program, actor=support.me(request), request=request)


# ------------------------------------------------------------------------ sessions

class ProgramSessionOut(Schema):
    id: int
    held_on: dt.date
    title: str
    hours: Decimal
    present: int

    @staticmethod
    def resolve_present(obj: ProgramSession) -> int:
        return obj.attendance.filter(present=True).count()


class ProgramSessionIn(Schema):
    held_on: dt.date
    title: str = Field("", max_length=200)
    hours: Decimal = Field(Decimal("0"), ge=0, le=100, max_digits=5, decimal_places=2)


@router.get("/{program_id}/sessions", response=list[ProgramSessionOut],
            summary="A program's sessions")
@support.paginate(ordering=("held_on", "pk"))
def list_sessions(request: HttpRequest, program_id: PathId) -> QuerySet[ProgramSession]:
    return _program(request, program_id).sessions.all()


@router.post("/{program_id}/sessions", response={201: ProgramSessionOut},
             summary="Add a session")
@support.idempotent
def create_session(request: HttpRequest, program_id: PathId,
                   payload: ProgramSessionIn) -> Answer:
    program = _program(request, program_id, manage=True)
    session = actions.do_add_session(program, actor=support.me(request), request=request,
                                     held_on=payload.held_on, title=payload.title,
                                     hours=payload.hours)
    return Answer(201, session)


@router.put("/sessions/{session_id}", response=ProgramSessionOut, summary="Change a session")
def update_session(request: HttpRequest, session_id: PathId,
                   payload: ProgramSessionIn) -> ProgramSession:
    session = access.access_session(_reader(request), session_id)
    return actions.do_update_session(session, actor=support.me(request), request=request,
                                     held_on=payload.held_on, title=payload.title,
                                     hours=payload.hours)


@router.delete("/sessions/{session_id}", response={204: None}, summary="Delete a session")
def delete_session(request: HttpRequest, session_id: PathId) -> Answer:
    """The session goes, with its attendance."""
    session = access.access_session(_reader(request), session_id)
    actions.do_delete_session(session, actor=support.me(request), request=request)
    return Answer(204, None)


# ------------------------------------------------------------------------ participants

class ProgramParticipantOut(Schema):
    id: int
    person_id: int
    name: str
    email: str
    status: str
    enrolled_on: dt.date
    completed_on: dt.date | None
    sessions_attended: list[int]

    @staticmethod
    def resolve_name(obj: Participant) -> str:
        return obj.person.display_name

    @staticmethod
    def resolve_email(obj: Participant) -> str:
        return obj.person.email

    @staticmethod
    def resolve_sessions_attended(obj: Participant) -> list[int]:
        return sorted(obj.program.sessions.filter(attendance__person_id=obj.person_id,
                                                  attendance__present=True)
                      .values_list("pk", flat=True))


@router.get("/{program_id}/participants", response=list[ProgramParticipantOut],
            summary="A program's participants")
@support.paginate(ordering=("pk",))
def list_participants(request: HttpRequest, program_id: PathId) -> QuerySet[Participant]:
    """Who enrolled, their status and the sessions they attended: for the district's
    coordinators (others see the counts on the program)."""
    program = _program(request, program_id, manage=True)
    return program.participants.select_related("person", "program")


class ProgramEnrolIn(Schema):
    person_id: Id


@router.post("/{program_id}/participants", response={201: ProgramParticipantOut},
             summary="Enrol a person")
@support.idempotent
def enrol(request: HttpRequest, program_id: PathId, payload: ProgramEnrolIn) -> Answer:
    program = _program(request, program_id, manage=True)
    person = User.objects.filter(pk=payload.person_id,
                                 district_id=program.district_id).first()
    participant = actions.do_enrol(program, actor=support.me(request), person=person,
                                   request=request)
    return Answer(201, participant)


class ProgramParticipantPatch(Schema):
    status: Status
    completed_on: dt.date | None = None


@router.patch("/{program_id}/participants/{participant_id}", response=ProgramParticipantOut,
              summary="Complete, withdraw or re-enrol")
def set_status(request: HttpRequest, program_id: PathId, participant_id: PathId,
               payload: ProgramParticipantPatch) -> Participant:
    program = _program(request, program_id, manage=True)
    participant = program.participants.filter(pk=participant_id).first()
    if participant is None:
        raise Http404("No such participant.")
    return actions.do_set_participant_status(participant, actor=support.me(request),
                                             status=payload.status, on=payload.completed_on,
                                             request=request)


class ProgramAttendanceIn(Schema):
    present: list[Annotated[list[Id], Field(min_length=2, max_length=2)]] = Field(
        max_length=100_000, description="[session id, person id] of everyone who came; every "
                                        "other participant of every session is absent.")


class ProgramAttendanceOut(Schema):
    present: int


@router.put("/{program_id}/attendance", response=ProgramAttendanceOut,
            summary="Record attendance")
def put_attendance(request: HttpRequest, program_id: PathId,
                   payload: ProgramAttendanceIn) -> dict[str, int]:
    """The whole grid at once, as the page saves it."""
    program = _program(request, program_id, manage=True)
    count = actions.do_record_attendance(program, actor=support.me(request),
                                         present=[(s, p) for s, p in payload.present],
                                         request=request)
    return {"present": count}


class ProgramParticipationRowIn(Schema):
    email: str = Field("", max_length=254)
    staff_identifier: str = Field("", max_length=64)
    session: str = Field("", max_length=200, description="The session's date or title.")
    attended: str = Field("", max_length=10, description="yes or no")
    status: str = Field("", max_length=10, description="enrolled, completed or withdrawn")


class ProgramImportIn(Schema):
    rows: list[ProgramParticipationRowIn] = Field(min_length=1, max_length=imports.MAX_ROWS)


class ProgramImportOut(Schema):
    rows: int
    enrolled: int
    status_changed: int
    attendance: int


@router.post("/{program_id}/participation", response=ProgramImportOut,
             summary="Import participation rows")
def import_participation(request: HttpRequest, program_id: PathId,
                         payload: ProgramImportIn) -> dict[str, int]:
    """The page's import as a JSON list, with the same checks: every item at fault is in
    the error's ``rows`` (its position from 1) and nothing is saved. Audited."""
    program = _program(request, program_id, manage=True)
    rows = imports.check(program, [r.dict() for r in payload.rows], first_row=1)
    return actions.do_import_participation(program, actor=support.me(request), rows=rows,
                                           file_name="API", request=request)


# ------------------------------------------------------------------------ links

class ProgramLinkOut(Schema):
    id: int
    program_id: int
    kind: str
    record_id: int

    @staticmethod
    def resolve_kind(obj: ProgramLink) -> str:
        return obj.target_kind

    @staticmethod
    def resolve_record_id(obj: ProgramLink) -> int:
        return int(obj.inquiry_id or obj.source_id or obj.credential_id or 0)


class ProgramLinkIn(Schema):
    program_id: Id
    kind: Literal["inquiry", "source", "credential"]
    record_id: Id


def _linker(request: HttpRequest) -> User:
    me = _reader(request)
    if not access.may_link(me):
        raise Http404("No such link.")
    return me


@router.get("/links/mine", response=list[ProgramLinkOut], summary="My links")
@support.paginate(ordering=("pk",))
def list_links(request: HttpRequest) -> QuerySet[ProgramLink]:
    me = _linker(request)
    return ProgramLink.objects.filter(owner=me, program__district_id=me.district_id or 0)


@router.post("/links/mine", response={201: ProgramLinkOut}, summary="Link my record")
@support.idempotent
def create_link(request: HttpRequest, payload: ProgramLinkIn) -> Answer:
    """Say that one of my records came out of a program I may see: my own inquiry or
    learning source, or a micro-credential I have a submission or award for."""
    from uptake.credentials.models import Credential
    from uptake.inquiry.models import Inquiry
    from uptake.learning.models import LearningSource

    me = _linker(request)
    program = access.access_program(me, payload.program_id)
    model: Any = {"inquiry": Inquiry, "source": LearningSource,
                  "credential": Credential}[payload.kind]
    found = model.objects.filter(pk=payload.record_id, district_id=me.district_id).first()
    if found is None:
        raise Http404("No such record.")
    link = actions.do_link(me, program, request=request, **{payload.kind: found})
    return Answer(201, link)


@router.delete("/links/mine/{link_id}", response={204: None}, summary="Unlink my record")
def delete_link(request: HttpRequest, link_id: PathId) -> Answer:
    me = _linker(request)
    actions.do_unlink(me, access.access_own_link(me, link_id), request=request)
    return Answer(204, None)
