"""Reads of surveys for pages, the API and other apps (the district view reads
:func:`program_level_results` for Guskey's levels 1 and 3).

Small numbers are never shown: a question's results are withheld when fewer than
``settings.MIN_GROUP_SIZE`` responses answered it, and a breakdown by school or role hides
small groups and, by complementary suppression (``uptake.analysis.suppression``), enough
others that no hidden group can be worked out from the total. Open text is withheld below
the minimum too, and listed in alphabetical order (never the order of answering). Roster
(network) answers name people: only coordinators and researchers read them.
"""

from __future__ import annotations

import io
import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from uptake.accounts.models import Role, School, User
from uptake.analysis.suppression import suppress_groups
from uptake.spreadsheets import safe_cell
from uptake.surveys.models import Answer, Question, Response, Survey

ROLE_LABELS = dict(Role.choices)
NO_SCHOOL = "No school"


def min_size() -> int:
    return int(settings.MIN_GROUP_SIZE)


def response_rate(survey: Survey) -> tuple[int, int]:
    """(how many answered, how many were asked)."""
    invited = survey.recipients.count()
    responded = survey.recipients.filter(responded_at__isnull=False).count()
    return responded, invited


def rate_text(responded: int, invited: int) -> str:
    """``"18 of 24 invited, 75 %"``."""
    if not invited:
        return "Nobody has been invited yet."
    return f"{responded} of {invited} invited, {round(100 * responded / invited)} %"


# ---------------------------------------------------------------------- the results


@dataclass
class GroupMean:
    label: str
    n: int | None  # None: hidden
    mean: float | None


@dataclass
class QuestionResult:
    question: Question
    n: int  # responses that answered it
    suppressed: bool
    counts: list[tuple[str, int]] = field(default_factory=list)  # likert/choice/multiple
    mean: float | None = None  # likert (1..k) or number
    median: float | None = None
    texts: list[str] = field(default_factory=list)
    roster_hidden: bool = False
    nominations: list[dict[str, Any]] = field(default_factory=list)
    by_school: list[GroupMean] = field(default_factory=list)
    by_role: list[GroupMean] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    responded: int
    invited: int
    responses: int
    min_size: int
    questions: list[QuestionResult]

    @property
    def rate(self) -> str:
        return rate_text(self.responded, self.invited)

    @property
    def suppressed(self) -> bool:
        return self.responses < self.min_size


def _breakdown(values: dict[str, list[float]], minimum: int) -> list[GroupMean]:
    """Mean per group; small groups hidden, and complementary ones with them."""
    if not values:
        return []
    counts = {label: len(v) for label, v in values.items()}
    shown = suppress_groups(counts, min_size=minimum).shown
    return [GroupMean(label, shown[label],
                      None if shown[label] is None else statistics.fmean(values[label]))
            for label in sorted(values)]


def survey_results(survey: Survey, viewer: User) -> SurveyResults:
    """Every question's results as ``viewer`` may see them."""
    from uptake.surveys.access import may_see_roster_results

    minimum = min_size()
    responded, invited = response_rate(survey)
    responses = survey.responses.count()
    schools = dict(School.objects.filter(district_id=survey.district_id)
                   .values_list("pk", "name"))
    answers_by_q: dict[int, list[Answer]] = defaultdict(list)
    for answer in (Answer.objects.filter(response__survey=survey)
                   .select_related("named", "response").order_by("pk")):
        answers_by_q[answer.question_id].append(answer)
    roster_ok = may_see_roster_results(viewer, survey)
    results = []
    for question in survey.questions.order_by("order", "pk"):
        answers = answers_by_q.get(question.pk, [])
        n = len({a.response_id for a in answers})
        result = QuestionResult(question, n, suppressed=n < minimum)
        if question.kind == Question.Kind.ROSTER and not roster_ok:
            result.roster_hidden = True
        if result.suppressed or result.roster_hidden:
            results.append(result)
            continue
        kind = question.kind
        if kind == Question.Kind.LIKERT:
            tally = Counter(int(a.number) for a in answers if a.number is not None)
            result.counts = [(label, tally.get(i, 0))
                             for i, label in enumerate(question.likert_labels, start=1)]
        if kind in (Question.Kind.LIKERT, Question.Kind.NUMBER):
            numbers = [a.number for a in answers if a.number is not None]
            result.mean = statistics.fmean(numbers) if numbers else None
            result.median = statistics.median(numbers) if numbers else None
            by_school: dict[str, list[float]] = defaultdict(list)
            by_role: dict[str, list[float]] = defaultdict(list)
            for a in answers:
                if a.number is None:
                    continue
                by_school[schools.get(a.response.school_id or 0, NO_SCHOOL)].append(a.number)
                by_role[ROLE_LABELS.get(a.response.role, "Other")].append(a.number)
            if len(by_school) > 1:
                result.by_school = _breakdown(by_school, minimum)
            if len(by_role) > 1:
                result.by_role = _breakdown(by_role, minimum)
        elif kind in (Question.Kind.CHOICE, Question.Kind.MULTIPLE):
            tally = Counter(c for a in answers for c in a.choices)
            result.counts = [(option, tally.get(option, 0)) for option in question.options]
        elif kind == Question.Kind.TEXT:
            result.texts = sorted((a.text for a in answers if a.text), key=str.casefold)
        elif kind == Question.Kind.ROSTER:
            per: dict[int, dict[str, Any]] = {}
            for a in answers:
                if a.named is None:
                    continue
                row = per.setdefault(a.named_id, {  # type: ignore[arg-type]
                    "person": a.named.display_name, "count": 0,
                    "by_frequency": dict.fromkeys(question.frequency_labels, 0)})
                row["count"] += 1
                row["by_frequency"][a.frequency] = row["by_frequency"].get(a.frequency, 0) + 1
            result.nominations = sorted(per.values(),
                                        key=lambda r: (-r["count"], r["person"].casefold()))
        results.append(result)
    return SurveyResults(survey, responded, invited, responses, minimum, results)


# ------------------------------------------------------------- the district's levels


@dataclass(frozen=True)
class LikertLevelResult:
    question_id: int
    prompt: str
    scale_points: int
    mean: float | None  # None when fewer than MIN_GROUP_SIZE answered
    n: int | None


@dataclass(frozen=True)
class SurveyLevelResult:
    survey_id: int
    title: str
    purpose: str
    status: str
    closes_at: Any
    responded: int
    invited: int
    rate: float | None  # 0..1, None when nobody was invited
    responses: int
    questions: list[LikertLevelResult]

    @property
    def rate_text(self) -> str:
        return rate_text(self.responded, self.invited)


def program_level_results(program: Any, purpose: str) -> list[SurveyLevelResult]:
    """The program's published surveys of one purpose (``reactions`` for Guskey's level 1,
    ``organisation`` for level 3): response rate, and each Likert question's mean and n,
    both None when fewer than ``MIN_GROUP_SIZE`` answered."""
    minimum = min_size()
    found = []
    for survey in (Survey.objects.filter(program=program, purpose=purpose,
                                         published_at__isnull=False)
                   .order_by("opens_at", "pk")):
        responded, invited = response_rate(survey)
        likert = []
        for question in survey.questions.filter(kind=Question.Kind.LIKERT).order_by("order",
                                                                                     "pk"):
            numbers = [v for v in Answer.objects.filter(question=question)
                       .values_list("number", flat=True) if v is not None]
            shown = len(numbers) >= minimum
            likert.append(LikertLevelResult(
                question.pk, question.prompt, len(question.likert_labels),
                statistics.fmean(numbers) if shown else None, len(numbers) if shown else None))
        found.append(SurveyLevelResult(
            survey.pk, survey.title, survey.purpose, survey.status, survey.closes_at,
            responded, invited, responded / invited if invited else None,
            survey.responses.count(), likert))
    return found


def open_surveys_for(person: User) -> QuerySet[Survey]:
    """Open surveys she was asked to answer and has not answered (the home panel)."""
    from django.db.models import Q
    from django.utils import timezone

    from uptake.surveys.access import surveys_to_answer

    now = timezone.now()
    return surveys_to_answer(person).filter(
        Q(closed_at__isnull=True), opens_at__lte=now, closes_at__gt=now,
        recipients__person=person, recipients__responded_at__isnull=True)


# ---------------------------------------------------------------------------- exports


def _answer_text(question: Question, answers: list[Answer]) -> Any:
    if not answers:
        return ""
    if question.kind == Question.Kind.ROSTER:
        return "; ".join(f"{a.named.display_name} ({a.frequency})"
                         for a in sorted(answers, key=lambda a: str(a.named))
                         if a.named is not None)
    one = answers[0]
    if question.kind == Question.Kind.LIKERT and one.number is not None:
        return int(one.number)
    if question.kind == Question.Kind.NUMBER:
        return one.number
    if question.kind in (Question.Kind.CHOICE, Question.Kind.MULTIPLE):
        return "; ".join(one.choices)
    return one.text


@dataclass
class ExportTable:
    header: list[str]
    rows: list[list[Any]]
    withheld: list[str]  # what was left out, in words


def export_table(survey: Survey, viewer: User) -> ExportTable:
    """The responses as rows. Anonymous: no person, no time, no school or role, rows in a
    fresh random order, open text only when at least ``MIN_GROUP_SIZE`` responded.
    Identified: the person and when she answered. Roster columns only for those who may
    read network data."""
    from uptake.surveys.access import may_see_roster_results

    minimum = min_size()
    questions = list(survey.questions.order_by("order", "pk"))
    roster_ok = may_see_roster_results(viewer, survey)
    withheld: list[str] = []
    kept = []
    for q in questions:
        if q.kind == Question.Kind.ROSTER and not roster_ok:
            withheld.append(f"“{q.prompt}” names colleagues: only coordinators and "
                            "researchers export it.")
            continue
        kept.append(q)
    responses = list(survey.responses.select_related("person").prefetch_related(
        "answers__named"))
    text_ok = not survey.anonymous or len(responses) >= minimum
    if not text_ok and any(q.kind == Question.Kind.TEXT for q in kept):
        withheld.append(f"Open text is withheld: fewer than {minimum} people answered this "
                        "anonymous survey.")
    header = ["Response"]
    if not survey.anonymous:
        header += ["Name", "E-mail", "Submitted (UTC)", "Last changed (UTC)"]
    header += [f"Q{i}. {q.prompt}" for i, q in enumerate(kept, start=1)]
    if survey.anonymous:
        random.SystemRandom().shuffle(responses)
    else:
        responses.sort(key=lambda r: (r.person.display_name.casefold() if r.person else "",
                                      str(r.pk)))
    rows = []
    for number, response in enumerate(responses, start=1):
        by_q: dict[int, list[Answer]] = defaultdict(list)
        for a in response.answers.all():
            by_q[a.question_id].append(a)
        row: list[Any] = [number]
        if not survey.anonymous:
            person = response.person
            row += [person.display_name if person else "", person.email if person else "",
                    _utc(response.submitted_at), _utc(response.updated_at)]
        for q in kept:
            if q.kind == Question.Kind.TEXT and not text_ok:
                row.append("")
            else:
                row.append(_answer_text(q, by_q.get(q.pk, [])))
        rows.append(row)
    return ExportTable(header, rows, withheld)


def _utc(moment: Any) -> str:
    from datetime import UTC

    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if moment else ""


def csv_rows(table: ExportTable) -> Iterable[list[str]]:
    yield [safe_cell(h) for h in table.header]
    for row in table.rows:
        yield [safe_cell(v) if isinstance(v, str) else ("" if v is None else str(v))
               for v in row]


def xlsx_bytes(table: ExportTable, *, title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Responses")
    sheet.append([safe_cell(h) for h in table.header])
    for row in table.rows:
        sheet.append([safe_cell(v) if isinstance(v, str) else v for v in row])
    if table.withheld:
        notes = book.create_sheet("Withheld")
        for line in table.withheld:
            notes.append([safe_cell(line)])
    book.properties.title = title[:200]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def responses_for_api(survey: Survey) -> list[Response]:
    """The API's list: anonymous responses in a fresh random order."""
    found = list(survey.responses.select_related("person").prefetch_related("answers"))
    if survey.anonymous:
        random.SystemRandom().shuffle(found)
    return found
