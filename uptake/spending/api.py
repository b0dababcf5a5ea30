"""This app's part of the JSON API (uptake/api): the spending ledger.

The same access helpers (``uptake.spending.access``) and actions
(``uptake.spending.actions``) as the pages: coordinators, school leaders and researchers of
the district read the ledger; coordinators add, correct and delete its lines. Anyone else
gets the same 404 as for a line that does not exist.

- ``GET /spending/entries``: the entered and imported lines (filter by fiscal year,
  source, use, program), paginated; ``GET /spending/entries/{entry_id}``: one;
- ``GET /spending/ledger?year=``: one fiscal year's whole ledger, stipends included;
- ``GET /spending/totals?years=&by=``: totals per fiscal year by source or use;
- ``POST /spending/entries``, ``PUT`` and ``DELETE /spending/entries/{entry_id}``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from uptake.accounts.access import district_id_of
from uptake.accounts.models import User
from uptake.api import support
from uptake.spending import access, actions, queries
from uptake.spending.models import SpendingEntry

router = Router(tags=["Spending"])

PathId = Annotated[int, Field(ge=1, le=support.MAX_ID)]
FiscalYear = Annotated[int, Field(ge=1990, le=2200)]
Source = Literal["title_ii_a", "title_i", "title_iv", "state", "district", "grant", "other"]
UseKey = Literal["coaching", "courses_workshops", "stipends", "substitutes", "conferences",
                 "materials", "class_size_reduction", "other"]
MAX_YEARS = 10
YEARS_QUERY = Query(..., min_length=1, max_length=MAX_YEARS)


def _reader(request: HttpRequest) -> User:
    me = support.me(request)
    if not access.may_read_spending(me):
        raise Http404("No such ledger line.")
    return me


class SpendingEntryOut(Schema):
    id: int
    fiscal_year: int = Field(description="By the calendar year it ends in (2027 for 2026-27).")
    spent_on: dt.date
    amount: Decimal
    source: str
    use: str
    program_id: int | None
    description: str
    reference: str
    origin: str = Field(description="entered or imported")
    finance_import_id: int | None


class SpendingEntryIn(Schema):
    spent_on: dt.date
    amount: Decimal = Field(max_digits=12, decimal_places=2,
                            description="Never zero; negative (a refund) needs a description.")
    source: Source
    use: UseKey
    program_id: int | None = Field(None, ge=1, le=support.MAX_ID)
    description: str = Field("", max_length=300)
    reference: str = Field("", max_length=100)


class SpendingLineOut(Schema):
    origin: str = Field(description="entered, imported or stipend")
    entry_id: int | None
    stipend_id: int | None
    fiscal_year: int
    spent_on: dt.date
    amount: Decimal
    source: str
    use: str
    program_id: int | None
    program_name: str
    description: str
    reference: str


class SpendingTotalOut(Schema):
    fiscal_year: int
    key: str = Field(description="The funding source or the use.")
    amount: Decimal


def _data(payload: SpendingEntryIn) -> actions.EntryData:
    return actions.EntryData(spent_on=payload.spent_on, amount=payload.amount,
                             source=payload.source, use=payload.use,
                             program_id=payload.program_id, description=payload.description,
                             reference=payload.reference)


@router.get("/entries", response=list[SpendingEntryOut], summary="Ledger lines")
@support.paginate(ordering=("-spent_on", "-pk"))
def list_entries(request: HttpRequest, year: FiscalYear | None = None,
                 source: Source | None = None, use: UseKey | None = None,
                 program: int | None = Query(None, ge=1, le=support.MAX_ID)
                 ) -> QuerySet[SpendingEntry]:
    """The district's entered and imported lines (stipends are in ``/spending/ledger``),
    filtered by fiscal ``year``, ``source``, ``use`` and ``program``."""
    me = _reader(request)
    return support.where(SpendingEntry.objects.filter(district_id=district_id_of(me)),
                         fiscal_year=year, source=source, use=use, program_id=program)


@router.get("/entries/{entry_id}", response=SpendingEntryOut, summary="One ledger line")
def get_entry(request: HttpRequest, entry_id: PathId) -> SpendingEntry:
    return access.access_entry(_reader(request), entry_id)


@router.post("/entries", response={201: SpendingEntryOut}, summary="Add a ledger line")
@support.idempotent
def create_entry(request: HttpRequest, payload: SpendingEntryIn) -> Status[SpendingEntry]:
    """Coordinators: a line of the district's ledger; its fiscal year follows from
    ``spent_on``. A ``reference`` already on another line is refused."""
    me = _reader(request)
    return Status(201, actions.do_add_entry(me, _data(payload), request=request))


@router.put("/entries/{entry_id}", response=SpendingEntryOut, summary="Correct a ledger line")
def update_entry(request: HttpRequest, entry_id: PathId, payload: SpendingEntryIn
                 ) -> SpendingEntry:
    """Coordinators: every field of an entered or imported line, as on the page."""
    me = _reader(request)
    entry = access.access_entry(me, entry_id)
    return actions.do_update_entry(me, entry, _data(payload), request=request)


@router.delete("/entries/{entry_id}", response={204: None}, summary="Delete a ledger line")
def delete_entry(request: HttpRequest, entry_id: PathId) -> Status[None]:
    """Coordinators: the line goes for good (the audit log keeps a note)."""
    me = _reader(request)
    actions.do_delete_entry(me, access.access_entry(me, entry_id), request=request)
    return Status(204, None)


@router.get("/ledger", response=list[SpendingLineOut], summary="A fiscal year's ledger")
def get_ledger(request: HttpRequest, year: FiscalYear) -> list[queries.LedgerLine]:
    """Every line of one fiscal year, newest first: entered, imported, and the
    micro-credential stipends (``origin`` ``stipend``, read live, never copied)."""
    me = _reader(request)
    return queries.ledger_lines(district_id_of(me), year)


@router.get("/totals", response=list[SpendingTotalOut], summary="Totals per fiscal year")
def get_totals(request: HttpRequest, years: list[FiscalYear] = YEARS_QUERY,
               by: Literal["source", "use"] = "source") -> list[SpendingTotalOut]:
    """Totals per fiscal year (``years``, repeated, up to ten) and per funding source or
    use (``by``), stipends included, zero where nothing was spent."""
    me = _reader(request)
    found = queries.totals(district_id_of(me), years, by=by)
    return [SpendingTotalOut(fiscal_year=y, key=k, amount=a)
            for (y, k), a in sorted(found.items())]
