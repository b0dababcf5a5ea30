"""An anonymous survey's responses cannot be tied to a person: not on any page, in any
export, through the API, in the audit log, nor by ordering the tables by any key."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from uptake.audit.models import AuditEvent
from uptake.surveys import actions
from uptake.surveys.models import Answer, Recipient, Response
from uptake.surveys.tests import fixtures
from uptake.surveys.tests.fixtures import answers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_groups")]

RESPONDENTS = 12


@pytest.fixture
def small_groups() -> Any:
    with override_settings(MIN_GROUP_SIZE=5):
        yield


def _answered(world: Any) -> tuple[Any, list[Any]]:
    """Twelve Cedar teachers answer in turn; the k-th writes "Answer number k"."""
    survey = fixtures.survey(world, roster=False, invite=False, publish=False)
    people = [world.people["teacher"], world.people["colleague"],
              *fixtures.teachers(world, RESPONDENTS - 2)]
    actions.do_invite(survey, world.people["coordinator"], people=people)
    actions.do_publish(survey, world.people["coordinator"])
    for k, person in enumerate(people, start=1):
        actions.do_respond(survey, person, answers(survey, point=1 + k % 5, minutes=k,
                                                   text=f"Answer number {k}"))
    return survey, people


def _traces(people: list[Any], survey: Any) -> list[str]:
    """What would give a respondent away: names, e-mails, ids, exact times."""
    found = []
    for p in people:
        found += [p.email, p.first_name + " " + p.last_name, f'"person_id": {p.pk}']
    for when in Recipient.objects.filter(survey=survey).values_list("responded_at", flat=True):
        assert when is not None
        local = timezone.localtime(when)
        found += [when.isoformat()[:19], local.strftime("%H:%M:%S"), local.isoformat()[:16]]
    return found


def _clean(text: str, people: list[Any], survey: Any) -> None:
    leaks = [t for t in _traces(people, survey) if t in text]
    assert leaks == []


def test_the_rows_keep_no_person_and_no_time(world: Any) -> None:
    survey, _people = _answered(world)
    assert Response.objects.filter(survey=survey).count() == RESPONDENTS
    assert not Response.objects.filter(person__isnull=False).exists()
    assert not Response.objects.filter(submitted_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="survey_answered").exists()


def test_no_key_orders_the_responses_as_they_were_given(world: Any) -> None:
    survey, _people = _answered(world)
    given = [f"Answer number {k}" for k in range(1, RESPONDENTS + 1)]
    text_q = fixtures.question(survey, "text")
    by_response_key = list(Answer.objects.filter(question=text_q)
                           .order_by("response__pk").values_list("text", flat=True))
    by_answer_key = list(Answer.objects.filter(question=text_q).order_by("pk")
                         .values_list("text", flat=True))
    by_default = list(Answer.objects.filter(question=text_q).values_list("text", flat=True))
    # twelve in the order given by chance: 1 in 479 001 600
    assert by_response_key != given and by_answer_key != given and by_default != given


def test_pages_exports_and_the_api_name_nobody(world: Any, login: Any, api: Any) -> None:
    survey, people = _answered(world)
    coordinator = world.people["coordinator"]
    client = login(coordinator)
    for name in ("surveys:builder", "surveys:results", "surveys:preview"):
        page = client.get(reverse(name, args=[survey.pk]))
        assert page.status_code == 200
        _clean(page.content.decode(), people, survey)
    results = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "Answer number 7" in results  # open text is shown once enough answered
    assert results.index("Answer number 1") < results.index("Answer number 10") \
        < results.index("Answer number 2")  # alphabetical, never the order written

    exported = client.get(reverse("surveys:export", args=[survey.pk]) + "?format=csv")
    text = exported.content.decode()
    _clean(text, people, survey)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["Response", "Q1. The session was useful for my teaching."]
    written = [r[4] for r in rows[1:]]
    assert sorted(written) == sorted(f"Answer number {k}" for k in range(1, 13))
    assert written != [f"Answer number {k}" for k in range(1, 13)]

    book = load_workbook(io.BytesIO(client.get(
        reverse("surveys:export", args=[survey.pk]) + "?format=xlsx").content))
    cells = " ".join(str(c) for row in book["Responses"].iter_rows(values_only=True)
                     for c in row)
    _clean(cells, people, survey)

    token = api(coordinator)
    for path in (f"/api/v1/surveys/{survey.pk}/responses", f"/api/v1/surveys/{survey.pk}/results"):
        got = token.get(path)
        assert got.status_code == 200, got.content
        _clean(got.content.decode(), people, survey)
    listed = token.get(f"/api/v1/surveys/{survey.pk}/responses").json()["results"]
    assert {r["person_id"] for r in listed} == {None}
    assert {r["submitted_at"] for r in listed} == {None}
    assert AuditEvent.objects.filter(action="survey_exported").count() == 2


def test_open_text_is_withheld_below_the_minimum(world: Any, login: Any) -> None:
    survey = fixtures.survey(world, roster=False)
    actions.do_respond(survey, world.people["teacher"], answers(survey, text="Only mine"))
    client = login(world.people["coordinator"])
    assert "Only mine" not in client.get(reverse("surveys:results", args=[survey.pk])
                                         ).content.decode()
    exported = client.get(reverse("surveys:export", args=[survey.pk])).content.decode()
    assert "Only mine" not in exported
