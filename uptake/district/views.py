"""The district dashboard, its drill-down, its downloads, and a program's dashboard with
Guskey's five levels. Coordinators and researchers see the whole district, a school leader
her own schools only; everyone else gets the same 404 as for a page that does not exist."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from uptake.accounts.access import allow, signed_in_person
from uptake.accounts.context import menu_for
from uptake.accounts.models import Role, School, User
from uptake.analysis.aggregates import VERDICTS, countable
from uptake.district import charts
from uptake.district.figures import (
    DIMENSIONS,
    GROUP_ATTRIBUTES,
    KIND_LABELS,
    Filters,
    district_figures,
    filtered,
    program_figures,
    scope_of,
    visible_scene,
)
from uptake.district.tables import (
    SOURCE_LABELS,
    Table,
    csv_bytes,
    district_tables,
    program_tables,
    use_labels,
    xlsx_bytes,
)

READERS = (Role.COORDINATOR, Role.RESEARCHER, Role.SCHOOL_LEADER)
RECORDS_PER_PAGE = 50
# The longest tables show their first rows; the drill-down page has them all, in pages.
EFFECTS_SHOWN = 25
VERDICT_LABELS = dict(VERDICTS)


def _int(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        raise Http404("No such filter.") from None
    if number < 0 or number > 2**31:
        raise Http404("No such filter.")
    return number


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value[:100] or None


def filters_from(query: Any) -> Filters:
    return Filters(program=_int(query.get("program")), focus=_text(query.get("focus")),
                   standard=_int(query.get("standard")), school=_int(query.get("school")),
                   grade=_text(query.get("grade")), year=_int(query.get("year")))


def _choices(figures: Any, viewer: User) -> dict[str, list[tuple[str, str]]]:
    labels = figures.labels
    out = {}
    for dim in ("program", "focus", "standard", "grade", "year"):
        values = labels.get(dim, {})
        out[dim] = sorted(values.items(), key=lambda kv: kv[1].casefold())
    scope = scope_of(viewer)
    schools = School.objects.filter(district_id=scope.district_id)
    if scope.school_ids is not None:
        schools = schools.filter(pk__in=scope.school_ids)
    out["school"] = [(str(s.pk), s.name) for s in schools.order_by("name")]
    return out


@allow(*READERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    filters = filters_from(request.GET)
    figures = district_figures(me, filters=filters)
    dims = dict(DIMENSIONS)
    effects = _effects_shown(figures.effects)
    drawn = _dashboard_charts(figures, effects["effects"])
    breakdowns = []
    for breakdown, (title, svg, desc) in zip(figures.breakdowns, drawn["breakdowns"],
                                             strict=True):
        labels = figures.labels.get(breakdown.dimension, {})
        breakdowns.append({"breakdown": breakdown, "title": title, "svg": svg, "desc": desc,
                           "label": dims[breakdown.dimension],
                           "rows": [{"name": labels.get(r.value, r.value), "value": r.value,
                                     "row": r, "cells": _cells(r.counts)}
                                    for r in breakdown.rows],
                           "total": _cells(breakdown.total)})
    funnel_svg, funnel_desc = drawn["funnel"]
    cred_svg, cred_desc = drawn["credentials"]
    forest_svg, forest_desc = drawn["forest"]
    return render(request, "district/dashboard.html", {**effects,
        "district_pages": menu_for(request, frozenset(me.role_set()), under="district"),
        "figures": figures, "filters": filters, "qs": urlencode(filters.as_query()),
        "q": filters.as_query(),
        "choices": _choices(figures, me), "breakdowns": breakdowns,
        "verdicts": VERDICTS, "funnel_svg": funnel_svg, "funnel_desc": funnel_desc,
        "cred_svg": cred_svg, "cred_desc": cred_desc, "forest_svg": forest_svg,
        "forest_desc": forest_desc, "groups": _groups(figures),
        "verdict_total": _cells(figures.verdict_total), "kind_labels": KIND_LABELS,
        "source_labels": SOURCE_LABELS,
        "use_labels": use_labels(), "min_group_size": settings.MIN_GROUP_SIZE,
        "tables": [(t.key, t.title) for t in district_tables(figures)],
        "spending": _spending_rows(figures)})


def _dashboard_charts(figures: Any, effects: list[Any]) -> dict[str, Any]:
    """The dashboard's charts, drawn together (their element ids are unique on the page)
    and cached in the page cache by what they are drawn from: the summary figures' key
    (which holds the viewer's scope and the minimum group size) and the two funnels."""
    steps = [(s.key, s.count) for s in (*figures.funnel, *figures.credential_funnel)]
    key = hashlib.sha256(json.dumps([figures.content_key, steps]).encode()).hexdigest()
    slot = f"district:charts:{key}"
    found = caches["pages"].get(slot) if figures.content_key else None
    if found is not None:
        return found
    dims = dict(DIMENSIONS)
    drawn: dict[str, Any] = {"breakdowns": []}
    for breakdown in figures.breakdowns:
        title = f"Classes by verdict, by {dims[breakdown.dimension].lower()}"
        svg, desc = charts.verdict_bars(title, breakdown.rows,
                                        figures.labels.get(breakdown.dimension, {}))
        drawn["breakdowns"].append((title, svg, desc))
    drawn["funnel"] = charts.funnel("Participation and completion", figures.funnel)
    drawn["credentials"] = charts.funnel("Micro-credentials", figures.credential_funnel)
    drawn["forest"] = charts.forest("Effect sizes per class, with 95% intervals", effects,
                                    figures.pooled_by_kind, of=len(figures.effects))
    if figures.content_key:
        caches["pages"].set(slot, drawn)
    return drawn


def _effects_shown(effects: list[Any]) -> dict[str, Any]:
    """The effect sizes a page shows: all of them, or the EFFECTS_SHOWN classes with the
    most students (in the figures' order) when there are more; numbers as text."""
    shown = effects
    if len(effects) > EFFECTS_SHOWN:
        keep = {id(e) for e in sorted(effects, key=lambda e: -e.n_students)[:EFFECTS_SHOWN]}
        shown = [e for e in effects if id(e) in keep]
    return {"effects": shown, "effects_total": len(effects),
            "effects_more": len(effects) - len(shown),
            "effect_rows": [(e.label, e.n_students, f"{e.smc:.2f}",
                             f"{e.ci_low:.2f} to {e.ci_high:.2f}") for e in shown]}


def _cells(counts: dict[str, int] | None) -> list[tuple[str, int | None]]:
    return [(key, counts[key] if counts is not None else None) for key, _ in VERDICTS]


def _groups(figures: Any) -> list[dict[str, Any]]:
    out = []
    for attribute, label in GROUP_ATTRIBUTES:
        rows = figures.groups.of(attribute) if figures.groups is not None else []
        left_out = figures.groups.left_out.get(attribute, 0) if figures.groups else 0
        out.append({"key": attribute, "label": label, "rows": rows, "left_out": left_out})
    return out


def _spending_rows(figures: Any) -> dict[str, list[tuple[str, list[Any]]]]:
    if figures.spending_total is None:
        return {}
    out = {}
    for key, totals, labels in (("source", figures.spending_by_source, SOURCE_LABELS),
                                ("use", figures.spending_by_use, use_labels())):
        rows = []
        for name in labels:
            values = [totals.get((year, name)) for year in figures.spending_years]
            if any(values):
                rows.append((labels[name], values))
        out[key] = rows
    return out


@allow(*READERS)
def program(request: HttpRequest, program_id: int) -> HttpResponse:
    me = signed_in_person(request)
    found = _program(me, program_id)
    figures = program_figures(found, me)
    funnel_svg, funnel_desc = charts.funnel("Participation and completion", figures.funnel)
    effects = _effects_shown(figures.effects)
    forest_svg, forest_desc = charts.forest("Effect sizes per class, with 95% intervals",
                                            effects["effects"], figures.pooled_by_kind,
                                            of=len(figures.effects))
    return render(request, "district/program.html", {**effects,
        "program": found, "figures": figures, "verdicts": VERDICTS,
        "funnel_svg": funnel_svg, "funnel_desc": funnel_desc, "forest_svg": forest_svg,
        "forest_desc": forest_desc, "groups": _groups(figures),
        "verdict_cells": _cells(figures.verdict_counts),
        "min_group_size": settings.MIN_GROUP_SIZE, "qs": urlencode({"program": found.pk}),
        "export_qs": urlencode({"of": found.pk}),
        "tables": [(t.key, t.title) for t in program_tables(figures)]})


def _program(me: User, program_id: Any) -> Any:
    from uptake.programs.access import access_program

    scope_of(me)  # a dashboard reader by her current roles, or 404
    return access_program(me, program_id)


@allow(*READERS)
def export(request: HttpRequest) -> HttpResponse:
    """One table of the dashboard (or of a program's page, ``?of=<program id>``) as CSV or
    XLSX; cells are formula-safe and the download is recorded in the audit log."""
    me = signed_in_person(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format.")
    of = _int(request.GET.get("of"))
    if of is not None:
        tables = program_tables(program_figures(_program(me, of), me))
        filters = Filters(program=of)
    else:
        filters = filters_from(request.GET)
        tables = district_tables(district_figures(me, filters=filters))
    # No table named: the first (the verdicts), as the page's first download link.
    wanted = request.GET.get("table") or (tables[0].key if tables else "")
    table = next((t for t in tables if t.key == wanted), None)
    if table is None:
        raise Http404("No such table.")
    _audit_export(me, table, fmt, filters, request)
    name = f"district-{table.key}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(csv_bytes(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_bytes(table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _audit_export(me: User, table: Table, fmt: str, filters: Filters, request: Any) -> None:
    from uptake.audit.actions import record
    from uptake.audit.models import AuditAction

    record(AuditAction.EXPORT, actor=me, request=request,
           summary=f"Exported the district dashboard's table “{table.title}” as "
                   f"{fmt.upper()}",
           details={"what": "district_dashboard", "table": table.key, "format": fmt,
                    "filters": filters.as_query(), "rows": len(table.rows)})


@allow(*READERS)
def records(request: HttpRequest) -> HttpResponse:
    """The classes and measures behind a number: those whose inquiry the viewer may open,
    and how many more there are that she may not."""
    me = signed_in_person(request)
    filters = filters_from(request.GET)
    scope = scope_of(me, school_id=filters.school)
    scene = visible_scene(me, scope)
    atoms = filtered(scene.atoms, filters)
    kept, _ = countable(atoms, settings.MIN_GROUP_SIZE)
    dim, value = request.GET.get("dim"), request.GET.get("value")
    if dim and value is not None:
        kept = [a for a in kept if value in a.facets.get(dim, frozenset())]
    verdict = request.GET.get("verdict")
    if verdict:
        kept = [a for a in kept if a.verdict_key == verdict]
    attribute = request.GET.get("attribute")
    if attribute:
        kept = [a for a in kept if a.groups.get(attribute) and all(
            n >= settings.MIN_GROUP_SIZE for n, _ in a.groups[attribute].values())]
    if request.GET.get("effects"):
        kept = [a for a in kept if a.smc is not None and a.smc_variance]
    from django.core.paginator import Paginator

    from uptake.inquiry.access import inquiries_visible_to
    from uptake.inquiry.models import SeriesSummary

    rows = [scene.rows[a.key] for a in kept]
    may_open = set(inquiries_visible_to(me).filter(
        pk__in={r.inquiry_id for r in rows}).values_list("pk", flat=True))
    shown = [r for r in rows if r.inquiry_id in may_open]
    page = Paginator(shown, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    on_page = [r.pk for r in page.object_list]
    loaded = SeriesSummary.objects.select_related("measure__inquiry", "section", "school").in_bulk(
        on_page)
    with_effects = bool(request.GET.get("effects"))
    if with_effects:  # "Show all N" effect sizes: each class's effect and interval
        for row in loaded.values():
            if row.smc is not None and row.smc_variance:
                half = 1.959964 * row.smc_variance ** 0.5
                interval = f"{row.smc - half:.2f} to {row.smc + half:.2f}"
                setattr(row, "effect_text", f"{row.smc:.2f}")  # noqa: B010  (for the page)
                setattr(row, "interval_text", interval)  # noqa: B010
    what = _describe(request.GET, scene.labels, filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "district/records.html", {
        "rows": [loaded[pk] for pk in on_page if pk in loaded], "page": page,
        "query": query.urlencode(), "shown": len(shown), "with_effects": with_effects,
        "hidden": len(rows) - len(shown), "total": len(rows),
        "what": what, "verdict_labels": VERDICT_LABELS, "qs": urlencode(filters.as_query())})


def _describe(query: Any, labels: dict[str, dict[str, str]], filters: Filters) -> list[str]:
    dims = dict(DIMENSIONS) | {"year": "School year"}
    said = []
    for dim, value in filters.facet_tests().items():
        said.append(f"{dims.get(dim, dim)}: {labels.get(dim, {}).get(value, value)}")
    if query.get("dim") in dims and query.get("value") is not None:
        dim = query["dim"]
        said.append(f"{dims[dim]}: {labels.get(dim, {}).get(query['value'], query['value'])}")
    if query.get("verdict") in VERDICT_LABELS:
        said.append(f"Verdict: {VERDICT_LABELS[query['verdict']]}")
    attrs = dict(GROUP_ATTRIBUTES)
    if query.get("attribute") in attrs:
        said.append(f"Classes counted for {attrs[query['attribute']].lower()}")
    if query.get("effects"):
        said.append("Classes with an effect size")
    return said
