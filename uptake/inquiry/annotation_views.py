"""Teachers' notes on a measure's charts ("snow day"): one page where the measure's
editors add, change and delete them. Thin: parse, call an action, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from uptake.accounts.access import allow
from uptake.accounts.models import Role, User
from uptake.idempotency import once
from uptake.inquiry import actions
from uptake.inquiry.access import access_annotation, access_measure
from uptake.inquiry.forms import AnnotationForm
from uptake.inquiry.models import Annotation, Measure
from uptake.views_support import showing_refusals

DONE = {"add": "Note added to the chart.", "save": "Note saved.", "delete": "Note deleted."}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _data(form: AnnotationForm) -> actions.AnnotationData:
    c = form.cleaned_data
    return actions.AnnotationData(c.get("when"), c.get("text") or "", c.get("section"))


@allow(Role.TEACHER)
@once
def chart_notes(request: HttpRequest, measure_id: int) -> HttpResponse:
    """GET: the notes, each with its own form, and a form for a new one. POST ``op``:
    ``add``, or ``save``/``delete`` with ``note`` (the id of one of this measure's)."""
    user = _user(request)
    measure = access_measure(user, measure_id, edit=True)
    if request.method != "POST":
        return _page(request, measure)
    op = request.POST.get("op", "")
    if op == "add":
        form = AnnotationForm(request.POST, measure=measure, prefix="new")
        if form.is_valid():
            with showing_refusals(request, form=form, done=DONE[op]) as attempt:
                actions.do_add_annotation(user, measure, _data(form), request=request)
            if attempt.ok:
                return redirect("inquiry:annotations", measure_id=measure.pk)
        return _page(request, measure, new=form, status=400)
    note = access_annotation(measure, request.POST.get("note"))
    if op == "delete":
        with showing_refusals(request, done=DONE[op]):
            actions.do_delete_annotation(user, note, request=request)
        return redirect("inquiry:annotations", measure_id=measure.pk)
    form = AnnotationForm(request.POST, measure=measure, prefix=f"n{note.pk}")
    if form.is_valid():
        with showing_refusals(request, form=form, done=DONE["save"]) as attempt:
            actions.do_update_annotation(user, note, _data(form), request=request)
        if attempt.ok:
            return redirect("inquiry:annotations", measure_id=measure.pk)
    return _page(request, measure, edited=(note.pk, form), status=400)


def _page(request: HttpRequest, measure: Measure, *, new: AnnotationForm | None = None,
          edited: tuple[int, AnnotationForm] | None = None, status: int = 200
          ) -> HttpResponse:
    notes = list(measure.annotations.select_related("section"))
    forms = [(n, edited[1] if edited and edited[0] == n.pk else _form_of(n, measure))
             for n in notes]
    return render(request, "inquiry/annotations.html", {
        "measure": measure, "inquiry": measure.inquiry, "notes": forms,
        "form": new or AnnotationForm(measure=measure, prefix="new"),
    }, status=status)


def _form_of(note: Annotation, measure: Measure) -> AnnotationForm:
    return AnnotationForm(measure=measure, prefix=f"n{note.pk}", initial={
        "when": note.date, "text": note.text, "section": note.section_id})
