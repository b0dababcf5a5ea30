"""Surveys for the tests: a reactions survey of a program, open now, asking Cedar's
teachers (Jamie and Asha) and more teachers made up to reach a group's minimum size."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from uptake.surveys import actions
from uptake.surveys.actions import QuestionData
from uptake.surveys.models import Survey

NOW = timezone.now()


def program(w: Any) -> Any:
    from uptake.programs.models import Program

    found = Program.objects.filter(district=w.district, name="Math talk institute").first()
    return found or Program.objects.create(
        district=w.district, name="Math talk institute", kind=Program.Kind.COURSE,
        starts_on=datetime.date(2026, 8, 1), created_by=w.people["coordinator"])


def teachers(w: Any, count: int, *, school: Any = None, prefix: str = "t") -> list[Any]:
    """``count`` more teachers (at Cedar unless ``school``)."""
    from uptake.accounts.models import Role, RoleAssignment, User

    made = []
    for i in range(count):
        person = User.objects.create_user(
            email=f"{prefix}{i}@maple.test", password="x-Unused-9", first_name=f"Tess{i}",
            last_name=f"Teacher{prefix}", district=w.district)
        RoleAssignment.objects.create(user=person, district=w.district,
                                      school=school or w.cedar, role=Role.TEACHER)
        made.append(person)
    return made


def survey(w: Any, *, anonymous: bool = True, publish: bool = True, opens: Any = None,
           closes: Any = None, roster: bool = True, title: str = "After the first session",
           author: str = "coordinator", school: Any = None, invite: bool = True) -> Survey:
    """A reactions survey of the program: a Likert question, a choice, a number, open
    text and (``roster``) a names question; Cedar's teachers are asked."""
    made = actions.do_create_survey(
        w.people[author], title=title, purpose=Survey.Purpose.REACTIONS, anonymous=anonymous,
        opens_at=opens or NOW - datetime.timedelta(days=1),
        closes_at=closes or NOW + datetime.timedelta(days=7), program=program(w),
        school=school if school is not None else (w.cedar if author == "leader" else None))
    me = w.people[author]
    actions.do_add_question(made, me, QuestionData(
        kind="likert", prompt="The session was useful for my teaching.", required=True))
    actions.do_add_question(made, me, QuestionData(
        kind="choice", prompt="Which part helped most?", options=["Talk moves", "Video"]))
    actions.do_add_question(made, me, QuestionData(
        kind="number", prompt="Minutes of math talk planned per week", number_min=0,
        number_max=300))
    actions.do_add_question(made, me, QuestionData(kind="text", prompt="What would you change?"))
    if roster:
        actions.do_add_question(made, me, QuestionData(
            kind="roster", prompt="Whom do you talk with about math teaching?",
            roster_scope="district"))
    if invite:
        actions.do_invite(made, me, roles=["teacher"], school=w.cedar)
    if publish:
        actions.do_publish(made, me)
    return made


def answers(survey: Survey, *, point: int = 4, text: str = "", named: Any = None,
            frequency: str = "Weekly", choice: str = "Talk moves", minutes: Any = 30
            ) -> dict[str, Any]:
    qs = list(survey.questions.order_by("order"))
    out: dict[str, Any] = {}
    for q in qs:
        if q.kind == "likert":
            out[q.field_name] = str(point)
        elif q.kind == "choice":
            out[q.field_name] = choice
        elif q.kind == "number":
            out[q.field_name] = "" if minutes is None else str(minutes)
        elif q.kind == "text":
            out[q.field_name] = text
        elif q.kind == "roster" and named is not None:
            out[q.field_name] = {str(named.pk): frequency}
    return out


def question(survey: Survey, kind: str) -> Any:
    return survey.questions.get(kind=kind)
