"""Pages of the knowledge-mobilisation log (docs/knowledge-mobilisation.md).

- **The log**: the changes she reads (``queries_changes.changes_visible_to``), filtered by
  school, kind, soft or real, kind of source and period.
- **A change**: what changed, its chain drawn as an ordered list from the source to the
  change, the counterfactual answer and the evidence.
- **Record, edit, delete** a change (``actions.changes``).
- **Reports**: real and soft changes by school, by kind of source, by month, and the
  answers to "Would this have happened without it?", each as a chart and a table, with
  CSV and XLSX downloads (audited as ``network_downloaded``). Coordinators and researchers
  read the whole district, a school leader her schools.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Sequence
from html import escape
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe

from uptake.accounts.access import allow, district_id_of, signed_in_person
from uptake.accounts.models import Role, School, User
from uptake.audit.actions import record
from uptake.idempotency import once
from uptake.learning.models import LearningSource
from uptake.library.models import Practice
from uptake.networks import queries_changes as q
from uptake.networks.access import CHANGE_RECORDER_ROLES, may_record_changes
from uptake.networks.actions import changes as actions
from uptake.networks.forms_changes import (
    ACROSS,
    DEFAULT_ROWS,
    ChangeForm,
    LogFilterForm,
    PeriodForm,
)
from uptake.networks.models import Change, Contact
from uptake.networks.queries import colleagues_of, contacts_for
from uptake.programs.access import visible_programs
from uptake.spreadsheets import safe_cell, xlsx_workbook
from uptake.views_support import download, showing_refusals

READERS = q.READER_ROLES
REPORT_READERS = (Role.SCHOOL_LEADER, Role.COORDINATOR, Role.RESEARCHER)
PER_PAGE = 50
REAL_COLOUR, SOFT_COLOUR, INK = "#0072B2", "#E69F00", "#1a1a1a"
_ids = itertools.count(1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ----------------------------------------------------------------------------- the log

def _filtered(request: HttpRequest, me: User) -> tuple[LogFilterForm, QuerySet[Change],
                                                        dict[str, str]]:
    schools = list(School.objects.filter(district_id=district_id_of(me))
                   .order_by("name", "pk").values_list("pk", "name"))
    form = LogFilterForm(request.GET or None, schools=schools)
    changes = q.changes_visible_to(me)
    used: dict[str, str] = {}
    if form.is_bound and not form.is_valid():
        return form, changes.none(), used
    d = form.cleaned_data if form.is_bound else {}
    if d.get("school") == ACROSS:
        changes, used["school"] = changes.filter(school__isnull=True), "Across the district"
    elif d.get("school"):
        changes = changes.filter(school_id=int(d["school"]))
        used["school"] = dict(schools)[int(d["school"])]
    for name, labels in (("kind", dict(Change.Kind.choices)),
                         ("depth", {"real": "Real", "soft": "Soft"}),
                         ("source_kind", q.SOURCE_KIND_LABELS)):
        if d.get(name):
            changes = changes.filter(**{name: d[name]})
            used[name] = str(labels[d[name]])
    if d.get("since"):
        changes = changes.filter(happened_on__gte=d["since"])
        used["since"] = f"from {d['since']:%-d %b %Y}"
    if d.get("until"):
        changes = changes.filter(happened_on__lte=d["until"])
        used["until"] = f"to {d['until']:%-d %b %Y}"
    return form, changes, used


@allow(*READERS)
def log(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    if not q.may_read_changes(me):
        raise Http404("No such page.")
    form, changes, used = _filtered(request, me)
    page = Paginator(changes.select_related("school", "recorded_by"), PER_PAGE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "networks/changes/log.html", {
        "form": form, "page": page, "used": used, "query": query.urlencode(),
        "may_record": may_record_changes(me), "reports": q.report_scope(me) is not None,
    }, status=400 if form.errors else 200)


@allow(*READERS)
def change(request: HttpRequest, change_id: int) -> HttpResponse:
    me = signed_in_person(request)
    found = q.access_change(me, change_id)
    steps = list(found.steps.select_related("person", "contact"))
    return render(request, "networks/changes/change.html", {
        "change": found, "steps": steps, "source": _source_text(found),
        "may_edit": q.may_edit_change(me, found)})


def _source_text(change: Change) -> str:
    name, _ = actions.source_of(change)
    if name == "learning_source" and change.learning_source:
        return f"Learning source: {change.learning_source.title}"
    if name == "practice" and change.practice:
        return f"Practice from the library: {change.practice.title}"
    if name == "program" and change.program:
        return f"Program: {change.program.name}"
    if name == "contact" and change.contact:
        return f"Outside contact: {change.contact}"
    if name == "colleague":
        return "A colleague (the first step of the chain)"
    return change.source_note or "A source no longer in Uptake"


# ------------------------------------------------------------------------ the form

def _contacts(me: User, change: Change | None) -> list[Contact]:
    offered = Q(pk__in=contacts_for(me).values("pk"))
    if change is not None:
        offered |= Q(pk__in=change.steps.filter(contact__isnull=False).values("contact_id"))
        if change.contact_id is not None:
            offered |= Q(pk=change.contact_id)
    return list(Contact.objects.filter(offered, district_id=district_id_of(me))
                .order_by("name", "platform", "pk"))


def _people(me: User, change: Change | None) -> list[User]:
    people = [me, *colleagues_of(me)]
    if change is not None:
        named = {p.pk for p in people}
        people += [s.person for s in change.steps.select_related("person")
                   if s.person is not None and s.person.pk not in named]
    return people


def _form(request: HttpRequest, me: User, *, change: Change | None) -> tuple[ChangeForm, bool]:
    """The form, and whether the request only asked for another step row."""
    district_id = district_id_of(me)
    owner = change.recorded_by if change is not None and change.recorded_by else me
    programs = list(visible_programs(me).order_by("name", "pk"))
    if change is not None and change.program and change.program not in programs:
        programs.append(change.program)
    schools = q.recordable_schools(me)
    if change is not None and change.school and change.school not in schools:
        schools.append(change.school)
    options: dict[str, Any] = {
        "me": me, "schools": schools,
        "district_wide": q.may_record_district_wide(me)
        or (change is not None and change.school_id is None),
        "sources": list(LearningSource.objects.filter(owner=owner, district_id=district_id)),
        "practices": list(Practice.objects.filter(district_id=district_id,
                                                  status=Practice.Status.PUBLISHED)
                          .order_by("title", "pk")),
        "programs": programs,
        # Her own contacts and her colleagues (queries.contacts_for, colleagues_of), not
        # the district's directory; others of the district she gives by e-mail. A change
        # being edited keeps whoever it already names.
        "contacts": _contacts(me, change),
        "people": _people(me, change),
    }
    rows = DEFAULT_ROWS
    if change is not None:
        rows = max(rows, change.steps.count() + 1)
    if request.method == "POST":
        try:
            rows = int(request.POST.get("rows") or rows)
        except ValueError:
            rows = DEFAULT_ROWS
        if "add_step" in request.POST:
            return ChangeForm(initial=request.POST.dict(), rows=rows + 1, **options), True
        return ChangeForm(request.POST, rows=rows, **options), False
    initial = ChangeForm.initial_of(change) if change is not None else {}
    return ChangeForm(initial=initial, rows=rows, **options), False


@allow(*CHANGE_RECORDER_ROLES)
@once
def change_new(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    if not may_record_changes(me):
        raise Http404("No such page.")
    form, adding = _form(request, me, change=None)
    if request.method == "POST" and not adding and form.is_valid():
        with showing_refusals(request, form=form, done="Change recorded.") as attempt:
            made = actions.do_record_change(me, form.data_of(), request=request)
        if attempt.ok:
            return redirect("networks:change", change_id=made.pk)
    return render(request, "networks/changes/form.html", {"form": form, "change": None},
                  status=400 if form.is_bound and form.errors else 200)


def _editable(me: User, change_id: int) -> Change:
    found = q.access_change(me, change_id)
    if not q.may_edit_change(me, found):
        raise Http404("No such change.")
    return found


@allow(*CHANGE_RECORDER_ROLES)
def change_edit(request: HttpRequest, change_id: int) -> HttpResponse:
    me = signed_in_person(request)
    found = _editable(me, change_id)
    form, adding = _form(request, me, change=found)
    if request.method == "POST" and not adding and form.is_valid():
        with showing_refusals(request, form=form, done="Change saved.") as attempt:
            actions.do_edit_change(me, found, form.data_of(), request=request)
        if attempt.ok:
            return redirect("networks:change", change_id=found.pk)
    return render(request, "networks/changes/form.html", {"form": form, "change": found},
                  status=400 if form.is_bound and form.errors else 200)


@allow(*CHANGE_RECORDER_ROLES)
def change_delete(request: HttpRequest, change_id: int) -> HttpResponse:
    me = signed_in_person(request)
    found = _editable(me, change_id)
    if request.method == "POST":
        with showing_refusals(request, done="Change deleted.") as attempt:
            actions.do_delete_change(me, found, request=request)
        if attempt.ok:
            return redirect("networks:changes")
    return render(request, "networks/changes/delete.html", {"change": found})


# --------------------------------------------------------------------------- reports

def depth_bars(title: str, rows: Sequence[q.DepthRow]
               ) -> tuple[SafeString, str]:
    """Stacked horizontal bars, real then soft, one bar per row, each part labelled with its
    count (the conventions of the district view's charts: ``<title>``, ``<desc>``,
    ``role="img"``, presentation attributes only, Okabe-Ito colours with a label)."""
    width, label_w, bar_h, gap, legend_h = 640, 220, 22, 8, 28
    height = legend_h + len(rows) * (bar_h + gap) + 8
    top = max((r.total for r in rows), default=0) or 1
    scale = (width - label_w - 50) / top
    n = next(_ids)
    parts = []
    for i, (label, colour) in enumerate((("Real", REAL_COLOUR), ("Soft", SOFT_COLOUR))):
        lx = 10 + i * 110
        parts.append(f'<rect x="{lx}" y="6" width="14" height="14" fill="{colour}" '
                     f'stroke="{INK}"/>')
        parts.append(_text(lx + 20, 18, label))
    sentences = []
    for k, row in enumerate(rows):
        y = legend_h + k * (bar_h + gap)
        parts.append(_text(label_w - 8, y + 16, _short(row.label), anchor="end"))
        x = float(label_w)
        for count, colour in ((row.real, REAL_COLOUR), (row.soft, SOFT_COLOUR)):
            if not count:
                continue
            w = count * scale
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                         f'fill="{colour}" stroke="{INK}" stroke-width="0.5"/>')
            if w >= 16:
                parts.append(_text(x + w / 2, y + 16, str(count), anchor="middle"))
            x += w
        parts.append(_text(x + 6, y + 16, str(row.total), weight="bold"))
        sentences.append(f"{row.label}: {row.real} real, {row.soft} soft")
    desc = "; ".join(sentences) + "." if sentences else "No changes to count."
    svg = mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} '
        f'{height}" width="100%" role="img" aria-labelledby="kc-t{n} kc-d{n}" '
        f'preserveAspectRatio="xMinYMin meet"><title id="kc-t{n}">{escape(title)}</title>'
        f'<desc id="kc-d{n}">{escape(desc)}</desc>{"".join(parts)}</svg>')
    return svg, desc


def _text(x: float, y: float, text: str, *, anchor: str = "start",
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="12" font-weight="{weight}" '
            f'text-anchor="{anchor}" fill="{INK}">{escape(text)}</text>')


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _report(request: HttpRequest) -> tuple[PeriodForm, q.ChangeReport | None, str, User]:
    me = signed_in_person(request)
    scope = q.report_scope(me)
    if scope is None:
        raise Http404("No such page.")
    form = PeriodForm(request.GET or None)
    changes = q.in_scope(scope)
    if form.is_bound and not form.is_valid():
        return form, None, "", me
    d = form.cleaned_data if form.is_bound else {}
    if d.get("since"):
        changes = changes.filter(happened_on__gte=d["since"])
    if d.get("until"):
        changes = changes.filter(happened_on__lte=d["until"])
    if scope.school_ids is None:
        whose = "the whole district"
    else:
        names = School.objects.filter(pk__in=scope.school_ids).order_by("name")
        whose = ", ".join(names.values_list("name", flat=True))
    return form, q.change_report(changes), whose, me


TABLES = (("by_school", "Real and soft changes by school", "School"),
          ("by_source", "Real and soft changes by kind of source", "Kind of source"),
          ("by_month", "Real and soft changes by month", "Month"),
          ("counterfactual", "Would this have happened without it?", "Answer"))


@allow(*REPORT_READERS)
def reports(request: HttpRequest) -> HttpResponse:
    form, report, whose, _ = _report(request)
    charts = []
    if report is not None and report.count:
        for key, title, head in TABLES:
            rows = getattr(report, key)
            svg, desc = depth_bars(title, rows)
            charts.append({"key": key, "title": title, "head": head, "rows": rows,
                           "svg": svg, "desc": desc})
    return render(request, "networks/changes/reports.html", {
        "form": form, "report": report, "whose": whose, "charts": charts,
        "query": request.GET.urlencode()}, status=400 if form.errors else 200)


def _rows(report: q.ChangeReport) -> list[list[Any]]:
    return [[title, row.label, row.real, row.soft, row.total]
            for key, title, _ in TABLES for row in getattr(report, key)]


HEADER = ["Table", "Row", "Real", "Soft", "Total"]


def _downloaded(request: HttpRequest, what: str) -> tuple[q.ChangeReport | None,
                                                           HttpResponse | None]:
    form, report, whose, me = _report(request)
    if report is None:
        return None, reports(request)
    record("network_downloaded", actor=me, request=request,
           summary=f"Downloaded the knowledge-mobilisation reports of {whose} ({what}): "
                   f"{report.count} changes",
           details={"what": "change_reports", "format": what,
                    "period": {k: str(v) for k, v in form.cleaned_data.items() if v}
                    if form.is_bound else {}})
    return report, None


@allow(*REPORT_READERS)
def reports_csv(request: HttpRequest) -> HttpResponse:
    report, refused = _downloaded(request, "csv")
    if refused is not None or report is None:
        return refused or HttpResponse(status=400)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(HEADER)
    writer.writerows([[safe_cell(c) if isinstance(c, str) else c for c in row]
                      for row in _rows(report)])
    return download(response, "knowledge-mobilisation-reports.csv")


@allow(*REPORT_READERS)
def reports_xlsx(request: HttpRequest) -> HttpResponse:
    report, refused = _downloaded(request, "xlsx")
    if refused is not None or report is None:
        return refused or HttpResponse(status=400)
    content = xlsx_workbook(HEADER, _rows(report), sheet="Changes", widths=(40, 36, 8, 8, 8),
                            title="Knowledge-mobilisation reports")
    return download(HttpResponse(content, content_type=XLSX),
                    "knowledge-mobilisation-reports.xlsx")
