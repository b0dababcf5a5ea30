"""This app's part of the JSON API (uptake/api): surveys, their questions, answering, and
for their authors the results and responses.

Every operation calls the same access helpers (``uptake.surveys.access``) and actions
(``uptake.surveys.actions``) as the pages:

- a survey is read by those asked to answer it (once published) and by those who may read
  its results (its authors, the district's researchers); anyone else gets the same 404 as
  for a survey that does not exist;
- answering: a recipient, inside the window, once (identified surveys: changed until close);
  the answer returns no response key;
- results withhold small numbers exactly as the results page does; roster (network)
  answers only for coordinators and researchers;
- responses of an anonymous survey carry no person, no time, no school and no role, and
  come in the random order of their keys.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja import Status as Answer

from uptake.accounts.models import User
from uptake.api import support
from uptake.surveys import actions, queries
from uptake.surveys.access import (
    access_readable_survey,
    may_see_roster_results,
    surveys_readable_by,
    surveys_to_answer,
)
from uptake.surveys.models import Question, Response, Survey

router = Router(tags=["Surveys"])


# ------------------------------------------------------------------------------ schemas


class SurveyOut(Schema):
    id: int
    title: str
    purpose: str
    status: str = Field(description="draft, scheduled, open or closed.")
    anonymous: bool
    intro: str
    opens_at: datetime
    closes_at: datetime
    program_id: int | None
    session_id: int | None
    school_id: int | None
    asked_to_answer: bool
    answered: bool = Field(description="Whether you have answered it.")

    @staticmethod
    def resolve_status(obj: Survey) -> str:
        return obj.status

    @staticmethod
    def resolve_asked_to_answer(obj: Survey, context: dict[str, Any]) -> bool:
        return obj.published_at is not None and obj.recipients.filter(
            person=support.me(context["request"])).exists()

    @staticmethod
    def resolve_answered(obj: Survey, context: dict[str, Any]) -> bool:
        return obj.recipients.filter(person=support.me(context["request"]),
                                     responded_at__isnull=False).exists()


class SurveyRosterPersonOut(Schema):
    id: int
    name: str


class SurveyQuestionOut(Schema):
    id: int
    order: int
    kind: str
    prompt: str
    help_text: str
    required: bool
    likert_labels: list[str]
    options: list[str]
    number_min: float | None
    number_max: float | None
    frequency_labels: list[str]
    roster: list[SurveyRosterPersonOut] = Field(
        description="The people a roster question lists (empty for other kinds).")


class SurveyRosterPick(Schema):
    person: int = Field(ge=1, le=support.MAX_ID)
    frequency: str = Field(max_length=60)


class SurveyAnswerIn(Schema):
    question: int = Field(ge=1, le=support.MAX_ID)
    point: int | None = Field(None, ge=1, le=11, description="Likert: the point, 1 = lowest.")
    number: float | None = Field(None, allow_inf_nan=False)
    text: str | None = Field(None, max_length=actions.MAX_TEXT)
    choices: list[str] | None = Field(None, max_length=100)
    people: list[SurveyRosterPick] | None = Field(None, max_length=500)


class SurveyRespondIn(Schema):
    answers: list[SurveyAnswerIn] = Field(max_length=actions.MAX_QUESTIONS)


class SurveyAnsweredOut(Schema):
    survey_id: int
    anonymous: bool
    may_change_until: datetime | None = Field(
        description="Identified surveys: answers may be changed until then.")


class SurveyCountOut(Schema):
    label: str
    count: int


class SurveyGroupOut(Schema):
    label: str
    n: int | None = Field(description="Null: withheld (a small group, or hidden with one).")
    mean: float | None


class SurveyNominationOut(Schema):
    person: str
    count: int
    by_frequency: dict[str, int]


class SurveyQuestionResultOut(Schema):
    question_id: int
    prompt: str
    kind: str
    n: int
    suppressed: bool = Field(description="Fewer than the minimum answered: withheld.")
    roster_hidden: bool
    counts: list[SurveyCountOut]
    mean: float | None
    median: float | None
    texts: list[str]
    nominations: list[SurveyNominationOut]
    by_school: list[SurveyGroupOut]
    by_role: list[SurveyGroupOut]


class SurveyResultsOut(Schema):
    survey_id: int
    responded: int
    invited: int
    rate: str
    responses: int
    min_size: int
    questions: list[SurveyQuestionResultOut]


class SurveyAnswerOut(Schema):
    question_id: int
    point: int | None
    number: float | None
    text: str
    choices: list[str]
    person_named: str | None
    frequency: str


class SurveyResponseOut(Schema):
    key: str = Field(description="A random key, in no order of answering.")
    person_id: int | None = Field(description="Identified surveys only.")
    person: str | None
    submitted_at: datetime | None
    updated_at: datetime | None
    answers: list[SurveyAnswerOut]

    @staticmethod
    def resolve_key(obj: Response) -> str:
        return str(obj.pk)

    @staticmethod
    def resolve_person_id(obj: Response) -> int | None:
        return None if obj.survey.anonymous else obj.person_id

    @staticmethod
    def resolve_person(obj: Response) -> str | None:
        return None if obj.survey.anonymous or obj.person is None \
            else obj.person.display_name

    @staticmethod
    def resolve_submitted_at(obj: Response) -> datetime | None:
        return None if obj.survey.anonymous else obj.submitted_at

    @staticmethod
    def resolve_updated_at(obj: Response) -> datetime | None:
        return None if obj.survey.anonymous else obj.updated_at

    @staticmethod
    def resolve_answers(obj: Response, context: dict[str, Any]) -> list[dict[str, Any]]:
        return _answers_out(obj, support.me(context["request"]))


# ------------------------------------------------------------------------------ helpers


def _visible(me: User) -> QuerySet[Survey]:
    """Surveys she may read the results of, and published ones she was asked to answer."""
    return (Survey.objects.filter(pk__in=surveys_readable_by(me).values("pk"))
            | Survey.objects.filter(pk__in=surveys_to_answer(me).values("pk")))


def _one(me: User, survey_id: int) -> Survey:
    survey = _visible(me).filter(pk=survey_id).first()
    if survey is None:
        raise Http404("No such survey.")
    return survey


def _answers_out(response: Response, me: User) -> list[dict[str, Any]]:
    survey = response.survey
    roster_ok = may_see_roster_results(me, survey)
    text_ok = not survey.anonymous or survey.responses.count() >= queries.min_size()
    out = []
    for a in response.answers.all():
        kind = a.question.kind
        if kind == Question.Kind.ROSTER and not roster_ok:
            continue
        out.append({
            "question_id": a.question_id,
            "point": int(a.number) if kind == Question.Kind.LIKERT and a.number else None,
            "number": a.number if kind == Question.Kind.NUMBER else None,
            "text": a.text if text_ok else "", "choices": a.choices,
            "person_named": a.named.display_name if a.named else None,
            "frequency": a.frequency})
    return sorted(out, key=lambda item: item["question_id"])


# --------------------------------------------------------------------------- operations


@router.get("", response=list[SurveyOut], summary="Surveys you answer or run")
@support.paginate(ordering=("-opens_at", "pk"))
def list_surveys(request: HttpRequest) -> QuerySet[Survey]:
    """Published surveys you were asked to answer, and the surveys whose results you may
    read (the ones you run; a researcher: the district's published ones)."""
    return _visible(support.me(request))


@router.get("/{survey_id}", response=SurveyOut, summary="A survey")
def get_survey(request: HttpRequest, survey_id: int) -> Survey:
    return _one(support.me(request), survey_id)


@router.get("/{survey_id}/questions", response=list[SurveyQuestionOut],
            summary="A survey's questions")
def list_questions(request: HttpRequest, survey_id: int) -> list[dict[str, Any]]:
    """In order, with the people a roster question lists."""
    me = support.me(request)
    survey = _one(me, survey_id)
    out = []
    for q in survey.questions.order_by("order", "pk"):
        roster = ([{"id": p.pk, "name": p.display_name} for p in actions.roster_people(q)]
                  if q.kind == Question.Kind.ROSTER else [])
        out.append({"id": q.pk, "order": q.order, "kind": q.kind, "prompt": q.prompt,
                    "help_text": q.help_text, "required": q.required,
                    "likert_labels": q.likert_labels, "options": q.options,
                    "number_min": q.number_min, "number_max": q.number_max,
                    "frequency_labels": q.frequency_labels, "roster": roster})
    return out


def _raw(question: Question | None, answer: SurveyAnswerIn) -> Any:
    if question is None:
        return None
    if question.kind == Question.Kind.LIKERT:
        return answer.point
    if question.kind == Question.Kind.NUMBER:
        return answer.number
    if question.kind == Question.Kind.TEXT:
        return answer.text
    if question.kind in (Question.Kind.CHOICE, Question.Kind.MULTIPLE):
        return answer.choices or []
    return [{"person": p.person, "frequency": p.frequency} for p in answer.people or []]


@router.post("/{survey_id}/responses", response={201: SurveyAnsweredOut},
             summary="Answer a survey")
def respond(request: HttpRequest, survey_id: int, payload: SurveyRespondIn) -> Answer:
    """Send your answers, one item per question: ``point`` for an agreement scale,
    ``number``, ``text``, ``choices`` (one or several option labels) or ``people`` (each
    with a ``frequency`` from the question's labels). Only inside the window, once; an
    identified survey's answers replace the ones you gave until it closes."""
    me = support.me(request)
    survey = surveys_to_answer(me).filter(pk=survey_id).first()
    if survey is None:
        raise Http404("No such survey.")
    questions = {q.pk: q for q in survey.questions.all()}
    raw = {a.question: _raw(questions.get(a.question), a) for a in payload.answers}
    actions.do_respond(survey, me, raw)
    return Answer(201, {"survey_id": survey.pk, "anonymous": survey.anonymous,
                        "may_change_until": None if survey.anonymous else survey.closes_at})


@router.get("/{survey_id}/results", response=SurveyResultsOut, summary="A survey's results")
def results(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    """As the results page shows them: small numbers withheld."""
    me = support.me(request)
    survey = access_readable_survey(me, survey_id)
    found = queries.survey_results(survey, me)
    return {
        "survey_id": survey.pk, "responded": found.responded, "invited": found.invited,
        "rate": found.rate, "responses": found.responses, "min_size": found.min_size,
        "questions": [{
            "question_id": r.question.pk, "prompt": r.question.prompt,
            "kind": r.question.kind, "n": r.n, "suppressed": r.suppressed,
            "roster_hidden": r.roster_hidden,
            "counts": [{"label": label, "count": c} for label, c in r.counts],
            "mean": r.mean, "median": r.median, "texts": r.texts,
            "nominations": r.nominations,
            "by_school": [vars(g) for g in r.by_school],
            "by_role": [vars(g) for g in r.by_role]} for r in found.questions]}


@router.get("/{survey_id}/responses", response=list[SurveyResponseOut],
            summary="A survey's responses")
@support.paginate(ordering=("pk",))
def list_responses(request: HttpRequest, survey_id: int) -> QuerySet[Response]:
    """Every response (their keys are random: the order is not the order of answering).
    Anonymous surveys: no person and no time. Roster answers only for coordinators and
    researchers; open text of an anonymous survey only once enough people answered."""
    survey = access_readable_survey(support.me(request), survey_id)
    return survey.responses.select_related("survey", "person").prefetch_related(
        "answers__named", "answers__question")
