"""Pages: the money side of micro-credentials.

- **Stipends** (coordinators): the district's stipend ledger, one row per awarded tier,
  filtered by month or school year and by school, with totals per school and per month;
  and the payroll export of what is shown (CSV, audited).
- **CEU transcripts**: an educator's own, or any educator's of her district for a
  coordinator (``access.access_transcript_person``; anyone else's is the same 404 as a
  missing person), as a page, a CSV and a PDF (exports audited); and, for coordinators,
  the list of the district's educators to open one.
- **District totals** (coordinators): credentials earned, tiers awarded, work in flight,
  stipends by school and month, CEUs awarded, for a school year or all of them.

Reads come from ``uptake.credentials.credit``; exports from ``uptake.credentials.exports``.
"""

from __future__ import annotations

import csv
from dataclasses import asdict
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from uptake.accounts.access import allow, district_id_of, signed_in_person
from uptake.accounts.models import Role, School, User
from uptake.credentials import access, credit, exports
from uptake.credentials.forms_money import (
    StipendFilterForm,
    YearForm,
    YearRangeForm,
    month_label,
    year_of_period,
)
from uptake.credentials.models import StipendEntry
from uptake.learning.models import LearningSource, school_year_bounds, school_year_of
from uptake.views_support import download

LEDGER_PER_PAGE = 50
PEOPLE_PER_PAGE = 50
TRANSCRIPT_READERS = (*access.EDUCATOR_ROLES, Role.COORDINATOR)




# -------------------------------------------------------------------------- stipends

def _stipend_filters(request: HttpRequest) -> tuple[StipendFilterForm, QuerySet[StipendEntry],
                                                    dict[str, str]]:
    """The form, the ledger it selects, and the filters used (for the audit and the file
    name), from the query string."""
    me = signed_in_person(request)
    ledger = access.stipends_overseen(me)
    periods = sorted(set(ledger.values_list("period", flat=True)))
    schools = list(School.objects.filter(district_id=district_id_of(me))
                   .order_by("name", "pk").values_list("pk", "name"))
    # The ledger's school years, and this one and the last (a payroll office's question).
    now = school_year_of(timezone.localdate())
    form = StipendFilterForm(request.GET or None, periods=periods, schools=schools,
                             years={year_of_period(p) for p in periods} | {now, now - 1})
    chosen, used = ledger, {}
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if d.get("month"):
            chosen = chosen.filter(period=d["month"])
            used["month"] = d["month"]
        if d.get("year"):
            chosen = chosen.filter(awarded_on__range=school_year_bounds(int(d["year"])))
            used["school year"] = form.label_of("year", d["year"])
        if d.get("school") == "none":
            chosen = chosen.filter(school__isnull=True)
            used["school"] = exports.NO_SCHOOL
        elif d.get("school"):
            chosen = chosen.filter(school_id=int(d["school"]))
            used["school"] = dict(schools)[int(d["school"])]
    elif form.is_bound:
        chosen = ledger.none()
    return form, chosen, used


@allow(Role.COORDINATOR)
def stipends(request: HttpRequest) -> HttpResponse:
    form, chosen, used = _stipend_filters(request)
    page = Paginator(chosen.select_related("educator", "school", "submission__tier__version")
                     .order_by("-awarded_on", "-pk"),
                     LEDGER_PER_PAGE).get_page(request.GET.get("page"))
    by_school = [
        {"school": r["school__name"] or exports.NO_SCHOOL, "count": r["count"],
         "amount": r["amount"]}
        for r in chosen.values("school_id", "school__name").annotate(
            count=Count("pk"), amount=Sum("amount")).order_by("school__name", "school_id")]
    by_period = [
        {"period": r["period"], "label": month_label(r["period"]), "count": r["count"],
         "amount": r["amount"]}
        for r in chosen.values("period").annotate(count=Count("pk"), amount=Sum("amount"))
        .order_by("-period")]
    total = chosen.aggregate(count=Count("pk"), amount=Sum("amount"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "credentials/money/stipends.html", {
        "form": form, "page": page, "query": query.urlencode(), "used": used,
        "by_school": by_school, "by_period": by_period,
        "total_count": total["count"] or 0, "total_amount": total["amount"] or Decimal("0"),
    }, status=400 if form.errors else 200)


@allow(Role.COORDINATOR)
def stipends_csv(request: HttpRequest) -> HttpResponse:
    """The payroll export of the ledger as filtered on the page; audited."""
    form, chosen, used = _stipend_filters(request)
    if form.errors:
        return stipends(request)
    entries = exports.payroll_entries(chosen)
    total = sum((e.amount for e in entries), Decimal("0"))
    exports.note_stipends_exported(actor=signed_in_person(request), count=len(entries), total=total,
                                   filters=used, request=request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    csv.writer(response).writerows(exports.payroll_rows(entries))
    period = used.get("month") or used.get("school year") or ""
    return download(response, exports.payroll_filename(period, used.get("school", "")))


# ----------------------------------------------------------------------- transcripts

def _transcript_years(person: User) -> set[int]:
    """School years with something on her transcript, and the current one."""
    days = list(StipendEntry.objects.filter(educator=person).values_list(
        "awarded_on", flat=True))
    days += list(LearningSource.objects.filter(owner=person).values_list(
        "learned_on", flat=True))
    return {school_year_of(d) for d in days} | {school_year_of(timezone.localdate())}


def _transcript(request: HttpRequest, person_id: int
                ) -> tuple[User, YearRangeForm, credit.Transcript | None]:
    person = access.access_transcript_person(signed_in_person(request), person_id)
    form = YearRangeForm(request.GET or None, years=_transcript_years(person))
    if form.is_bound and not form.is_valid():
        return person, form, None
    start, end = form.years()
    return person, form, credit.transcript(person, start_year=start, end_year=end)


@allow(*TRANSCRIPT_READERS)
def transcript(request: HttpRequest, person_id: int) -> HttpResponse:
    person, form, t = _transcript(request, person_id)
    query = request.GET.copy()
    return render(request, "credentials/money/transcript.html", {
        "person": person, "form": form, "t": t, "query": query.urlencode(),
        "own": person.pk == signed_in_person(request).pk,
        "coordinator": access.is_author(signed_in_person(request)),
    }, status=200 if t is not None else 400)


@allow(*TRANSCRIPT_READERS)
def transcript_csv(request: HttpRequest, person_id: int) -> HttpResponse:
    person, _form, t = _transcript(request, person_id)
    if t is None:
        return transcript(request, person_id)
    exports.note_transcript_exported(actor=signed_in_person(request), person=person, t=t,
                                     what="csv", request=request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    csv.writer(response).writerows(exports.transcript_rows(t))
    return download(response, exports.transcript_filename(t, "csv"))


@allow(*TRANSCRIPT_READERS)
def transcript_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    person, _form, t = _transcript(request, person_id)
    if t is None:
        return transcript(request, person_id)
    pdf = exports.render_transcript_pdf(t)
    exports.note_transcript_exported(actor=signed_in_person(request), person=person, t=t,
                                     what="pdf", request=request)
    return download(HttpResponse(pdf, content_type="application/pdf"),
                     exports.transcript_filename(t, "pdf"))


@allow(Role.COORDINATOR)
def transcripts(request: HttpRequest) -> HttpResponse:
    """The district's educators, to open one's transcript (coordinators)."""
    me = signed_in_person(request)
    q = (request.GET.get("q") or "").strip()[:100]
    people = (User.objects.people().filter(district_id=district_id_of(me), is_active=True,
                                           roles__role__in=access.EDUCATOR_ROLES)
              .distinct().order_by("last_name", "first_name", "email", "pk"))
    if q:
        people = people.filter(Q(first_name__icontains=q) | Q(last_name__icontains=q)
                               | Q(email__icontains=q) | Q(staff_identifier__icontains=q))
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    credited = {r["educator_id"]: r for r in access.stipends_overseen(me).filter(
        educator__in=[p.pk for p in page.object_list]).values("educator_id").annotate(
        tiers=Count("pk"), ceus=Sum("ceus"))}
    rows = []
    for p in page.object_list:
        got: Any = credited.get(p.pk, {})
        rows.append({"person": p, "tiers": got.get("tiers", 0),
                     "ceus": got.get("ceus") or Decimal("0")})
    return render(request, "credentials/money/transcripts.html", {
        "page": page, "rows": rows, "q": q, "query": urlencode({"q": q}) if q else ""})


# ---------------------------------------------------------------------------- totals

@allow(Role.COORDINATOR)
def totals(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    district_id = district_id_of(me)
    periods = set(StipendEntry.objects.filter(district_id=district_id)
                  .values_list("period", flat=True))
    now = school_year_of(timezone.localdate())
    years = {year_of_period(p) for p in periods} | {now, now - 1}
    form = YearForm(request.GET or None, years=years)
    year = form.chosen_year()
    t = credit.district_totals(district_id, start_year=year, end_year=year)
    by_school: dict[str, dict[str, Any]] = {}
    for s in t.stipends:
        row = by_school.setdefault(s.school, {"school": s.school, "entries": 0,
                                              "amount": Decimal("0")})
        row["entries"] += s.entries
        row["amount"] += s.amount
    return render(request, "credentials/money/totals.html", {
        "form": form, "t": t, "year": year,
        "stipends": [{**asdict(s), "label": month_label(s.period)} for s in t.stipends],
        "by_school": sorted(by_school.values(),
                            key=lambda r: (r["school"] == exports.NO_SCHOOL,
                                           r["school"].casefold())),
    }, status=400 if form.errors else 200)
