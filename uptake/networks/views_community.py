"""The online-community pages (docs/online-communities.md).

- **Her imports**: each with its status and a progress bar that refreshes itself while the
  worker reads (htmx polls; without script, a link to reload).
- **Upload**: the community's name, the export and the period length.
- **An import**: while read, its progress; failed, the sentence saying why; done, every
  measure per period, contributions per day as a chart (server SVG with a data table),
  the reply network's figures, downloads (CSV, XLSX: audited).
- **Coding**: the sample, one form per item with the codebook's codes, the codebook with
  its descriptions, and how the codes given so far are spread.

Only the owner reaches an import (others: the same 404 as a missing one), and every page
shows authors only as the import's pseudonyms.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from html import escape
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from uptake.accounts.access import allow, signed_in_person
from uptake.analysis.community import CODEBOOK, Code, CommunityResult, PeriodMeasures
from uptake.idempotency import once
from uptake.networks.access import COMMUNITY_ROLES
from uptake.networks.actions import community as actions
from uptake.networks.forms_community import CodeItemForm, CommunityUploadForm, code_choices
from uptake.networks.models import CommunityImport
from uptake.rules import RuleError
from uptake.spreadsheets import safe_cell, xlsx_workbook
from uptake.views_support import download, show_refusal, showing_refusals

# A queued import still waiting after this long: the worker may not be running.
LATE_AFTER = timedelta(minutes=10)


# ------------------------------------------------------------------ the measures

def _num(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _share(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


@dataclass(frozen=True)
class Measure:
    """One row of the per-period table and of the downloads."""

    key: str
    label: str
    value: Callable[[PeriodMeasures], Any]
    shown: Callable[[Any], str] = str


MEASURES: tuple[Measure, ...] = (
    Measure("start", "First day", lambda p: p.start, lambda v: v.isoformat()),
    Measure("end", "Last day", lambda p: p.end, lambda v: v.isoformat()),
    Measure("days_observed", "Days observed", lambda p: p.days_observed, lambda v: f"{v:,}"),
    Measure("contributions", "Contributions", lambda p: p.contributions, lambda v: f"{v:,}"),
    Measure("posts", "Posts", lambda p: p.posts, lambda v: f"{v:,}"),
    Measure("comments", "Comments", lambda p: p.comments, lambda v: f"{v:,}"),
    Measure("per_day", "Contributions per day", lambda p: p.per_day, _num),
    Measure("trend_slope", "Trend (change in contributions per day, per day)",
            lambda p: p.trend.slope, lambda v: _num(v, 4)),
    Measure("trend_p_value", "Trend p-value", lambda p: p.trend.p_value,
            lambda v: _num(v, 3)),
    Measure("trend", "Trend", lambda p: p.trend.direction),
    Measure("contributors", "Contributors", lambda p: p.contributors, lambda v: f"{v:,}"),
    Measure("posters", "Posters", lambda p: p.posters, lambda v: f"{v:,}"),
    Measure("responders", "Responders", lambda p: p.responders, lambda v: f"{v:,}"),
    Measure("per_contributor_mean", "Contributions per contributor (mean)",
            lambda p: p.per_contributor_mean, _num),
    Measure("per_contributor_median", "Contributions per contributor (median)",
            lambda p: p.per_contributor_median, _num),
    Measure("top_decile_share", "Share of contributions by the top 10% of contributors",
            lambda p: p.top_decile_share, _share),
    Measure("response_rate", "Posts that got a response", lambda p: p.response_rate, _share),
    Measure("posts_with_response", "Posts with a response", lambda p: p.posts_with_response,
            lambda v: f"{v:,}"),
    Measure("thread_length_mean", "Thread length (mean comments per post)",
            lambda p: p.thread_length_mean, _num),
    Measure("thread_length_median", "Thread length (median)",
            lambda p: p.thread_length_median, _num),
    Measure("self_responses", "Self-responses (replies to oneself)",
            lambda p: p.self_responses, lambda v: f"{v:,}"),
    Measure("first_response_median_hours", "Hours to the first response (median)",
            lambda p: p.first_response_median_hours, lambda v: _num(v, 1)),
    Measure("network_nodes", "Reply network: people", lambda p: p.network.nodes,
            lambda v: f"{v:,}"),
    Measure("network_arcs", "Reply network: ties (responder → parent's author)",
            lambda p: p.network.arcs, lambda v: f"{v:,}"),
    Measure("network_replies", "Reply network: replies", lambda p: p.network.replies,
            lambda v: f"{v:,}"),
    Measure("network_mean_degree", "Reply network: mean degree",
            lambda p: p.network.mean_degree, _num),
    Measure("network_transitivity", "Reply network: transitivity",
            lambda p: p.network.transitivity, lambda v: _num(v, 3)),
    Measure("network_reciprocity", "Reply network: reciprocity",
            lambda p: p.network.reciprocity, lambda v: _num(v, 3)),
)
NETWORK_KEYS = frozenset(m.key for m in MEASURES if m.key.startswith("network_"))


def shown(measure: Measure, period: PeriodMeasures) -> str:
    value = measure.value(period)
    return "—" if value is None else (measure.shown(value) or "—")


def measure_rows(result: CommunityResult, *, network: bool | None = None
                 ) -> list[tuple[str, list[str]]]:
    """(label, the value shown for each period), every measure or the network's only."""
    return [(m.label, [shown(m, p) for p in result.periods]) for m in MEASURES
            if network is None or (m.key in NETWORK_KEYS) == network]


def result_of(ci: CommunityImport) -> CommunityResult:
    if ci.status != CommunityImport.Status.DONE or not ci.result:
        raise Http404("This import has no measures yet.")
    return CommunityResult.from_json(ci.result)


# ------------------------------------------------------------------ the chart

INK, BAR = "#1a1a1a", "#0072B2"


def per_day_chart(name: str, periods: list[PeriodMeasures]) -> SafeString:
    """Bars of contributions per day, one per period, each with its number; a title and a
    text alternative (role="img"), presentation attributes only (the strict CSP)."""
    width, label_h, top, plot_h = 640, 44, 28, 200
    height = top + plot_h + label_h
    values = [p.per_day or 0.0 for p in periods]
    tallest = max(values, default=0.0) or 1.0
    slot = (width - 60) / max(len(periods), 1)
    bar_w = min(slot * 0.7, 80)
    parts = [f'<line x1="50" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
             f'stroke="{INK}"/>']
    for i, (period, value) in enumerate(zip(periods, values, strict=True)):
        h = plot_h * value / tallest
        x = 50 + i * slot + (slot - bar_w) / 2
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" '
                     f'height="{h:.1f}" fill="{BAR}"/>')
        parts.append(_text(x + bar_w / 2, top + plot_h - h - 6, _num(period.per_day, 1)
                           or "—", anchor="middle"))
        parts.append(_text(x + bar_w / 2, top + plot_h + 18, period.label, anchor="middle"))
        parts.append(_text(x + bar_w / 2, top + plot_h + 34, period.trend.direction,
                           anchor="middle", size=11))
    title = f"Contributions per day in {name}, by period"
    desc = "; ".join(f"{p.label}: {_num(p.per_day, 1) or 'no days observed'} contributions "
                     f"per day ({p.trend.direction})" for p in periods) or "No periods."
    n = next(_ids)
    return mark_safe(  # every text in it is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} '
        f'{height}" width="100%" role="img" aria-labelledby="cc-t{n} cc-d{n}" '
        f'preserveAspectRatio="xMinYMin meet"><title id="cc-t{n}">{escape(title)}</title>'
        f'<desc id="cc-d{n}">{escape(desc)}</desc>{"".join(parts)}</svg>')


_ids = itertools.count(1)


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 12) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{INK}">{escape(text)}</text>')


# ------------------------------------------------------------------ pages

def _phase(ci: CommunityImport) -> str:
    return f"{ci.status}-{ci.rows_read}"


def _is_late(ci: CommunityImport) -> bool:
    """Queued for long: since its upload, or since it failed when it is read again."""
    queued_since = max(ci.created_at, ci.finished_at or ci.created_at)
    return (ci.status == CommunityImport.Status.QUEUED
            and queued_since < timezone.now() - LATE_AFTER)


def _in_progress(ci: CommunityImport) -> bool:
    return ci.status in (CommunityImport.Status.QUEUED, CommunityImport.Status.RUNNING)


def _reap(imports: list[CommunityImport]) -> bool:
    """Fail the tasks of workers that died (the imports then say so)."""
    from uptake.operations.workers import reap_lost_tasks

    return any(_in_progress(ci) for ci in imports) and bool(reap_lost_tasks())


def _poll(request: HttpRequest, phase: str) -> HttpResponse | None:
    """While something is read the page asks every few seconds whether there is news; it
    reloads only when there is."""
    if getattr(request, "htmx", False) and "shown" in request.GET:
        if request.GET["shown"] == phase:
            return HttpResponse(status=204)
        return HttpResponseClientRefresh()
    return None


@allow(*COMMUNITY_ROLES)
def communities(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    imports = actions.imports_of(me)
    if _reap(imports):
        imports = actions.imports_of(me)
    phase = "|".join(_phase(ci) for ci in imports)
    polled = _poll(request, phase)
    if polled is not None:
        return polled
    return render(request, "networks/community/list.html", {
        "imports": imports, "phase": phase,
        "reading": any(_in_progress(ci) for ci in imports)})


@allow(*COMMUNITY_ROLES)
@once
def community_new(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    form = CommunityUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ci = None
        with showing_refusals(request, form=form,
                              done="Uploaded. Uptake is reading it in the background.") as a:
            ci = actions.do_start_import(me, d["file"], name=d["name"],
                                         period_months=d["period_months"],
                                         request=request)
        if a.ok and ci is not None:
            return redirect("networks:community", community_id=ci.pk)
    return render(request, "networks/community/new.html",
                  {"form": form, "max_bytes": actions.max_bytes()}, status=(
                      400 if form.is_bound and form.errors else 200))


@allow(*COMMUNITY_ROLES)
def community(request: HttpRequest, community_id: int) -> HttpResponse:
    me = signed_in_person(request)
    ci = actions.owned_import(me, community_id)
    if _reap([ci]):
        ci.refresh_from_db()
    polled = _poll(request, _phase(ci))
    if polled is not None:
        return polled
    context: dict[str, Any] = {"ci": ci, "phase": _phase(ci), "late": _is_late(ci),
                               "reading": _in_progress(ci)}
    if ci.status == CommunityImport.Status.DONE and ci.result:
        result = result_of(ci)
        context.update(
            result=result, periods=result.periods,
            measures=measure_rows(result, network=False),
            network=measure_rows(result, network=True),
            chart=per_day_chart(ci.name, result.periods),
            coded=ci.coding_items.exclude(code="").count(),
            sampled=ci.coding_items.count())
    return render(request, "networks/community/detail.html", context)


@allow(*COMMUNITY_ROLES)
def community_coding(request: HttpRequest, community_id: int) -> HttpResponse:
    me = signed_in_person(request)
    ci = actions.owned_import(me, community_id)
    result_of(ci)  # only a finished import has a sample
    status = 200
    if request.method == "POST":
        form = CodeItemForm(request.POST)
        item = None
        if form.is_valid():
            item = ci.coding_items.filter(position=form.cleaned_data["position"]).first()
        if item is None:
            raise Http404("No such item.")
        try:
            actions.do_code_item(item, actor=me, code=form.cleaned_data["code"],
                                 note=form.cleaned_data["note"], request=request)
        except RuleError as refusal:
            show_refusal(request, refusal)
            status = 400
        else:
            return redirect(reverse("networks:community_coding",
                                    kwargs={"community_id": ci.pk}) + f"#item-{item.position}")
    items = list(ci.coding_items.all())
    return render(request, "networks/community/coding.html", {
        "ci": ci, "items": [(item, code_choices(is_post=item.is_post)) for item in items],
        "coded": sum(1 for item in items if item.code),
        "kinds": [_distribution(items, "post", "Posts"),
                  _distribution(items, "response", "Responses (comments)")]}, status=status)


@dataclass(frozen=True)
class CodeKind:
    """The codes for posts or for responses, with how many items carry each so far."""

    key: str
    label: str
    sampled: int
    coded: int
    rows: list[tuple[Code, int, str]]


def _distribution(items: list[Any], kind: str, label: str) -> CodeKind:
    mine = [item for item in items if item.is_post == (kind == "post")]
    counts = Counter(item.code for item in mine if item.code)
    coded = sum(counts.values())
    return CodeKind(kind, label, len(mine), coded, [
        (code, counts[code.key], _share(counts[code.key] / coded) if coded else "—")
        for code in CODEBOOK if code.applies_to == kind])


@allow(*COMMUNITY_ROLES)
def community_delete(request: HttpRequest, community_id: int) -> HttpResponse:
    me = signed_in_person(request)
    ci = actions.owned_import(me, community_id)
    if request.method == "POST":
        actions.do_delete_import(ci, actor=me, request=request)
        from django.contrib import messages

        messages.success(request, f"The import of {ci.name} was deleted, with its file.")
        return redirect("networks:communities")
    return render(request, "networks/community/delete.html", {"ci": ci})


@allow(*COMMUNITY_ROLES)
@require_POST
def community_retry(request: HttpRequest, community_id: int) -> HttpResponse:
    me = signed_in_person(request)
    ci = actions.owned_import(me, community_id)
    with showing_refusals(request, done="Uptake will read the file again."):
        actions.do_retry_import(ci, actor=me, request=request)
    return redirect("networks:community", community_id=ci.pk)


# ------------------------------------------------------------------ downloads

def table(ci: CommunityImport) -> tuple[list[str], list[list[Any]]]:
    """The measures as a download: a row per period, a column per measure (raw values)."""
    result = result_of(ci)
    header = ["community", "period", *(m.key for m in MEASURES)]
    rows = [[ci.name, p.label, *(m.value(p) for m in MEASURES)] for p in result.periods]
    return header, rows


def _csv_cell(value: Any) -> Any:
    """Text made safe to open in a spreadsheet; numbers (a negative trend too) kept as
    numbers, dates as ISO 8601, nothing as an empty cell."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return safe_cell(value) if isinstance(value, str) else value


def _file_stem(ci: CommunityImport) -> str:
    return f"community-{ci.pk}-measures"


@allow(*COMMUNITY_ROLES)
def community_csv(request: HttpRequest, community_id: int) -> HttpResponse:
    me = signed_in_person(request)
    ci = actions.owned_import(me, community_id)
    header, rows = table(ci)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    actions.record_download(ci, actor=me, what="CSV", request=request)
    return download(HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8"),
                    f"{_file_stem(ci)}.csv")


@allow(*COMMUNITY_ROLES)
def community_xlsx(request: HttpRequest, community_id: int) -> HttpResponse:
    me = signed_in_person(request)
    ci = actions.owned_import(me, community_id)
    header, rows = table(ci)
    content = xlsx_workbook(header, rows, sheet="Measures", widths=(24, 18),
                            title=f"{ci.name}: measures per period")
    actions.record_download(ci, actor=me, what="XLSX", request=request)
    return download(HttpResponse(content, content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
        f"{_file_stem(ci)}.xlsx")

