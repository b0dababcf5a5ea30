"""The networks app's imports part of the JSON API (see api.py and
docs/network-imports.md): list the imports and read one (the district's coordinators and
researchers), bring a network survey in, import an edge list as JSON rows or as a CSV/XLSX
file, delete an import (coordinators; a researcher's write is refused with 403).

A refused edge list answers ``400 invalid`` with every problem in ``rows`` (row, column,
message; a JSON item's row is its position from 1, a file's row counts the header as 1),
and nothing is saved.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from uptake.accounts.access import district_id_of
from uptake.accounts.models import User
from uptake.api import support
from uptake.networks import access, edgelist
from uptake.networks.actions import imports as actions
from uptake.networks.models import NetworkImport
from uptake.rules import Invalid
from uptake.surveys.models import Question, Survey
from uptake.surveys.queries import rate_text

router = Router(tags=["Networks"])
PathId = Annotated[int, Field(ge=1, le=support.MAX_ID)]
Direction = Literal["flows", "nominations"]


class NetworkImportOut(Schema):
    id: int
    kind: str = Field(description="survey or edge_list")
    relation: str = Field(description="The relation of every tie (survey); empty when the "
                                      "rows name it.")
    survey_id: int | None
    question_id: int | None
    file_name: str
    nominations_reversed: bool = Field(description="True when the rows were nominations "
                                                   "and were stored reversed.")
    observed_on: date
    invited: int = Field(description="People asked (survey).")
    responded: int = Field(description="People who answered (survey).")
    response_rate: str = Field(description="In words, e.g. “18 of 24 invited, 75 %”; empty "
                                           "for an edge list.")
    rows: int
    ties: int
    created_at: str

    @staticmethod
    def resolve_invited(obj: NetworkImport) -> int:
        return len(obj.invited)

    @staticmethod
    def resolve_responded(obj: NetworkImport) -> int:
        return len(obj.responded)

    @staticmethod
    def resolve_response_rate(obj: NetworkImport) -> str:
        if obj.kind != NetworkImport.Kind.SURVEY:
            return ""
        return rate_text(len(obj.responded), len(obj.invited))

    @staticmethod
    def resolve_created_at(obj: NetworkImport) -> str:
        return obj.created_at.isoformat()


class NetworkSurveyImportIn(Schema):
    survey_id: PathId
    question_id: PathId = Field(description="One of the survey's roster questions.")
    relation: str = Field(max_length=40, description="advice, information, collaboration "
                                                     "or one of the district's relations.")
    observed_on: date


class NetworkEdgesIn(Schema):
    direction: Direction = Field(description="flows (from shares with to: stored as sent) "
                                             "or nominations (from goes to to: stored "
                                             "reversed).")
    observed_on: date = Field(description="The date of every row without one.")
    rows: list[dict[str, str | int | None]] = Field(
        min_length=1, max_length=edgelist.MAX_ROWS,
        description="Items with the edge list's columns: from, to, relation and optionally "
                    "weight, frequency, date, from_platform, to_platform.")


def _reader(request: HttpRequest) -> User:
    me = support.me(request)
    if not access.may_see_whole_network(me):
        raise Http404("No such page.")
    return me


@router.get("/imports", response=list[NetworkImportOut], summary="The network's imports")
@support.paginate(ordering=("-created_at", "-pk"))
def list_imports(request: HttpRequest) -> QuerySet[NetworkImport]:
    """Surveys and edge lists brought into the district's network, newest first
    (coordinators and researchers)."""
    return actions.imports_of(_reader(request))


@router.post("/imports/survey", response={201: NetworkImportOut},
             summary="Bring a network survey in")
def bring_in_survey(request: HttpRequest, payload: NetworkSurveyImportIn
                    ) -> Status[NetworkImport]:
    """Every identified answer to the roster question becomes a tie, the nomination
    reversed (respondent i names j: the tie j → i), weighted by the frequency's rank (1 =
    least often). Bringing the same question in again replaces the earlier batch. An
    anonymous survey is refused (400)."""
    me = _reader(request)
    survey = Survey.objects.filter(pk=payload.survey_id,
                                   district_id=district_id_of(me)).first()
    question = Question.objects.filter(pk=payload.question_id, survey=survey).first()
    if survey is None or question is None:
        raise Http404("No such survey.")
    made = actions.do_bring_in_survey(me, survey, question, payload.relation,
                                      payload.observed_on, request=request)
    return Status(201, made)


@router.post("/imports/edges", response={201: NetworkImportOut},
             summary="Import an edge list (JSON rows)")
def import_edges(request: HttpRequest, payload: NetworkEdgesIn) -> Status[NetworkImport]:
    """The edge list as JSON items, checked as a file is; every item at fault is in the
    error's ``rows`` (its position from 1) and nothing is saved."""
    me = _reader(request)
    made = actions.do_import_edges(me, records=payload.rows, first_row=1,
                                   nominations=payload.direction == "nominations",
                                   observed_on=payload.observed_on, request=request)
    return Status(201, made)


@router.post("/imports/edges/file", response={201: NetworkImportOut},
             summary="Import an edge list (CSV or XLSX file)")
def import_edge_file(request: HttpRequest, file: File[UploadedFile],
                     direction: Form[Direction], observed_on: Form[date]
                     ) -> Status[NetworkImport]:
    """multipart/form-data: ``file`` (.csv or .xlsx), ``direction`` and ``observed_on``.
    Problems name the file, the row (the header is row 1) and the column."""
    me = _reader(request)
    if file.size is not None and file.size > edgelist.MAX_BYTES:
        raise Invalid(f"The file is {file.size:,} bytes; the limit is "
                      f"{edgelist.MAX_BYTES:,}.", field="file")
    made = actions.do_import_edge_file(me, file_name=file.name or "edges.csv",
                                       content=file.read(edgelist.MAX_BYTES + 1),
                                       nominations=direction == "nominations",
                                       observed_on=observed_on, request=request)
    return Status(201, made)


# The paths with an id come after the fixed ones (/imports/survey, /imports/edges), which
# would otherwise be read as an id.
@router.get("/imports/{import_id}", response=NetworkImportOut, summary="One import")
def get_import(request: HttpRequest, import_id: PathId) -> NetworkImport:
    return actions.import_of(_reader(request), import_id)


@router.delete("/imports/{import_id}", response={204: None}, summary="Delete an import")
def delete_import(request: HttpRequest, import_id: PathId) -> Status[None]:
    """The import and every tie it brought in (coordinators)."""
    me = _reader(request)
    actions.do_delete_import(me, actions.import_of(me, import_id), request=request)
    return Status(204, None)
