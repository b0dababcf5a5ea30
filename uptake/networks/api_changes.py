"""The networks app's changes part of the JSON API: the knowledge-mobilisation log
(docs/knowledge-mobilisation.md).

The same reading rules (``queries_changes``) and actions (``actions.changes``) as the
pages. A change is read by whoever recorded it or is named in its chain, the leaders of its
school and the district's coordinators and researchers; anyone else gets the same 404 as
for a change that does not exist. A reader who may not change it gets 403.

- ``GET /changes/changes``: the changes she reads (filter by school, kind, depth, kind of
  source, period), paginated; ``GET /changes/changes/{change_id}``: one, with its chain;
- ``POST /changes/changes``, ``PUT`` and ``DELETE /changes/changes/{change_id}``;
- ``GET /changes/reports``: real and soft changes by school, kind of source and month, and
  the counterfactual answers (coordinators and researchers: the district; a leader: her
  schools).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from uptake.accounts.models import User
from uptake.api import support
from uptake.networks import queries_changes as q
from uptake.networks.actions import changes as actions
from uptake.networks.models import Change

router = Router(tags=["Knowledge mobilisation"])

PathId = Annotated[int, Field(ge=1, le=support.MAX_ID)]
KindKey = Literal["lesson_taught", "pd_led", "school_visit", "grading_policy",
                  "meeting_protocol", "technology_policy", "resource_adopted", "other"]
DepthKey = Literal["soft", "real"]
SourceKindKey = Literal["social_media", "course", "coaching", "colleagues", "library", "other"]
SourceKey = Literal["learning_source", "practice", "program", "contact", "colleague", "note"]
Answer = Literal["yes", "probably", "unsure", "probably_not", "no"]


def _reader(request: HttpRequest) -> User:
    me = support.me(request)
    if not q.may_read_changes(me):
        raise Http404("No such change.")
    return me


class ChangeStepOut(Schema):
    position: int
    person_id: int | None
    person_name: str
    contact_id: int | None
    contact_name: str
    did: str


class ChangeOut(Schema):
    id: int
    title: str
    school_id: int | None = Field(description="None: a change across the district.")
    kind: str
    depth: str = Field(description="soft or real")
    happened_on: dt.date
    description: str
    source: str = Field(description="learning_source, practice, program, contact, colleague "
                                    "or note")
    source_id: int | None
    source_kind: str
    source_note: str
    counterfactual: str = Field(description="Would this have happened without it? yes, "
                                            "probably, unsure, probably_not or no")
    evidence: str
    evidence_link: str
    recorded_by_id: int | None
    steps: list[ChangeStepOut]


class ChangeStepIn(Schema):
    person_id: int | None = Field(None, ge=1, le=support.MAX_ID)
    contact_id: int | None = Field(None, ge=1, le=support.MAX_ID)
    did: str = Field(..., max_length=200)


class ChangeIn(Schema):
    title: str = Field(..., max_length=200)
    kind: KindKey
    depth: DepthKey
    happened_on: dt.date
    counterfactual: Answer = Field(description="Required every time: would this have "
                                               "happened without it?")
    school_id: int | None = Field(None, ge=1, le=support.MAX_ID,
                                  description="None: across the district (coordinators).")
    description: str = Field("", max_length=5000)
    source: SourceKey = "note"
    source_id: int | None = Field(None, ge=1, le=support.MAX_ID)
    source_kind: SourceKindKey | None = Field(None, description="None: from the source.")
    source_note: str = Field("", max_length=300)
    evidence: str = Field("", max_length=5000)
    evidence_link: str = Field("", max_length=500)
    steps: list[ChangeStepIn] = Field(default_factory=list, max_length=actions.MAX_STEPS)


class ChangeReportRowOut(Schema):
    key: str
    label: str
    real: int
    soft: int


class ChangeReportOut(Schema):
    count: int
    real: int
    soft: int
    by_school: list[ChangeReportRowOut]
    by_source: list[ChangeReportRowOut]
    by_month: list[ChangeReportRowOut]
    counterfactual: list[ChangeReportRowOut]


def _out(change: Change) -> ChangeOut:
    source, source_id = actions.source_of(change)
    steps = [ChangeStepOut(position=s.position, person_id=s.person_id,
                           person_name=s.person.display_name if s.person else "",
                           contact_id=s.contact_id,
                           contact_name=str(s.contact) if s.contact else "", did=s.did)
             for s in change.steps.select_related("person", "contact")]
    return ChangeOut(id=change.pk, title=change.title, school_id=change.school_id,
                     kind=change.kind, depth=change.depth, happened_on=change.happened_on,
                     description=change.description, source=source, source_id=source_id,
                     source_kind=change.source_kind, source_note=change.source_note,
                     counterfactual=change.counterfactual, evidence=change.evidence,
                     evidence_link=change.evidence_link,
                     recorded_by_id=change.recorded_by_id, steps=steps)


def _data(payload: ChangeIn) -> actions.ChangeData:
    return actions.ChangeData(
        title=payload.title, kind=payload.kind, depth=payload.depth,
        happened_on=payload.happened_on, counterfactual=payload.counterfactual,
        school_id=payload.school_id, description=payload.description, source=payload.source,
        source_id=payload.source_id, source_kind=payload.source_kind or "",
        source_note=payload.source_note, evidence=payload.evidence,
        evidence_link=payload.evidence_link,
        steps=tuple(actions.StepData(person_id=s.person_id, contact_id=s.contact_id,
                                     did=s.did) for s in payload.steps))


class ChangeListOut(Schema):
    id: int
    title: str
    school_id: int | None
    kind: str
    depth: str
    happened_on: dt.date
    source_kind: str
    counterfactual: str


@router.get("/changes", response=list[ChangeListOut], summary="The changes you read")
@support.paginate(ordering=("-happened_on", "-pk"))
def list_changes(request: HttpRequest, school: int | None = Query(None, ge=1,
                                                                  le=support.MAX_ID),
                 kind: KindKey | None = None, depth: DepthKey | None = None,
                 source_kind: SourceKindKey | None = None, since: dt.date | None = None,
                 until: dt.date | None = None) -> QuerySet[Change]:
    """The changes you recorded or are named in, your schools' as a leader, the
    district's as a coordinator or researcher; filtered by ``school``, ``kind``,
    ``depth``, ``source_kind`` and the period ``since``..``until`` (when it happened)."""
    me = _reader(request)
    return support.where(q.changes_visible_to(me), school_id=school, kind=kind, depth=depth,
                         source_kind=source_kind, happened_on__gte=since,
                         happened_on__lte=until)


@router.get("/changes/{change_id}", response=ChangeOut, summary="One change, with its chain")
def get_change(request: HttpRequest, change_id: PathId) -> ChangeOut:
    return _out(q.access_change(_reader(request), change_id))


@router.post("/changes", response={201: ChangeOut}, summary="Record a change")
@support.idempotent
def create_change(request: HttpRequest, payload: ChangeIn) -> Status[ChangeOut]:
    """Teachers and coaches for their schools, leaders for theirs, coordinators for any
    school of the district or across it. The source is one of yours (a learning source), a
    published practice, a program you see, a contact of the district, a colleague (the
    chain's first step) or a note; the counterfactual is required."""
    me = _reader(request)
    return Status(201, _out(actions.do_record_change(me, _data(payload), request=request)))


@router.put("/changes/{change_id}", response=ChangeOut, summary="Edit a change")
def update_change(request: HttpRequest, change_id: PathId, payload: ChangeIn) -> ChangeOut:
    """Its recorder or a coordinator: every field, the chain replaced as sent."""
    me = _reader(request)
    found = q.access_change(me, change_id)
    return _out(actions.do_edit_change(me, found, _data(payload), request=request))


@router.delete("/changes/{change_id}", response={204: None}, summary="Delete a change")
def delete_change(request: HttpRequest, change_id: PathId) -> Status[None]:
    """Its recorder or a coordinator: the change and its chain go for good (the audit log
    keeps a note)."""
    me = _reader(request)
    actions.do_delete_change(me, q.access_change(me, change_id), request=request)
    return Status(204, None)


@router.get("/reports", response=ChangeReportOut, summary="Real and soft changes")
def get_reports(request: HttpRequest, since: dt.date | None = None,
                until: dt.date | None = None) -> ChangeReportOut:
    """Real and soft changes by school, by kind of source and by month (every month from
    the first change to the last), and the answers to "Would this have happened without
    it?": the district for coordinators and researchers, a leader's schools for her."""
    me = _reader(request)
    scope = q.report_scope(me)
    if scope is None:
        raise Http404("No such report.")
    changes = support.where(q.in_scope(scope), happened_on__gte=since,
                            happened_on__lte=until)
    report = q.change_report(changes)

    def rows(found: list[q.DepthRow]) -> list[ChangeReportRowOut]:
        return [ChangeReportRowOut(key=r.key, label=r.label, real=r.real, soft=r.soft)
                for r in found]

    return ChangeReportOut(count=report.count, real=report.real, soft=report.soft,
                           by_school=rows(report.by_school), by_source=rows(report.by_source),
                           by_month=rows(report.by_month),
                           counterfactual=rows(report.counterfactual))
