"""The one write path of surveys: author, invite, answer, remind, close.

Every function refuses with a :class:`SurveyRuleError` (or a subclass of the family in
``uptake.rules``) whose message is written for the person who asked. Answering an anonymous
survey writes no audit event and no time: the recipient row learns only that she answered.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from uptake.accounts.access import schools_led_by
from uptake.accounts.models import Role, School, User
from uptake.audit.actions import record
from uptake.notifications.actions import notify
from uptake.programs.access import may_see_program
from uptake.programs.models import Program, ProgramSession
from uptake.rules import Conflict, Invalid, NotAllowed, RowProblem, RuleError
from uptake.surveys.models import (
    DEFAULT_FREQUENCIES,
    DEFAULT_LIKERT,
    Answer,
    Question,
    Recipient,
    Response,
    Survey,
)

AUDIT_KINDS = {
    "survey_created": "Survey created",
    "survey_published": "Survey published",
    "survey_closed": "Survey closed",
    "survey_invited": "People invited to a survey",
    "survey_reminded": "Survey reminders sent",
    "survey_answered": "Identified survey answered",
    "survey_exported": "Survey responses exported",
}
EDUCATOR_ROLES = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)
MAX_QUESTIONS = 100
MAX_TEXT = 5000


class SurveyRuleError(RuleError):
    """A survey rule refused the change."""


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def _check_author(survey: Survey, actor: User) -> None:
    if not actor.is_active or actor.district_id != survey.district_id:
        raise NotAllowed("Only the survey's authors may change it.")
    if actor.has_role(Role.COORDINATOR):
        return
    if (actor.has_role(Role.SCHOOL_LEADER) and survey.school_id is not None
            and survey.school_id in schools_led_by(actor)):
        return
    raise NotAllowed("Only the district's coordinators, or the leader of the survey's "
                     "school, may change it.")


def _check_draft(survey: Survey) -> None:
    if survey.published_at is not None:
        raise Conflict("The survey is published: its questions can no longer change.")


# ------------------------------------------------------------------------- authoring


def _window(opens_at: datetime.datetime | None, closes_at: datetime.datetime | None
            ) -> tuple[datetime.datetime, datetime.datetime]:
    if opens_at is None:
        raise Invalid("Say when the survey opens.", field="opens_at")
    if closes_at is None:
        raise Invalid("Say when the survey closes.", field="closes_at")
    if closes_at <= opens_at:
        raise Invalid("The survey must close after it opens.", field="closes_at")
    return opens_at, closes_at


def _check_fields(actor: User, *, title: str, purpose: str, school: School | None,
                  program: Program | None, session: ProgramSession | None = None) -> None:
    if not title.strip():
        raise Invalid("Give the survey a title.", field="title")
    if purpose not in Survey.Purpose.values:
        raise Invalid("Choose what the survey is for.", field="purpose")
    if school is not None and school.district_id != actor.district_id:
        raise Invalid("Choose a school of your district.", field="school")
    if program is not None and not may_see_program(actor, program):
        raise Invalid("Choose a program of your district that you may see.", field="program")
    if session is not None and (program is None or session.program_id != program.pk):
        raise Invalid("Choose a session of the survey's program.", field="session")
    if not actor.has_role(Role.COORDINATOR) and (
            school is None or school.pk not in schools_led_by(actor)):
        raise NotAllowed("A school leader's survey is for the school she leads: choose it.",
                         field="school")


@transaction.atomic
def do_create_survey(actor: User, *, title: str, purpose: str = Survey.Purpose.OTHER,
                     anonymous: bool = True, intro: str = "",
                     opens_at: datetime.datetime | None = None,
                     closes_at: datetime.datetime | None = None,
                     school: School | None = None, program: Program | None = None,
                     session: ProgramSession | None = None,
                     remind_every_days: int = 3) -> Survey:
    """A coordinator's survey (for the district or a school), or a school leader's for her
    school. It starts as a draft."""
    if not actor.is_active or actor.district_id is None or \
            not actor.has_role(Role.COORDINATOR, Role.SCHOOL_LEADER):
        raise NotAllowed("Only coordinators and school leaders write surveys.")
    _check_fields(actor, title=title, purpose=purpose, school=school, program=program,
                  session=session)
    opens, closes = _window(opens_at, closes_at)
    survey = Survey.objects.create(
        district_id=actor.district_id, school=school, program=program, session=session,
        title=title.strip(),
        purpose=purpose, anonymous=anonymous, intro=intro.strip(), opens_at=opens,
        closes_at=closes, remind_every_days=max(1, remind_every_days), created_by=actor)
    record("survey_created", actor=actor, obj=survey, summary=f"Created survey “{survey.title}”")
    return survey


@transaction.atomic
def do_update_survey(survey: Survey, actor: User, *, title: str, purpose: str,
                     anonymous: bool, intro: str, opens_at: datetime.datetime | None,
                     closes_at: datetime.datetime | None, school: School | None,
                     program: Program | None, session: ProgramSession | None = None,
                     remind_every_days: int = 3) -> Survey:
    """Change a draft survey's settings (anonymity can change only before publishing)."""
    _check_author(survey, actor)
    _check_draft(survey)
    _check_fields(actor, title=title, purpose=purpose, school=school, program=program,
                  session=session)
    survey.opens_at, survey.closes_at = _window(opens_at, closes_at)
    survey.title, survey.purpose, survey.anonymous = title.strip(), purpose, anonymous
    survey.intro, survey.school, survey.program = intro.strip(), school, program
    survey.session = session
    survey.remind_every_days = max(1, remind_every_days)
    survey.save()
    return survey


@dataclass
class QuestionData:
    kind: str
    prompt: str
    required: bool = False
    help_text: str = ""
    likert_labels: Sequence[str] = ()
    options: Sequence[str] = ()
    number_min: float | None = None
    number_max: float | None = None
    roster_scope: str = ""
    frequency_labels: Sequence[str] = ()


def _clean_list(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        text = str(value).strip()
        if text and text not in seen:
            seen.append(text[:200])
    return seen


def _apply(question: Question, data: QuestionData) -> None:
    if data.kind not in Question.Kind.values:
        raise Invalid("Choose a kind of question.", field="kind")
    if not data.prompt.strip():
        raise Invalid("Write the question.", field="prompt")
    question.kind, question.prompt = data.kind, data.prompt.strip()[:500]
    question.required, question.help_text = data.required, data.help_text.strip()[:500]
    question.likert_labels, question.options, question.frequency_labels = [], [], []
    question.number_min = question.number_max = None
    question.roster_scope = ""
    if data.kind == Question.Kind.LIKERT:
        labels = _clean_list(data.likert_labels) or list(DEFAULT_LIKERT)
        if not 2 <= len(labels) <= 11:
            raise Invalid("An agreement scale has from 2 to 11 points.", field="likert_labels")
        question.likert_labels = labels
    elif data.kind in (Question.Kind.CHOICE, Question.Kind.MULTIPLE):
        options = _clean_list(data.options)
        if len(options) < 2:
            raise Invalid("Give at least two options, one a line.", field="options")
        question.options = options
    elif data.kind == Question.Kind.NUMBER:
        for name, value in (("number_min", data.number_min), ("number_max", data.number_max)):
            if value is not None and not math.isfinite(value):
                raise Invalid("Give an ordinary number.", field=name)
        if (data.number_min is not None and data.number_max is not None
                and data.number_max < data.number_min):
            raise Invalid("The largest number allowed is below the smallest.",
                          field="number_max")
        question.number_min, question.number_max = data.number_min, data.number_max
    elif data.kind == Question.Kind.ROSTER:
        scope = data.roster_scope or Question.RosterScope.DISTRICT
        if scope not in Question.RosterScope.values:
            raise Invalid("Choose whom the list names.", field="roster_scope")
        question.roster_scope = scope
        question.frequency_labels = _clean_list(data.frequency_labels) or list(
            DEFAULT_FREQUENCIES)


@transaction.atomic
def do_add_question(survey: Survey, actor: User, data: QuestionData) -> Question:
    _check_author(survey, actor)
    _check_draft(survey)
    if survey.questions.count() >= MAX_QUESTIONS:
        raise Conflict(f"A survey has at most {MAX_QUESTIONS} questions.")
    last = survey.questions.order_by("-order").values_list("order", flat=True).first()
    question = Question(survey=survey, order=(last or 0) + 1)
    _apply(question, data)
    question.save()
    return question


@transaction.atomic
def do_update_question(question: Question, actor: User, data: QuestionData) -> Question:
    _check_author(question.survey, actor)
    _check_draft(question.survey)
    _apply(question, data)
    question.save()
    return question


@transaction.atomic
def do_delete_question(question: Question, actor: User) -> None:
    _check_author(question.survey, actor)
    _check_draft(question.survey)
    question.delete()


@transaction.atomic
def do_move_question(question: Question, actor: User, *, up: bool) -> None:
    """Swap the question with the one above (``up``) or below it."""
    survey = question.survey
    _check_author(survey, actor)
    _check_draft(survey)
    ordered = list(survey.questions.order_by("order", "pk"))
    at = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = at - 1 if up else at + 1
    if not 0 <= other < len(ordered):
        return
    ordered[at], ordered[other] = ordered[other], ordered[at]
    for position, q in enumerate(ordered, start=1):
        if q.order != position:
            q.order = position
            q.save(update_fields=["order"])


# ------------------------------------------------------------------ publish and close


def _invitation_notice(survey: Survey, person: User) -> None:
    # The notice names no title: it stays in her notices after her access may end.
    notify(person, kind="survey_invitation", subject="A survey awaits your answer",
           body=(f"You are asked to answer a survey by {_when(survey.closes_at)}."
                 + (" Your answers are anonymous: nobody can see who said what."
                    if survey.anonymous else "")),
           url=reverse("surveys:respond", args=[survey.pk]))


@transaction.atomic
def do_publish(survey: Survey, actor: User, *, now: datetime.datetime | None = None
               ) -> Survey:
    """Freeze the questions and open the survey in its window; the people already invited
    are told when the window is open."""
    _check_author(survey, actor)
    _check_draft(survey)
    moment = now or timezone.now()
    if not survey.questions.exists():
        raise Invalid("Add at least one question before publishing.")
    if survey.closes_at <= moment:
        raise Invalid(f"The survey's window ended on {_when(survey.closes_at)}: move its "
                      "closing date before publishing.", field="closes_at")
    survey.published_at = moment
    survey.save(update_fields=["published_at"])
    if survey.opens_at <= moment:
        for recipient in survey.recipients.select_related("person"):
            _invitation_notice(survey, recipient.person)
    record("survey_published", actor=actor, obj=survey,
           summary=f"Published survey “{survey.title}”")
    return survey


@transaction.atomic
def do_close(survey: Survey, actor: User, *, now: datetime.datetime | None = None) -> Survey:
    _check_author(survey, actor)
    moment = now or timezone.now()
    if survey.status_at(moment) == Survey.Status.CLOSED:
        raise Conflict("The survey is already closed.")
    if survey.published_at is None:
        raise Conflict("A draft is not open: publish it, or leave it as a draft.")
    survey.closed_at = moment
    survey.save(update_fields=["closed_at"])
    record("survey_closed", actor=actor, obj=survey, summary=f"Closed survey “{survey.title}”")
    return survey


# ------------------------------------------------------------------------- invitations


def educators_of(survey: Survey, *, roles: Sequence[str] = EDUCATOR_ROLES,
                 school: School | None = None) -> QuerySet[User]:
    """Active people of the survey's district holding one of ``roles`` (at ``school``)."""
    where = Q(roles__role__in=list(roles), roles__district_id=survey.district_id)
    if school is not None:
        where &= Q(roles__school=school)
    return User.objects.people().filter(where, district_id=survey.district_id,
                                        is_active=True).distinct()


def program_participants(program: Program) -> QuerySet[User]:
    return User.objects.people().filter(
        program_participations__program=program, is_active=True).exclude(
        program_participations__status="withdrawn").distinct()


@transaction.atomic
def do_invite(survey: Survey, actor: User, *, roles: Sequence[str] = (),
              school: School | None = None, participants: bool = False,
              people: Sequence[User] = ()) -> int:
    """Ask people to answer: holders of ``roles`` (at ``school``, or at the survey's school),
    the survey's program's participants, or named people. How many were newly asked."""
    _check_author(survey, actor)
    if survey.status == Survey.Status.CLOSED:
        raise Conflict("The survey is closed: nobody more can be asked.")
    bad = [r for r in roles if r not in Role.values]
    if bad:
        raise Invalid("Choose roles from the list.", field="roles")
    if school is not None and school.district_id != survey.district_id:
        raise Invalid("Choose a school of your district.", field="school")
    if survey.school_id is not None:
        if school is not None and school.pk != survey.school_id:
            raise Invalid("This survey is for one school: invite people of that school.",
                          field="school")
        school = survey.school
    chosen: dict[int, User] = {}
    if roles:
        chosen.update((p.pk, p) for p in educators_of(survey, roles=roles, school=school))
    if participants:
        if survey.program is None:
            raise Invalid("The survey belongs to no program: choose roles instead.",
                          field="participants")
        found = program_participants(survey.program)
        if school is not None:
            found = found.filter(roles__school=school)
        chosen.update((p.pk, p) for p in found)
    for person in people:
        if person.district_id != survey.district_id or not person.is_active:
            raise Invalid(f"{person.display_name} does not work in the survey's district.",
                          field="people")
        chosen[person.pk] = person
    if not roles and not participants and not people:
        raise Invalid("Choose whom to ask: roles, the program's participants or people.",
                      field="roles")
    already = set(survey.recipients.values_list("person_id", flat=True))
    new = [p for pk, p in chosen.items() if pk not in already]
    moment = timezone.now()
    Recipient.objects.bulk_create([Recipient(survey=survey, person=p, invited_at=moment)
                                   for p in new])
    if survey.status == Survey.Status.OPEN:
        for person in new:
            _invitation_notice(survey, person)
    record("survey_invited", actor=actor, obj=survey,
           summary=f"Asked {len(new)} more people to answer “{survey.title}”",
           details={"invited": len(new)})
    return len(new)


# ------------------------------------------------------------------------- reminders


def due_for_reminder(survey: Survey, *, now: datetime.datetime | None = None
                     ) -> QuerySet[Recipient]:
    """Recipients who have not answered and were not reminded (or asked) in the last
    ``remind_every_days`` days."""
    moment = now or timezone.now()
    since = moment - datetime.timedelta(days=survey.remind_every_days)
    return survey.recipients.filter(
        responded_at__isnull=True, invited_at__lte=since, person__is_active=True).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lte=since))


@transaction.atomic
def do_send_reminders(survey: Survey, actor: User | None = None, *,
                      now: datetime.datetime | None = None) -> int:
    """Remind the people who have not answered an open survey (each at most once every
    ``remind_every_days`` days). ``actor`` None: the scheduled command. How many."""
    if actor is not None:
        _check_author(survey, actor)
    moment = now or timezone.now()
    if survey.status_at(moment) != Survey.Status.OPEN:
        raise Conflict("Reminders go out only while the survey is open.")
    due = list(due_for_reminder(survey, now=moment).select_related("person"))
    for recipient in due:
        notify(recipient.person, kind="survey_reminder",
               subject="Reminder: a survey awaits your answer",
               body=(f"You have not answered a survey you were asked to answer. It closes "
                     f"on {_when(survey.closes_at)}."),
               url=reverse("surveys:respond", args=[survey.pk]))
    Recipient.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=moment)
    record("survey_reminded", actor=actor, district=survey.district, obj=survey,
           summary=f"Reminded {len(due)} people to answer “{survey.title}”",
           details={"reminded": len(due)}, actor_label="" if actor else "scheduled reminders")
    return len(due)


def remind_open_surveys(*, now: datetime.datetime | None = None) -> dict[int, int]:
    """The scheduled run: every open survey's due reminders. Survey id -> how many."""
    moment = now or timezone.now()
    sent: dict[int, int] = {}
    for survey in Survey.objects.filter(published_at__isnull=False, closed_at__isnull=True,
                                        opens_at__lte=moment, closes_at__gt=moment):
        if due_for_reminder(survey, now=moment).exists():
            sent[survey.pk] = do_send_reminders(survey, now=moment)
    return sent


# ---------------------------------------------------------------------------- answering


def roster_people(question: Question) -> QuerySet[User]:
    """The people a roster question lists."""
    survey = question.survey
    if question.roster_scope == Question.RosterScope.PROGRAM and survey.program is not None:
        return program_participants(survey.program).order_by("last_name", "first_name", "pk")
    if question.roster_scope == Question.RosterScope.SCHOOLS:
        schools = ([survey.school_id] if survey.school_id else
                   list(survey.program.schools.values_list("pk", flat=True))
                   if survey.program is not None else [])
        if schools:
            return educators_of(survey).filter(roles__school_id__in=schools).distinct() \
                .order_by("last_name", "first_name", "pk")
    return educators_of(survey).order_by("last_name", "first_name", "pk")


@dataclass
class _Parsed:
    question: Question
    number: float | None = None
    choices: list[str] | None = None
    text: str = ""
    named: list[tuple[User, str]] | None = None

    @property
    def empty(self) -> bool:
        return (self.number is None and not self.choices and not self.text
                and not self.named)


def _as_list(raw: Any) -> list[Any]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, list | tuple):
        return [v for v in raw if v not in (None, "")]
    return [raw]


def _parse(question: Question, raw: Any) -> _Parsed:
    """One answer as sent (a form's strings or the API's JSON), or Invalid with why."""
    parsed = _Parsed(question)
    kind = question.kind
    if kind == Question.Kind.LIKERT:
        values = _as_list(raw)
        if values:
            try:
                point = int(str(values[0]))
            except ValueError:
                raise Invalid("Choose one of the points of the scale.") from None
            if not 1 <= point <= len(question.likert_labels):
                raise Invalid(f"Choose a point from 1 ({question.likert_labels[0]}) to "
                              f"{len(question.likert_labels)} "
                              f"({question.likert_labels[-1]}).")
            parsed.number = float(point)
    elif kind in (Question.Kind.CHOICE, Question.Kind.MULTIPLE):
        values = [str(v) for v in _as_list(raw)]
        unknown = [v for v in values if v not in question.options]
        if unknown:
            raise Invalid(f"“{unknown[0][:80]}” is not one of the options.")
        if kind == Question.Kind.CHOICE and len(values) > 1:
            raise Invalid("Choose only one option.")
        parsed.choices = list(dict.fromkeys(values))
    elif kind == Question.Kind.NUMBER:
        values = _as_list(raw)
        if values:
            try:
                number = float(str(values[0]).strip())
            except ValueError:
                raise Invalid(f"“{str(values[0])[:40]}” is not a number.") from None
            if not math.isfinite(number):
                raise Invalid("Give an ordinary number.")
            low, high = question.number_min, question.number_max
            if low is not None and number < low:
                raise Invalid(f"Give a number of at least {low:g}.")
            if high is not None and number > high:
                raise Invalid(f"Give a number of at most {high:g}.")
            parsed.number = number
    elif kind == Question.Kind.TEXT:
        text = "" if raw is None else str(raw).strip()
        if len(text) > MAX_TEXT:
            raise Invalid(f"Write at most {MAX_TEXT} characters ({len(text)} now).")
        parsed.text = text
    elif kind == Question.Kind.ROSTER:
        pairs = _roster_pairs(raw)
        listed = {p.pk: p for p in roster_people(question).filter(pk__in=[k for k, _ in pairs])}
        named: list[tuple[User, str]] = []
        for person_id, frequency in pairs:
            if person_id not in listed:
                raise Invalid("Name only people from the list.")
            if frequency not in question.frequency_labels:
                raise Invalid(f"Say how often for {listed[person_id].display_name}: "
                              + ", ".join(question.frequency_labels) + ".")
            named.append((listed[person_id], frequency))
        parsed.named = named
    return parsed


def _roster_pairs(raw: Any) -> list[tuple[int, str]]:
    """``{person_id: frequency}`` or ``[{"person": id, "frequency": "..."}]``."""
    if raw is None or raw == "":
        return []
    items: list[tuple[Any, Any]]
    if isinstance(raw, Mapping):
        items = list(raw.items())
    elif isinstance(raw, list | tuple):
        items = []
        for item in raw:
            if not isinstance(item, Mapping):
                raise Invalid("Name each person with how often.")
            items.append((item.get("person"), item.get("frequency")))
    else:
        raise Invalid("Name each person with how often.")
    pairs: dict[int, str] = {}
    for key, frequency in items:
        try:
            person_id = int(str(key))
        except ValueError:
            raise Invalid("Name only people from the list.") from None
        pairs[person_id] = "" if frequency is None else str(frequency)
    return list(pairs.items())


def check_window(survey: Survey, moment: datetime.datetime) -> None:
    status = survey.status_at(moment)
    if status == Survey.Status.SCHEDULED:
        raise NotAllowed(f"The survey opens on {_when(survey.opens_at)}; answer it then.")
    if status == Survey.Status.CLOSED:
        raise NotAllowed(f"The survey closed on {_when(survey.ends_at)}; "  # type: ignore[arg-type]
                         "it takes no more answers.")
    if status == Survey.Status.DRAFT:
        raise NotAllowed("The survey is not published yet.")


def _school_and_role(person: User) -> tuple[int | None, str]:
    held = list(person.roles.order_by("pk").values_list("role", "school_id"))
    for wanted in EDUCATOR_ROLES:
        for role, school_id in held:
            if role == wanted:
                return school_id, role
    return (held[0][1], held[0][0]) if held else (None, "")


@transaction.atomic
def do_respond(survey: Survey, actor: User, answers: Mapping[Any, Any], *,
               now: datetime.datetime | None = None) -> Response:
    """Answer the survey: a recipient, within the window, once (an identified survey's
    answers may be changed until it closes). ``answers``: question id (or ``q<id>``) to the
    value sent. Every problem is refused at once, one row per question."""
    moment = now or timezone.now()
    recipient = (Recipient.objects.select_for_update().filter(survey=survey, person=actor)
                 .first())
    if recipient is None or not actor.is_active:
        raise NotAllowed("You were not asked to answer this survey.")
    check_window(survey, moment)
    existing = None
    if recipient.responded_at is not None:
        if survey.anonymous:
            raise Conflict("You have answered this survey already; anonymous answers "
                           "cannot be changed, because nobody knows which are yours.")
        existing = Response.objects.filter(survey=survey, person=actor).first()
    keyed = {str(k).removeprefix("q"): v for k, v in answers.items()}
    questions = list(survey.questions.order_by("order", "pk"))
    problems: list[RowProblem] = []
    parsed: list[_Parsed] = []
    for position, question in enumerate(questions, start=1):
        try:
            one = _parse(question, keyed.get(str(question.pk)))
        except Invalid as bad:
            problems.append(RowProblem(position, question.field_name, bad.message))
            continue
        if question.required and one.empty:
            problems.append(RowProblem(position, question.field_name,
                                       "This question needs an answer."))
            continue
        parsed.append(one)
    if problems:
        first = problems[0]
        raise Invalid(f"{len(problems)} answer{'s' if len(problems) != 1 else ''} "
                      f"need{'' if len(problems) != 1 else 's'} another look: "
                      f"question {first.row}: {first.message}", field=first.column,
                      rows=problems)
    if existing is not None:
        existing.answers.all().delete()
        existing.updated_at = moment
        existing.save(update_fields=["updated_at"])
        response = existing
    else:
        school_id, role = _school_and_role(actor)
        response = Response.objects.create(
            survey=survey, person=None if survey.anonymous else actor, school_id=school_id,
            role=role, submitted_at=None if survey.anonymous else moment)
    rows: list[Answer] = []
    for one in parsed:
        if one.empty:
            continue
        if one.named is not None:
            rows += [Answer(response=response, question=one.question, named=person,
                            frequency=frequency) for person, frequency in one.named]
        else:
            rows.append(Answer(response=response, question=one.question, number=one.number,
                               choices=one.choices or [], text=one.text))
    Answer.objects.bulk_create(rows)
    recipient.responded_at = moment
    recipient.save(update_fields=["responded_at"])
    if not survey.anonymous:
        record("survey_answered", actor=actor, obj=survey,
               summary=f"Answered “{survey.title}”")
    return response


def note_export(survey: Survey, actor: User, *, request: Any = None, fmt: str,
                rows: int) -> None:
    """An export of responses is recorded in the district's audit log."""
    record("survey_exported", actor=actor, request=request, obj=survey,
           summary=f"Exported {rows} response{'s' if rows != 1 else ''} of "
                   f"“{survey.title}” as {fmt.upper()}",
           details={"format": fmt, "rows": rows, "anonymous": survey.anonymous})
