"""Bringing ties into the network (docs/network-imports.md): the list of imports (the
district's coordinators and researchers, who read the whole network), bringing a network
survey in, uploading an edge list, one import's result, deleting it (coordinators)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from uptake.accounts.access import allow, district_id_of, signed_in_person
from uptake.accounts.models import Role
from uptake.audit.actions import record
from uptake.idempotency import once
from uptake.networks import access, edgelist
from uptake.networks.actions import imports as actions
from uptake.networks.forms_imports import DeleteImportForm, EdgeListForm, SurveyImportForm
from uptake.networks.models import NetworkImport
from uptake.surveys.queries import rate_text
from uptake.views_support import download, showing_refusals

PER_PAGE = 50


def rate(imported: NetworkImport) -> str:
    """A survey import's response rate in words ("18 of 24 invited, 75 %")."""
    return rate_text(len(imported.responded), len(imported.invited))


@allow(Role.COORDINATOR, Role.RESEARCHER)
def imports(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    page = Paginator(actions.imports_of(me).select_related("survey", "question", "created_by")
                     .defer("invited", "responded"), PER_PAGE).get_page(
        request.GET.get("page"))
    # The response rates of this page's survey imports, from their lists in one query.
    surveys = [i.pk for i in page if i.kind == NetworkImport.Kind.SURVEY]
    rates = {pk: rate_text(len(responded), len(invited)) for pk, invited, responded in
             NetworkImport.objects.filter(pk__in=surveys)
             .values_list("pk", "invited", "responded")}
    return render(request, "networks/imports/list.html", {
        "page": page, "imports": [(i, rates.get(i.pk, "")) for i in page],
        "relations": actions.relation_labels(district_id_of(me)),
        "may_keep": access.may_keep_network(me)})


@allow(Role.COORDINATOR)
def bring_in_survey(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    surveys = list(actions.surveys_to_bring_in(me))
    form = SurveyImportForm(request.POST or None, surveys=surveys,
                            relations=actions.relation_labels(district_id_of(me)))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            question = form.chosen()
            with showing_refusals(request, form=form) as attempt:
                made = actions.do_bring_in_survey(
                    me, question.survey, question, form.cleaned_data["relation"],
                    form.cleaned_data["observed_on"], request=request)
            if attempt.ok:
                return redirect("networks:import_detail", import_id=made.pk)
        status = 400
    return render(request, "networks/imports/survey.html",
                  {"form": form, "has_surveys": bool(form.questions)}, status=status)


@allow(Role.COORDINATOR)
@once
def upload_edges(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    form = EdgeListForm(request.POST or None, request.FILES or None)
    refused: edgelist.EdgesRefused | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                made = actions.do_import_edge_file(
                    me, file_name=upload.name or "edges.csv",
                    content=upload.read(edgelist.MAX_BYTES + 1),
                    nominations=form.cleaned_data["direction"] == "nominations",
                    observed_on=form.cleaned_data["observed_on"], request=request)
            except edgelist.EdgesRefused as refusal:
                refused = refusal
            else:
                return redirect("networks:import_detail", import_id=made.pk)
        status = 400
    return render(request, "networks/imports/upload.html", {
        "form": form, "refused": refused, "file_name": _file_name(form),
        "columns": edgelist.COLUMNS, "required": edgelist.REQUIRED,
        "relations": actions.relation_labels(district_id_of(me)),
        "max_rows": edgelist.MAX_ROWS}, status=status)


def _file_name(form: EdgeListForm) -> str:
    upload: Any = form.files.get("file") if form.files else None
    return str(getattr(upload, "name", "") or "")


@allow(Role.COORDINATOR)
def template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(edgelist.template_csv(), content_type="text/csv; charset=utf-8")
    return download(response, "edge-list-template.csv")


@allow(Role.COORDINATOR, Role.RESEARCHER)
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    me = signed_in_person(request)
    found = actions.import_of(me, import_id)
    ties = list(found.tie_set.select_related("source_person", "source_contact",
                                             "target_person", "target_contact")[:200])
    # Raw ties with names: in the audit log, as the map's whole network is.
    record("network_viewed", actor=me, request=request, obj=found,
           summary=f"Viewed the ties of import {found.pk}: {found.ties} ties",
           details={"import": found.pk, "ties": found.ties, "shown": len(ties)})
    return render(request, "networks/imports/detail.html", {
        "imported": found, "ties": ties, "shown": len(ties),
        "rate": rate(found) if found.kind == NetworkImport.Kind.SURVEY else "",
        "unanswered": len(set(found.invited) - set(found.responded)),
        "relations": actions.relation_labels(district_id_of(me)),
        "may_keep": access.may_keep_network(me)})


@allow(Role.COORDINATOR)
def delete_import(request: HttpRequest, import_id: int) -> HttpResponse:
    me = signed_in_person(request)
    found = actions.import_of(me, import_id)
    form = DeleteImportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with showing_refusals(request, form=form,
                                  done="The import and its ties were deleted.") as attempt:
                actions.do_delete_import(me, found, request=request)
            if attempt.ok:
                return redirect("networks:imports")
        status = 400
    return render(request, "networks/imports/delete.html",
                  {"imported": found, "form": form, "ties": found.tie_set.count()},
                  status=status)
