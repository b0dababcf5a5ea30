"""The survey pages: the authors' list and builder, the preview, the one answering page,
the results and the export. Every write goes through ``uptake.surveys.actions``."""

from __future__ import annotations

import csv
import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from uptake.accounts.access import allow, signed_in_person
from uptake.accounts.models import Role, User
from uptake.idempotency import once
from uptake.rules import RuleError
from uptake.surveys import actions, queries
from uptake.surveys.access import (
    access_managed_survey,
    access_readable_survey,
    access_survey_to_answer,
    may_author,
    surveys_managed_by,
    surveys_readable_by,
)
from uptake.surveys.actions import QuestionData, roster_people
from uptake.surveys.forms import InviteForm, QuestionForm, SurveyForm, lines
from uptake.surveys.models import Question, Survey
from uptake.views_support import show_refusal, showing_refusals

AUTHORS = (Role.COORDINATOR, Role.SCHOOL_LEADER)
READERS = (Role.COORDINATOR, Role.SCHOOL_LEADER, Role.RESEARCHER)


@allow(*READERS)
def survey_list(request: HttpRequest) -> HttpResponse:
    me = signed_in_person(request)
    managed = list(surveys_managed_by(me).select_related("school", "program"))
    managed_ids = {s.pk for s in managed}
    others = [s for s in surveys_readable_by(me).select_related("school", "program")
              if s.pk not in managed_ids]
    rates = {s.pk: queries.rate_text(*queries.response_rate(s)) for s in [*managed, *others]}
    return render(request, "surveys/list.html", {
        "managed": managed, "others": others, "rates": rates, "may_author": may_author(me)})


@allow(*AUTHORS)
@require_http_methods(["GET", "POST"])
@once
def survey_new(request: HttpRequest) -> HttpResponseBase:
    me = signed_in_person(request)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = SurveyForm(request.POST or None, author=me, initial={
        "opens_at": now, "closes_at": now + datetime.timedelta(days=14)})
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Survey created. Add its questions."
                              ) as attempt:
            survey = actions.do_create_survey(me, **form.cleaned_data)
        if attempt.ok:
            return redirect("surveys:builder", survey_id=survey.pk)
    return render(request, "surveys/new.html", {"form": form})


def _question_data(form: QuestionForm) -> QuestionData:
    data = form.cleaned_data
    return QuestionData(
        kind=data["kind"], prompt=data["prompt"], required=data["required"],
        help_text=data["help_text"], likert_labels=lines(data["likert_labels"]),
        options=lines(data["options"]), number_min=data["number_min"],
        number_max=data["number_max"], roster_scope=data["roster_scope"],
        frequency_labels=lines(data["frequency_labels"]))


def _question_initial(question: Question) -> dict[str, Any]:
    return {"kind": question.kind, "prompt": question.prompt,
            "help_text": question.help_text, "required": question.required,
            "likert_labels": "\n".join(question.likert_labels),
            "options": "\n".join(question.options), "number_min": question.number_min,
            "number_max": question.number_max, "roster_scope": question.roster_scope,
            "frequency_labels": "\n".join(question.frequency_labels)}


@allow(*AUTHORS)
@require_http_methods(["GET", "POST"])
@once
def builder(request: HttpRequest, survey_id: int) -> HttpResponseBase:
    """Settings, questions, invitations, publishing and closing: one page, one form at a
    time (``step`` says which)."""
    me = signed_in_person(request)
    survey = access_managed_survey(me, survey_id)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    editing = None
    if request.GET.get("edit", "").isdigit():
        editing = survey.questions.filter(pk=request.GET["edit"]).first()
    settings_form = SurveyForm(request.POST if step == "settings" else None, author=me,
                               initial={
        "title": survey.title, "purpose": survey.purpose, "anonymous": survey.anonymous,
        "school": survey.school_id, "program": survey.program_id,
        "session": survey.session_id,
        "opens_at": timezone.localtime(survey.opens_at),
        "closes_at": timezone.localtime(survey.closes_at),
        "remind_every_days": survey.remind_every_days, "intro": survey.intro})
    question_form = QuestionForm(request.POST if step in ("add", "edit") else None,
                                 initial=_question_initial(editing) if editing else None)
    invite_form = InviteForm(request.POST if step == "invite" else None, survey=survey)
    back = redirect("surveys:builder", survey_id=survey.pk)
    if step == "settings" and settings_form.is_valid():
        with showing_refusals(request, form=settings_form, done="Settings saved.") as attempt:
            actions.do_update_survey(survey, me, **settings_form.cleaned_data)
        if attempt.ok:
            return back
    elif step in ("add", "edit") and question_form.is_valid():
        target = None
        if step == "edit":
            target = survey.questions.filter(pk=request.POST.get("question") or 0).first()
            if target is None:
                raise Http404("No such question.")
        with showing_refusals(request, form=question_form, done="Question saved.") as attempt:
            if target is None:
                actions.do_add_question(survey, me, _question_data(question_form))
            else:
                actions.do_update_question(target, me, _question_data(question_form))
        if attempt.ok:
            return back
        editing = target
    elif step in ("up", "down", "delete"):
        target = survey.questions.filter(pk=request.POST.get("question") or 0).first()
        if target is None:
            raise Http404("No such question.")
        with showing_refusals(request, done="Question removed." if step == "delete" else ""
                              ) as attempt:
            if step == "delete":
                actions.do_delete_question(target, me)
            else:
                actions.do_move_question(target, me, up=step == "up")
        return back
    elif step == "invite" and invite_form.is_valid():
        data = invite_form.cleaned_data
        with showing_refusals(request, form=invite_form) as attempt:
            added = actions.do_invite(survey, me, roles=data["roles"], school=data["school"],
                                      participants=bool(data.get("participants")))
        if attempt.ok:
            from django.contrib import messages

            messages.success(request, f"{added} more {'person' if added == 1 else 'people'} "
                                      "asked to answer.")
            return back
    elif step in ("publish", "close", "remind"):
        done = {"publish": "Published: the questions can no longer change.",
                "close": "Closed: it takes no more answers.", "remind": ""}[step]
        with showing_refusals(request, done=done) as attempt:
            if step == "publish":
                actions.do_publish(survey, me)
            elif step == "close":
                actions.do_close(survey, me)
            else:
                sent = actions.do_send_reminders(survey, me)
        if attempt.ok and step == "remind":
            from django.contrib import messages

            messages.success(request, f"{sent} reminder{'s' if sent != 1 else ''} sent.")
        return back
    elif step and step not in ("settings", "add", "edit", "invite"):
        raise Http404("No such step.")
    responded, invited = queries.response_rate(survey)
    return render(request, "surveys/builder.html", {
        "survey": survey, "questions": list(survey.questions.all()),
        "settings_form": settings_form, "question_form": question_form,
        "invite_form": invite_form, "editing": editing, "draft": survey.published_at is None,
        "rate": queries.rate_text(responded, invited),
        "due": actions.due_for_reminder(survey).count()
        if survey.status == Survey.Status.OPEN else 0})


def _fields(survey: Survey, *, values: dict[str, Any] | None = None,
            errors: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Each question with what the answering page needs to draw it."""
    values, errors = values or {}, errors or {}
    shown = []
    for number, q in enumerate(survey.questions.order_by("order", "pk"), start=1):
        item: dict[str, Any] = {"q": q, "number": number, "name": q.field_name,
                                "value": values.get(q.field_name),
                                "error": errors.get(q.field_name, "")}
        if q.kind == Question.Kind.LIKERT:
            item["points"] = [(str(i), label) for i, label in
                              enumerate(q.likert_labels, start=1)]
        elif q.kind == Question.Kind.ROSTER:
            item["people"] = [(p.pk, p.display_name) for p in roster_people(q)]
        shown.append(item)
    return shown


def _posted_answers(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    posted: dict[str, Any] = {}
    for q in survey.questions.all():
        name = q.field_name
        if q.kind == Question.Kind.MULTIPLE:
            posted[name] = request.POST.getlist(name)
        elif q.kind == Question.Kind.ROSTER:
            posted[name] = {pid: request.POST.get(f"{name}_f{pid}", "")
                            for pid in request.POST.getlist(name)}
        else:
            posted[name] = request.POST.get(name, "")
    return posted


def _existing_answers(survey: Survey, person: User) -> dict[str, Any]:
    """An identified survey's answers she gave, to change them."""
    response = survey.responses.filter(person=person).first()
    if response is None:
        return {}
    values: dict[str, Any] = {}
    for a in response.answers.select_related("question"):
        q = a.question
        if q.kind == Question.Kind.ROSTER:
            values.setdefault(q.field_name, {})[str(a.named_id)] = a.frequency
        elif q.kind == Question.Kind.LIKERT:
            values[q.field_name] = str(int(a.number)) if a.number is not None else ""
        elif q.kind == Question.Kind.NUMBER:
            values[q.field_name] = f"{a.number:g}" if a.number is not None else ""
        elif q.kind == Question.Kind.MULTIPLE:
            values[q.field_name] = a.choices
        elif q.kind == Question.Kind.CHOICE:
            values[q.field_name] = a.choices[0] if a.choices else ""
        else:
            values[q.field_name] = a.text
    return values


@allow(*AUTHORS)
def preview(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = access_managed_survey(signed_in_person(request), survey_id)
    return render(request, "surveys/respond.html", {
        "survey": survey, "fields": _fields(survey), "preview": True, "can_answer": False})


@allow(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR, Role.RESEARCHER,
       Role.ASSESSOR)
@require_http_methods(["GET", "POST"])
@once
def respond(request: HttpRequest, survey_id: int) -> HttpResponseBase:
    me = signed_in_person(request)
    survey, recipient = access_survey_to_answer(me, survey_id)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    refusal = None
    if request.method == "POST":
        values = _posted_answers(request, survey)
        try:
            actions.do_respond(survey, me, values)
        except RuleError as refused:
            refusal = refused
            errors = {row.column: row.message for row in refused.rows}
            if not errors:
                show_refusal(request, refused)
        else:
            return redirect("surveys:thanks", survey_id=survey.pk)
        recipient.refresh_from_db()
    elif not survey.anonymous:
        values = _existing_answers(survey, me)
    status = survey.status
    answered = recipient.responded_at is not None
    can_answer = status == Survey.Status.OPEN and not (answered and survey.anonymous)
    return render(request, "surveys/respond.html", {
        "survey": survey, "fields": _fields(survey, values=values, errors=errors),
        "preview": False, "can_answer": can_answer, "answered": answered,
        "refusal": refusal if errors else None, "status": status,
        "window_message": _window_message(survey)},
        status=400 if errors else 200)


def _window_message(survey: Survey) -> str:
    try:
        actions.check_window(survey, timezone.now())
    except RuleError as closed:
        return closed.message
    return ""


@allow(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR, Role.RESEARCHER,
       Role.ASSESSOR)
def thanks(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey, _ = access_survey_to_answer(signed_in_person(request), survey_id)
    return render(request, "surveys/thanks.html", {"survey": survey})


@allow(*READERS)
def results(request: HttpRequest, survey_id: int) -> HttpResponse:
    me = signed_in_person(request)
    survey = access_readable_survey(me, survey_id)
    return render(request, "surveys/results.html", {
        "survey": survey, "results": queries.survey_results(survey, me),
        "manages": surveys_managed_by(me).filter(pk=survey.pk).exists()})


@allow(*READERS)
def export(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The responses as CSV (``?format=csv``, the default) or XLSX; audited."""
    me = signed_in_person(request)
    survey = access_readable_survey(me, survey_id)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format.")
    table = queries.export_table(survey, me)
    actions.note_export(survey, me, request=request, fmt=fmt, rows=len(table.rows))
    name = f"survey-{slugify(survey.title)[:60] or survey.pk}-responses.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(
            queries.xlsx_bytes(table, title=survey.title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        csv.writer(response).writerows(queries.csv_rows(table))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
