"""The PLN map, the whole network's measures, a leader's aggregate and a person's ego
network (docs/network-map.md).

``networks:home`` shows each person what her roles let her read (uptake/networks/access.py):
a coordinator or researcher the whole district's map; a school leader her schools'
aggregate (numbers only) and her own ties; a teacher or coach her own ties. Viewing the
whole network is in the audit log once per page view (``network_viewed``), every download
(``network_downloaded``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from uptake.accounts.access import allow, district_id_of, signed_in_person
from uptake.accounts.models import Role, School, User
from uptake.audit.actions import record
from uptake.networks import access, drawing, figures, precompute, queries
from uptake.spreadsheets import safe_cell, xlsx_workbook
from uptake.views_support import download as as_download

# The measures table's order when none is asked for (and the one the worker renders).
DEFAULT_SORT = "label"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MapFilters(forms.Form):
    """The map's GET form: what to draw and measure, how to group, how to sort."""

    relation = forms.MultipleChoiceField(label="Relations", required=False,
                                         widget=forms.CheckboxSelectMultiple)
    layer = forms.MultipleChoiceField(label="Layers", required=False,
                                      choices=list(figures.LAYER_LABELS.items()),
                                      widget=forms.CheckboxSelectMultiple)
    min_weight = forms.IntegerField(label="At least this often (1 to 10)", required=False,
                                    min_value=1, max_value=10)
    school = forms.MultipleChoiceField(label="Schools", required=False,
                                       widget=forms.CheckboxSelectMultiple)
    since = forms.DateField(label="Observed since", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="Observed until", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    group = forms.ChoiceField(label="Groups for brokerage and the E-I index", required=False,
                              choices=list(figures.GROUPINGS.items()))
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k, _ in figures.COLUMNS])
    dir = forms.ChoiceField(required=False, choices=[("asc", "asc"), ("desc", "desc")])

    def __init__(self, data: QueryDict, *, district_id: int) -> None:
        super().__init__(data)
        relation = self.fields["relation"]
        school = self.fields["school"]
        assert isinstance(relation, forms.ChoiceField)
        assert isinstance(school, forms.ChoiceField)
        relation.choices = relation_choices(district_id)
        school.choices = [
            (str(pk), name) for pk, name in School.objects.filter(
                district_id=district_id).order_by("name").values_list("pk", "name")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", f"“Observed until” ({until:%d %B %Y}) is before "
                                    f"“observed since” ({since:%d %B %Y}).")
        return data

    def filters(self) -> figures.Filters:
        d = self.cleaned_data if self.is_valid() else {}
        return figures.Filters(
            relations=tuple(sorted(d.get("relation") or ())),
            layers=tuple(sorted(d.get("layer") or ())) or figures.DEFAULT_LAYERS,
            min_weight=d.get("min_weight") or 1,
            school_ids=tuple(sorted(int(s) for s in d.get("school") or ())),
            since=d.get("since"), until=d.get("until"),
            group_by=d.get("group") or "school")


def relation_choices(district_id: int) -> list[tuple[str, str]]:
    """The district's relations (built-in and its own) then the known layer's."""
    return list(queries.relation_labels(district_id).items())


@allow(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR, Role.RESEARCHER)
def home(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    if access.may_see_whole_network(me):
        return _whole(request, me)
    if access.aggregate_schools(me):
        return _leader(request, me)
    if access.may_have_ego_network(me):
        return _ego_page(request, me, "networks/map/ego.html", {})
    raise access.not_found()


def _form(request: HttpRequest, me: User) -> MapFilters:
    return MapFilters(request.GET, district_id=district_id_of(me))


def _whole(request: HttpRequest, me: User) -> HttpResponse:
    form = _form(request, me)
    f = figures.whole_network(district_id_of(me), form.filters())
    record("network_viewed", actor=me, request=request,
           summary=f"Viewed the whole network: {f.people} nodes, {f.ties} ties",
           details={"filters": f.filters.as_json(), "nodes": f.people, "ties": f.ties})
    sort = form.cleaned_data.get("sort") if form.is_valid() else ""
    descending = (form.cleaned_data.get("dir") == "desc") if form.is_valid() else False
    ei = f.measures.ei.get(f.filters.group_by)
    query = request.GET.copy()
    for key in ("sort", "dir"):
        query.pop(key, None)
    return render(request, "networks/map/whole.html", {
        "form": form, "f": f, "svg": drawing.network_svg(f),
        "table_body": table_body(f, sort or DEFAULT_SORT, descending),
        "columns": _columns(query, sort or "label", descending),
        "key_players": figures.key_player_sentence(f),
        "group_label": figures.GROUPINGS[f.filters.group_by],
        "filter_qs": query.urlencode(), "roles": figures.BROKERAGE_ROLES,
        "max_drawn": figures.MAX_DRAWN, "ei": ei, "keeper": access.may_keep_network(me),
        "ei_by_group": sorted(ei.by_group.items()) if ei else [],
    }, status=400 if form.errors else 200)


def table_body(f: figures.MapFigures, sort: str, descending: bool) -> SafeString:
    """The measures table's rows in this order. The default order is rendered once per
    network (``f.key``: its content, grouping and audience) and read from the page cache
    (the worker renders it ahead); any other order is rendered for the request and never
    kept: each is ~1 MB at district size, and a researcher trying sorts would otherwise
    grow every process's page cache by one body per network, sort and direction."""
    default = sort == DEFAULT_SORT and not descending
    slot = f"networks:rows:{figures.CACHE_VERSION}:{f.key}:{DEFAULT_SORT}:0"
    if default:
        found = precompute.get(slot)
        if isinstance(found, str):
            return mark_safe(found)  # rendered by the template below, which escaped it
    rows = [_table_row(r) for r in figures.sorted_rows(f.rows, sort, descending)]
    body = render_to_string("networks/map/_measure_rows.html", {"rows": rows})
    if default:
        precompute.put(slot, str(body))
    return mark_safe(body)  # the template escaped every value


def _table_row(r: figures.Row) -> dict[str, Any]:
    notes = [text for flag, text in (
        (r.external, "outside the district"), (r.formal_role, "formal role"),
        (r.informal_broker, "informal broker"), (r.unobserved, "unobserved: did not answer"),
    ) if flag]
    return {"row": r, "notes": ", ".join(notes),
            "cells": [(r.brokerage.get(k, 0), r.brokerage_z.get(k))
                      for k in figures.BROKERAGE_ROLES]}


def _columns(query: QueryDict, sort: str, descending: bool) -> list[dict[str, Any]]:
    """Each column's heading, its sort link (the other way when it is the sort) and its
    ``aria-sort``."""
    out = []
    for key, label in figures.COLUMNS:
        q = query.copy()
        q["sort"] = key
        now = key == sort
        q["dir"] = "asc" if now and descending else "desc" if now or key not in (
            "label", "school") else "asc"
        out.append({"key": key, "label": label, "url": "?" + q.urlencode(),
                    "aria": ("descending" if descending else "ascending") if now else "",
                    "num": key not in ("label", "school")})
    return out


def _leader(request: HttpRequest, me: User) -> HttpResponse:
    schools = access.aggregate_schools(me)
    names = dict(School.objects.filter(pk__in=schools).values_list("pk", "name"))
    aggregates = figures.school_aggregates(district_id_of(me), sorted(schools, key=lambda s: (
        names.get(s, ""), s)), names=names)
    return _ego_page(request, me, "networks/map/leader.html", {
        "aggregates": aggregates, "min_group_size": settings.MIN_GROUP_SIZE})


def _ego_page(request: HttpRequest, me: User, template: str, extra: dict[str, Any]
              ) -> HttpResponse:
    mine = figures.ego(me)
    relations = dict(relation_choices(district_id_of(me)))

    def shown(ties: list[figures.EgoTie]) -> list[dict[str, Any]]:
        return [{"other": t.other, "external": t.external, "weight": t.weight,
                 "observed_on": t.observed_on,
                 "relation_label": relations.get(t.relation, t.relation),
                 "layer_label": "Named by you" if t.layer == "reported" else "—"}
                for t in ties]

    return render(request, template, {
        "ego": mine, "ties_url": reverse("networks:ties"),
        "ego_tables": [
            ("Who you learn from", shown(mine.learns_from), "People you learn from"),
            ("Who learns from you", shown(mine.learned_from_by), "People who learn from you"),
        ], **extra})


# -- downloads (coordinators and researchers) ------------------------------------------

NODE_HEADER = ("Key", "Name", "School", "Outside the district", "Formal role",
               "Unobserved", "Group", "In-degree", "Out-degree", "Betweenness", "Closeness",
               "Eigenvector", "Two-step reach",
               *(r.capitalize() for r in figures.BROKERAGE_ROLES),
               *(f"{r.capitalize()} z" for r in figures.BROKERAGE_ROLES),
               "Total brokerage", "Informal broker")
EDGE_HEADER = ("Source key", "Source", "Target key", "Target", "Relation", "Layer",
               "Weight", "Observed on")


def node_rows(f: figures.MapFigures) -> Iterable[Sequence[Any]]:
    for r in f.rows:
        yield (r.key, r.label, r.school, r.external, r.formal_role, r.unobserved, r.group,
               r.in_degree, r.out_degree, round(r.betweenness, 6), round(r.closeness, 6),
               round(r.eigenvector, 6), r.two_step_reach,
               *(r.brokerage.get(k, 0) for k in figures.BROKERAGE_ROLES),
               *(_z(r.brokerage_z.get(k)) for k in figures.BROKERAGE_ROLES),
               r.brokerage_total, r.informal_broker)


def _z(value: float | None) -> float | str:
    return "" if value is None else round(value, 4)


def edge_rows(f: figures.MapFigures) -> Iterable[Sequence[Any]]:
    nodes = f.network.nodes
    for t in sorted(f.network.ties, key=lambda t: (t.source, t.target, t.relation, t.layer)):
        yield (t.source, nodes[t.source].label if t.source in nodes else "", t.target,
               nodes[t.target].label if t.target in nodes else "", t.relation, t.layer,
               t.weight, t.observed_on or "")


@allow(*access.WHOLE_NETWORK_ROLES)
def map_download(request: HttpRequest) -> HttpResponse:
    """The nodes table or the edge list, as CSV or XLSX, under the map's filters."""
    me = signed_in_person(request)
    if not access.may_see_whole_network(me):
        raise access.not_found()
    table = request.GET.get("table", "nodes")
    fmt = request.GET.get("format", "csv")
    if table not in ("nodes", "edges") or fmt not in ("csv", "xlsx"):
        raise access.not_found("No such download.")
    form = _form(request, me)
    if form.errors:
        return _whole(request, me)
    f = figures.whole_network(district_id_of(me), form.filters())
    header, rows = ((NODE_HEADER, list(node_rows(f))) if table == "nodes"
                    else (EDGE_HEADER, list(edge_rows(f))))
    record("network_downloaded", actor=me, request=request,
           summary=f"Downloaded the network's {table} ({fmt}): {len(rows)} rows",
           details={"table": table, "format": fmt, "rows": len(rows),
                    "filters": f.filters.as_json()})
    name = f"network-{table}.{fmt}"
    if fmt == "xlsx":
        return as_download(HttpResponse(xlsx_workbook(
            header, rows, sheet="Nodes" if table == "nodes" else "Ties",
            title=f"Network {table}"), content_type=XLSX), name)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([safe_cell(v) if isinstance(v, str) else v for v in row] for row in rows)
    return as_download(response, name)
