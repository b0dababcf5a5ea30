"""Pages of the spending ledger.

- **Ledger** (coordinators, school leaders, researchers of the district): one fiscal year's
  lines (entered, imported, micro-credential stipends), filtered by source, use and program;
  totals by source and by use; five fiscal years by source and by use; CSV and XLSX of what
  is shown (audited).
- **Add, correct, delete a line** and **import a finance file** (coordinators).

Reads come from ``uptake.spending.queries``, writes from ``uptake.spending.actions``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from uptake.accounts.access import allow, district_id_of, signed_in_person
from uptake.accounts.models import Role
from uptake.audit.actions import record
from uptake.programs.models import FundingSource, Program
from uptake.spending import access, actions, exports, finance, queries
from uptake.spending.forms import EntryForm, ImportForm, LedgerFilterForm
from uptake.spending.models import FinanceImport, Use
from uptake.views_support import download, showing_refusals

LINES_PER_PAGE = 100
YEARS_SHOWN = 5




def _programs(district_id: int) -> list[tuple[int, str]]:
    return list(Program.objects.filter(district_id=district_id)
                .order_by("name", "pk").values_list("pk", "name"))


@dataclass
class Ledger:
    form: LedgerFilterForm
    year: int
    lines: list[queries.LedgerLine]
    used: dict[str, str]


def _ledger(request: HttpRequest) -> Ledger:
    """The fiscal year and lines the query string asks for (an unknown filter: no lines)."""
    me = signed_in_person(request)
    district_id = district_id_of(me)
    now = queries.fiscal_year_of(timezone.localdate())
    years = sorted(set(queries.fiscal_years(district_id)) | {now, now - 1}, reverse=True)
    programs = _programs(district_id)
    form = LedgerFilterForm(request.GET or None, years=years, programs=programs)
    year, used = now, dict[str, str]()
    if form.is_bound and not form.is_valid():
        return Ledger(form, year, [], used)
    d = form.cleaned_data if form.is_bound else {}
    if d.get("year"):
        year = int(d["year"])
    lines = queries.ledger_lines(district_id, year)
    if d.get("source"):
        lines = [line for line in lines if line.source == d["source"]]
        used["source"] = str(FundingSource(d["source"]).label)
    if d.get("use"):
        lines = [line for line in lines if line.use == d["use"]]
        used["use"] = str(Use(d["use"]).label)
    if d.get("program") == "none":
        lines = [line for line in lines if line.program_id is None]
        used["program"] = "No program"
    elif d.get("program"):
        chosen = int(d["program"])
        lines = [line for line in lines if line.program_id == chosen]
        used["program"] = dict(programs)[chosen]
    return Ledger(form, year, lines, used)


def _by(lines: list[queries.LedgerLine], attribute: str, choices: Any
        ) -> list[dict[str, Any]]:
    sums: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for line in lines:
        key = getattr(line, attribute)
        sums[key] = sums.get(key, Decimal("0")) + line.amount
        counts[key] = counts.get(key, 0) + 1
    return [{"key": value, "label": label, "count": counts[value], "amount": sums[value]}
            for value, label in choices if value in sums]


def _five_years(district_id: int, year: int, by: str, choices: Any) -> dict[str, Any]:
    years = queries.recent_fiscal_years(YEARS_SHOWN, ending=year)
    found = queries.totals(district_id, years, by=by)  # type: ignore[arg-type]
    rows = [{"label": label, "amounts": [found[(y, value)] for y in years],
             "total": sum((found[(y, value)] for y in years), Decimal("0"))}
            for value, label in choices]
    rows = [r for r in rows if any(r["amounts"])]
    year_totals = [sum((found[(y, value)] for value, _ in choices), Decimal("0"))
                   for y in years]
    return {"years": years, "rows": rows, "totals": year_totals,
            "total": sum(year_totals, Decimal("0"))}


@allow(*access.READER_ROLES)
def ledger(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    district_id = district_id_of(me)
    got = _ledger(request)
    page = Paginator(got.lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query["year"] = str(got.year)
    total = sum((line.amount for line in got.lines), Decimal("0"))
    return render(request, "spending/ledger.html", {
        "form": got.form, "year": got.year, "year_label": queries.fiscal_year_label(got.year),
        "page": page, "used": got.used, "query": query.urlencode(),
        "count": len(got.lines), "total": total,
        "by_source": _by(got.lines, "source", FundingSource.choices),
        "by_use": _by(got.lines, "use", Use.choices),
        "five_by_source": _five_years(district_id, got.year, "source", FundingSource.choices),
        "five_by_use": _five_years(district_id, got.year, "use", Use.choices),
        "keeper": access.may_keep_spending(me, district_id),
    }, status=400 if got.form.errors else 200)


def _export(request: HttpRequest, what: str) -> tuple[Ledger, HttpResponse | None]:
    got = _ledger(request)
    if got.form.errors:
        return got, ledger(request)
    me = signed_in_person(request)
    total = sum((line.amount for line in got.lines), Decimal("0"))
    record("spending_exported", actor=me, request=request,
           summary=f"Downloaded the spending ledger of FY{got.year} ({what}): "
                   f"{len(got.lines)} lines, ${total:,.2f}",
           details={"year": got.year, "filters": got.used, "format": what})
    return got, None


@allow(*access.READER_ROLES)
def ledger_csv(request: HttpRequest) -> HttpResponse:
    got, refused = _export(request, "csv")
    if refused is not None:
        return refused
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    csv.writer(response).writerows(exports.csv_rows(got.lines))
    return download(response, exports.filename(got.year, "csv"))


@allow(*access.READER_ROLES)
def ledger_xlsx(request: HttpRequest) -> HttpResponse:
    got, refused = _export(request, "xlsx")
    if refused is not None:
        return refused
    content = exports.xlsx_bytes(got.lines, title=f"FY{got.year}")
    return download(HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument."
                              "spreadsheetml.sheet"), exports.filename(got.year, "xlsx"))


def _back(entry_year: int) -> Any:
    return redirect(f"{_ledger_url()}?year={entry_year}")


def _ledger_url() -> str:
    from django.urls import reverse

    return reverse("spending:ledger")


@allow(Role.COORDINATOR)
def entry_new(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    form = EntryForm(request.POST or None, programs=_programs(district_id_of(me)))
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Line added to the ledger.") as attempt:
            entry = actions.do_add_entry(me, form.data_of(), request=request)
        if attempt.ok:
            return _back(entry.fiscal_year)
    return render(request, "spending/entry_form.html", {"form": form, "entry": None},
                  status=400 if form.errors else 200)


@allow(Role.COORDINATOR)
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    me = signed_in_person(request)
    entry = access.access_entry(me, entry_id)
    form = EntryForm(request.POST or None, initial=EntryForm.initial_of(entry),
                     programs=_programs(district_id_of(me)))
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Line corrected.") as attempt:
            actions.do_update_entry(me, entry, form.data_of(), request=request)
        if attempt.ok:
            return _back(entry.fiscal_year)
    return render(request, "spending/entry_form.html", {"form": form, "entry": entry},
                  status=400 if form.errors else 200)


@allow(Role.COORDINATOR)
def entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    me = signed_in_person(request)
    entry = access.access_entry(me, entry_id)
    if request.method == "POST":
        year = entry.fiscal_year
        with showing_refusals(request, done="Line deleted from the ledger.") as attempt:
            actions.do_delete_entry(me, entry, request=request)
        if attempt.ok:
            return _back(year)
    return render(request, "spending/entry_delete.html", {"entry": entry})


def _synonyms(choices: Any, table: dict[str, tuple[str, ...]]) -> list[dict[str, Any]]:
    return [{"label": label, "names": table.get(value, ())} for value, label in choices]


@allow(Role.COORDINATOR)
def import_file(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    refused, rejected, applied = "", None, None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(finance.MAX_FILE_BYTES + 1)
        try:
            applied = actions.do_import_finance(me, file_name=upload.name, content=content,
                                                request=request)
        except actions.ImportRejected as rejection:
            rejected, status = rejection, 400
        except finance.ImportRefused as refusal:
            refused, status = refusal.message, 400
        else:
            return redirect("spending:import_done", import_id=applied.pk)
    elif form.errors:
        status = 400
    return render(request, "spending/import.html", {
        "form": form, "refused": refused, "rejected": rejected,
        "columns": finance.COLUMNS, "required": finance.REQUIRED,
        "sources": _synonyms(FundingSource.choices, finance.SOURCE_SYNONYMS),
        "uses": _synonyms(Use.choices, finance.USE_SYNONYMS),
        "recent": FinanceImport.objects.filter(district_id=district_id_of(me))[:10],
    }, status=status)


@allow(Role.COORDINATOR)
def import_done(request: HttpRequest, import_id: int) -> HttpResponse:
    me = signed_in_person(request)
    found = FinanceImport.objects.filter(pk=import_id, district_id=district_id_of(me)).first()
    if found is None:
        from django.http import Http404

        raise Http404("No such import.")
    lines = list(found.entries.select_related("program").order_by("spent_on", "pk"))
    years = sorted({e.fiscal_year for e in lines})
    return render(request, "spending/import_done.html", {
        "imported": found, "lines": lines, "years": years,
        "total": sum((e.amount for e in lines), Decimal("0"))})
