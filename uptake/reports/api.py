"""This app's part of the JSON API (uptake/api): the make-your-case words and the research
export. Every operation calls the same access helpers (``uptake.reports.access``) and
actions (``uptake.reports.actions``) as the pages:

- ``GET /reports/case``: the case's words (the coordinator's, or the drafts written from the
  figures) and its numbers, for the district's coordinators and researchers, and for a
  school leader with her school's figures; ``program_id`` for a program's case;
- ``PUT /reports/case``: the coordinator's words (a paragraph sent empty, or exactly as the
  draft, follows the figures again);
- ``POST /reports/research-export``: the de-identified ZIP (base64 in JSON, with its file
  name and row counts), for the district's coordinators and researchers, written directly
  and audited.

Everyone else gets the same 404 as for a missing page.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from uptake.api import support
from uptake.programs.models import Program
from uptake.reports import access, actions
from uptake.reports.case import Case, build_case
from uptake.reports.models import PARAGRAPH_MAX

router = Router(tags=["Reports"])

QueryId = Annotated[int | None, Field(ge=1, le=support.MAX_ID)]


class CaseHeadlineOut(Schema):
    key: str
    label: str
    value: str
    note: str


class CaseParagraphOut(Schema):
    key: str = Field(description="challenge, solution or impact")
    heading: str
    text: str = Field(description="What the page and PDF print.")
    draft: str = Field(description="The draft written from today's figures.")
    from_figures: bool = Field(description="True while no one has written her own words.")


class CaseReportOut(Schema):
    program_id: int | None
    school_id: int | None = Field(description="A school leader's school; null for the "
                                              "district's figures.")
    title: str
    edited: bool
    updated_at: datetime | None
    paragraphs: list[CaseParagraphOut]
    headlines: list[CaseHeadlineOut]
    caveats: list[str]


class CaseReportIn(Schema):
    challenge: str = Field("", max_length=PARAGRAPH_MAX)
    solution: str = Field("", max_length=PARAGRAPH_MAX)
    impact: str = Field("", max_length=PARAGRAPH_MAX)


def _out(case: Case) -> CaseReportOut:
    return CaseReportOut(
        program_id=case.program.pk if case.program else None,
        school_id=case.school.pk if case.school else None, title=case.title,
        edited=case.edited, updated_at=case.report.updated_at if case.report else None,
        paragraphs=[CaseParagraphOut(key=p.key, heading=p.heading, text=p.text,
                                     draft=p.draft, from_figures=p.from_figures)
                    for p in case.paragraphs],
        headlines=[CaseHeadlineOut(key=h.key, label=h.label, value=h.value, note=h.note)
                   for h in case.headlines],
        caveats=list(case.caveats))


def _case(request: HttpRequest, program_id: int | None, school_id: int | None
          ) -> tuple[Case, Program | None]:
    me = support.me(request)
    if not access.may_read_cases(me):
        raise Http404("No such page.")
    program = access.access_case_program(me, program_id) if program_id is not None else None
    school = access.case_school(me, school_id)
    return build_case(me, program=program, school_id=school), program


@router.get("/case", response=CaseReportOut, summary="A make-your-case page's words")
def get_case(request: HttpRequest, program_id: QueryId = None,
             school_id: QueryId = None) -> CaseReportOut:
    """The district's case (``program_id``: that program's): Challenge, Solution and
    Impact as printed, the drafts written from today's figures, and the numbers. A school
    leader reads her school's figures (``school_id``: which of her schools)."""
    case, _program = _case(request, program_id, school_id)
    return _out(case)


@router.put("/case", response=CaseReportOut, summary="Edit a make-your-case page's words")
@support.idempotent
def put_case(request: HttpRequest, payload: CaseReportIn,
             program_id: QueryId = None) -> CaseReportOut:
    """The coordinator's words for the case. A paragraph sent empty, or exactly as its
    draft, keeps following the figures. Audited."""
    me = support.me(request)
    if not access.may_read_cases(me):
        raise Http404("No such page.")
    if program_id is not None:
        access.access_case_program(me, program_id)
    if not access.may_edit_case(me):
        raise actions.ReportNotAllowed("Only the district's coordinators edit a case.")
    case, program = _case(request, program_id, None)
    actions.do_save_case(me, program=program, challenge=payload.challenge,
                         solution=payload.solution, impact=payload.impact,
                         drafts={p.key: p.draft for p in case.paragraphs}, request=request)
    return _out(build_case(me, program=program, school_id=None))


class ResearchExportOut(Schema):
    filename: str
    rows: dict[str, int] = Field(description="Rows of each CSV (the header aside).")
    content_base64: str = Field(description="The ZIP (README.txt, classes.csv, "
                                            "students.csv, programs.csv, "
                                            "participation.csv, dictionary.csv), base64.")


@router.post("/research-export", response=ResearchExportOut,
             summary="Take the de-identified research export")
def research_export(request: HttpRequest) -> ResearchExportOut:
    """The district's de-identified research export, written now: every key re-made from
    a secret drawn for this export only, small groups blanked, no names, e-mails, SIS ids
    or free text (docs/reports.md). Recorded in the audit log with its row counts."""
    me = support.me(request)
    if not access.may_export_research(me):
        raise Http404("No such page.")
    export = actions.do_export_research(me, request=request)
    return ResearchExportOut(filename=export.filename, rows=export.rows,
                             content_base64=base64.b64encode(export.content).decode("ascii"))
