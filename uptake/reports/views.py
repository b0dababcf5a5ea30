"""The make-your-case pages (the district's, a program's), their PDF, and the research
export's page. Access: ``uptake.reports.access``; writes: ``uptake.reports.actions``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from uptake.accounts.access import allow, signed_in_person
from uptake.accounts.models import Role, School
from uptake.programs.models import Program
from uptake.reports import access, actions
from uptake.reports.case import Case, build_case
from uptake.reports.forms import CaseForm
from uptake.reports.pdf import case_filename, render_case_pdf
from uptake.views_support import download, showing_refusals

READERS = access.CASE_READERS
EXPORTERS = access.EXPORTERS




def _case(request: HttpRequest, program_id: int | None) -> tuple[Case, Program | None]:
    me = signed_in_person(request)
    if not access.may_read_cases(me):
        raise Http404("No such page.")
    program = access.access_case_program(me, program_id) if program_id is not None else None
    school_id = access.case_school(me, request.GET.get("school"))
    return build_case(me, program=program, school_id=school_id), program


def _page_url(program: Program | None) -> str:
    if program is None:
        return reverse("reports:case")
    return reverse("reports:program_case", kwargs={"program_id": program.pk})


def _show(request: HttpRequest, program_id: int | None, form: CaseForm | None = None
          ) -> HttpResponse:
    case, program = _case(request, program_id)
    me = signed_in_person(request)
    editor = access.may_edit_case(me)
    if editor and form is None:
        form = CaseForm(initial={p.key: p.text for p in case.paragraphs})
    led = (list(School.objects.filter(pk__in=access.schools_led_by(me)).order_by("name"))
           if case.school is not None else [])
    return render(request, "reports/case.html", {
        "case": case, "form": form if editor else None, "editor": editor,
        "page_url": _page_url(program), "led_schools": led,
        "school_query": f"?school={case.school.pk}" if case.school is not None else "",
        "pdf_url": (reverse("reports:case_pdf") if program is None else
                    reverse("reports:program_case_pdf", kwargs={"program_id": program.pk})),
    })


def _edit(request: HttpRequest, program_id: int | None) -> HttpResponse:
    me = signed_in_person(request)
    if not access.may_edit_case(me):
        raise Http404("No such page.")
    case, program = _case(request, program_id)
    form = CaseForm(request.POST)
    if form.is_valid():
        with showing_refusals(request, form=form, done="The case is saved.") as attempt:
            actions.do_save_case(me, program=program, request=request,
                                 drafts={p.key: p.draft for p in case.paragraphs},
                                 **form.cleaned_data)
        if attempt.ok:
            return redirect(_page_url(program))
    return _show(request, program_id, form)


def _reset(request: HttpRequest, program_id: int | None) -> HttpResponse:
    me = signed_in_person(request)
    if not access.may_edit_case(me):
        raise Http404("No such page.")
    _unused, program = _case(request, program_id)
    with showing_refusals(request, done="The case follows the figures again."):
        actions.do_reset_case(me, program=program, request=request)
    return redirect(_page_url(program))


def _pdf(request: HttpRequest, program_id: int | None) -> HttpResponse:
    case, _program = _case(request, program_id)
    return download(HttpResponse(render_case_pdf(case), content_type="application/pdf"),
                     case_filename(case))


# ------------------------------------------------------------------- the district's


@allow(*READERS)
def case(request: HttpRequest) -> HttpResponse:
    """The district's case (a school leader: her school's)."""
    return _show(request, None)


@allow(Role.COORDINATOR)
@require_POST
def case_edit(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@allow(Role.COORDINATOR)
@require_POST
def case_reset(request: HttpRequest) -> HttpResponse:
    return _reset(request, None)


@allow(*READERS)
def case_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf(request, None)


# ------------------------------------------------------------------------ a program's


@allow(*READERS)
def program_case(request: HttpRequest, program_id: int) -> HttpResponse:
    return _show(request, program_id)


@allow(Role.COORDINATOR)
@require_POST
def program_case_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    return _edit(request, program_id)


@allow(Role.COORDINATOR)
@require_POST
def program_case_reset(request: HttpRequest, program_id: int) -> HttpResponse:
    return _reset(request, program_id)


@allow(*READERS)
def program_case_pdf(request: HttpRequest, program_id: int) -> HttpResponse:
    return _pdf(request, program_id)


# ------------------------------------------------------------------ research export


@allow(*EXPORTERS)
def research(request: HttpRequest) -> HttpResponse:
    """What the research export holds, and the button that takes it."""
    from uptake.reports.research import DICTIONARY

    me = signed_in_person(request)
    if not access.may_export_research(me):
        raise Http404("No such page.")
    context: dict[str, Any] = {"dictionary": DICTIONARY,
                               "min_group_size": settings.MIN_GROUP_SIZE}
    return render(request, "reports/research.html", context)


@allow(*EXPORTERS)
@require_POST
def research_export(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    if not access.may_export_research(me):
        raise Http404("No such page.")
    export = actions.do_export_research(me, request=request)
    return download(HttpResponse(export.content, content_type="application/zip"),
                     export.filename)
