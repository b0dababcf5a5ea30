"""This app's part of the JSON API (uptake/api): the district dashboards' aggregates.

Read only. The same scope and suppression as the pages (``uptake.district.figures``): a
coordinator or researcher reads the whole district, a school leader her schools; anyone
else (and a school outside her scope, or a program she may not see) gets the same 404 as
for something that does not exist. The tables are the pages' and the downloads' tables,
cell for cell; a hidden cell is ``"hidden"``.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from uptake.accounts.models import Role, User
from uptake.api import support
from uptake.district.figures import Filters, district_figures, program_figures, scope_of
from uptake.district.tables import Table, district_tables, program_tables

router = Router(tags=["District dashboards"])
READERS = (Role.COORDINATOR, Role.RESEARCHER, Role.SCHOOL_LEADER)
MAX_ID = 2**31


class DistrictTableOut(Schema):
    key: str
    title: str
    header: list[str]
    rows: list[list[str]]


class DistrictLadderItemOut(Schema):
    label: str
    count: int | None
    detail: str


class DistrictLevelOut(Schema):
    level: int
    label: str
    empty: bool
    items: list[DistrictLadderItemOut]


class DistrictDashboardOut(Schema):
    whole_district: bool
    school_ids: list[int]
    participants: int
    completed: int
    classes_counted: int
    improvements: int
    classes_left_out: int
    min_group_size: int
    tables: list[DistrictTableOut]


class DistrictProgramOut(Schema):
    program_id: int
    name: str
    participants: int
    completed: int
    inquiries_linked: int
    classes_measured: int
    improvements: int | None
    ladder: list[DistrictLevelOut]
    tables: list[DistrictTableOut]


class DistrictFilterIn(Schema):
    program: int | None = Field(None, ge=1, le=MAX_ID)
    focus: str | None = Field(None, max_length=100)
    standard: int | None = Field(None, ge=1, le=MAX_ID)
    school: int | None = Field(None, ge=1, le=MAX_ID)
    grade: str | None = Field(None, max_length=100)
    year: int | None = Field(None, ge=1900, le=2200)


def _reader(request: HttpRequest) -> User:
    me = support.me(request)
    if not me.has_role(*READERS):
        raise Http404("Not found.")
    scope_of(me)
    return me


def _tables(tables: list[Table]) -> list[DistrictTableOut]:
    return [DistrictTableOut(key=t.key, title=t.title, header=list(t.header),
                             rows=t.texts()) for t in tables]


@router.get("/dashboard", response=DistrictDashboardOut, summary="The district dashboard")
def dashboard(request: HttpRequest, filters: Query[DistrictFilterIn]) -> DistrictDashboardOut:
    """Every table of the dashboard for these filters (all optional)."""
    me = _reader(request)
    chosen = Filters(program=filters.program, focus=filters.focus or None,
                     standard=filters.standard, school=filters.school,
                     grade=filters.grade or None, year=filters.year)
    figures = district_figures(me, filters=chosen)
    from django.conf import settings

    return DistrictDashboardOut(
        whole_district=figures.scope.whole_district,
        school_ids=sorted(figures.scope.school_ids or ()), participants=figures.participants,
        completed=figures.completed, classes_counted=figures.classes_counted,
        improvements=figures.improvements, classes_left_out=figures.left_out,
        min_group_size=settings.MIN_GROUP_SIZE, tables=_tables(district_tables(figures)))


@router.get("/programs/{program_id}", response=DistrictProgramOut,
            summary="A program's dashboard and Guskey's five levels")
def program(request: HttpRequest, program_id: int) -> DistrictProgramOut:
    me = _reader(request)
    if not 0 < program_id <= MAX_ID:
        raise Http404("Not found.")
    from uptake.programs.access import access_program

    found = access_program(me, program_id)
    figures = program_figures(found, me)
    return DistrictProgramOut(
        program_id=found.pk, name=found.name, participants=figures.participants,
        completed=figures.completed, inquiries_linked=figures.inquiries_linked,
        classes_measured=figures.classes_measured, improvements=figures.improvements,
        ladder=[DistrictLevelOut(
            level=lv.level, label=lv.label, empty=lv.empty,
            items=[DistrictLadderItemOut(label=i.label, count=i.count, detail=i.detail)
                   for i in lv.items]) for lv in figures.ladder],
        tables=_tables(program_tables(figures)))
