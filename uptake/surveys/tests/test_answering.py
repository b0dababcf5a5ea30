"""Answering a survey: the window, once only, precise refusals, identified answers changed
until close, and reminders only to those who have not answered."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from uptake.notifications.models import Notice
from uptake.rules import Conflict, Invalid, NotAllowed
from uptake.surveys import actions
from uptake.surveys.models import Answer, Recipient, Response
from uptake.surveys.tests import fixtures
from uptake.surveys.tests.fixtures import NOW, answers, question

pytestmark = pytest.mark.django_db


def test_a_recipient_answers_once_and_the_recipient_row_learns_only_that(world: Any) -> None:
    survey = fixtures.survey(world)
    jamie = world.people["teacher"]
    actions.do_respond(survey, jamie, answers(survey, point=5, text="More video",
                                              named=world.people["colleague"]))
    response = Response.objects.get(survey=survey)
    assert response.person is None and response.submitted_at is None
    assert Recipient.objects.get(survey=survey, person=jamie).responded_at is not None
    roster = Answer.objects.get(question=question(survey, "roster"))
    assert roster.named == world.people["colleague"] and roster.frequency == "Weekly"
    with pytest.raises(Conflict, match="answered this survey already"):
        actions.do_respond(survey, jamie, answers(survey))
    assert Response.objects.filter(survey=survey).count() == 1


def test_the_window_refuses_with_its_dates(world: Any) -> None:
    opens = NOW + datetime.timedelta(days=2)
    early = fixtures.survey(world, opens=opens, closes=opens + datetime.timedelta(days=3))
    with pytest.raises(NotAllowed) as before:
        actions.do_respond(early, world.people["teacher"], answers(early))
    local = timezone.localtime(opens)
    assert f"opens on {local.day} {local:%B %Y}" in before.value.message

    late = fixtures.survey(world, title="Late", publish=False)
    closes = late.closes_at
    actions.do_publish(late, world.people["coordinator"])
    with pytest.raises(NotAllowed) as after:
        actions.do_respond(late, world.people["teacher"], answers(late),
                           now=closes + datetime.timedelta(minutes=1))
    local = timezone.localtime(closes)
    assert f"closed on {local.day} {local:%B %Y}" in after.value.message


def test_closing_early_ends_the_window(world: Any) -> None:
    survey = fixtures.survey(world)
    actions.do_close(survey, world.people["coordinator"])
    with pytest.raises(NotAllowed, match="closed on"):
        actions.do_respond(survey, world.people["teacher"], answers(survey))


def test_only_those_asked_answer(world: Any) -> None:
    survey = fixtures.survey(world)
    with pytest.raises(NotAllowed, match="not asked"):
        actions.do_respond(survey, world.people["outsider"], answers(survey))


def test_every_problem_is_named_by_its_question(world: Any) -> None:
    survey = fixtures.survey(world)
    bad = answers(survey, point=9, choice="Lecture", minutes=400,
                  named=world.people["other_coordinator"])
    with pytest.raises(Invalid) as refused:
        actions.do_respond(survey, world.people["teacher"], bad)
    messages = {row.row: row.message for row in refused.value.rows}
    assert messages == {
        1: "Choose a point from 1 (Strongly disagree) to 5 (Strongly agree).",
        2: "“Lecture” is not one of the options.",
        3: "Give a number of at most 300.",
        5: "Name only people from the list.",
    }
    assert refused.value.field == question(survey, "likert").field_name
    missing = answers(survey)
    missing[question(survey, "likert").field_name] = ""
    with pytest.raises(Invalid) as required:
        actions.do_respond(survey, world.people["teacher"], missing)
    assert [r.message for r in required.value.rows] == ["This question needs an answer."]
    wrong_often = answers(survey, named=world.people["colleague"], frequency="Hourly")
    with pytest.raises(Invalid, match="Say how often for Asha Patel"):
        actions.do_respond(survey, world.people["teacher"], wrong_often)
    assert not Response.objects.exists()  # nothing half-saved


def test_an_identified_survey_may_be_changed_until_it_closes(world: Any) -> None:
    survey = fixtures.survey(world, anonymous=False)
    jamie = world.people["teacher"]
    actions.do_respond(survey, jamie, answers(survey, point=2))
    actions.do_respond(survey, jamie, answers(survey, point=5))
    response = Response.objects.get(survey=survey)
    assert response.person == jamie and response.updated_at is not None
    assert Answer.objects.get(question=question(survey, "likert")).number == 5


def test_the_answering_page_shows_errors_beside_the_question(world: Any, login: Any) -> None:
    survey = fixtures.survey(world)
    client = login(world.people["teacher"])
    url = reverse("surveys:respond", args=[survey.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"<fieldset" in page.content and b"<legend" in page.content
    bad = answers(survey, minutes="lots")
    refused = client.post(url, bad)
    assert refused.status_code == 400
    assert "“lots” is not a number." in refused.content.decode()
    done = client.post(url, answers(survey))
    assert done.status_code == 302 and Response.objects.count() == 1
    again = client.get(url).content.decode()
    assert "You have answered this survey" in again and "Send your answers" not in again


def test_questions_are_frozen_once_published(world: Any) -> None:
    survey = fixtures.survey(world)
    with pytest.raises(Conflict, match="published"):
        actions.do_add_question(survey, world.people["coordinator"], actions.QuestionData(
            kind="text", prompt="Anything else?"))


def test_reminders_go_only_to_those_who_have_not_answered(world: Any) -> None:
    survey = fixtures.survey(world)
    Recipient.objects.filter(survey=survey).update(
        invited_at=NOW - datetime.timedelta(days=4))
    actions.do_respond(survey, world.people["teacher"], answers(survey))
    mail.outbox.clear()
    Notice.objects.all().delete()
    sent = actions.do_send_reminders(survey, world.people["coordinator"])
    assert sent == 1
    assert list(Notice.objects.filter(kind="survey_reminder")
                .values_list("recipient__email", flat=True)) == ["asha@maple.test"]
    # at most one every ``remind_every_days`` days
    assert actions.do_send_reminders(survey, world.people["coordinator"]) == 0
    later = timezone.now() + datetime.timedelta(days=3, minutes=1)
    assert actions.remind_open_surveys(now=later) == {survey.pk: 1}


def test_the_command_reminds(world: Any, capsys: Any) -> None:
    survey = fixtures.survey(world)
    Recipient.objects.filter(survey=survey).update(
        invited_at=NOW - datetime.timedelta(days=4))
    call_command("survey_reminders")
    assert "Sent 2 reminders for 1 survey." in capsys.readouterr().out
    assert Notice.objects.filter(kind="survey_reminder").count() == 2


def test_publishing_tells_those_asked(world: Any) -> None:
    survey = fixtures.survey(world, publish=False)
    assert not Notice.objects.filter(kind="survey_invitation").exists()
    actions.do_publish(survey, world.people["coordinator"])
    assert set(Notice.objects.filter(kind="survey_invitation")
               .values_list("recipient__email", flat=True)) == {"jamie@maple.test",
                                                                "asha@maple.test"}


def test_an_identified_survey_s_export_names_who_answered(world: Any, login: Any) -> None:
    survey = fixtures.survey(world, anonymous=False, roster=False)
    actions.do_respond(survey, world.people["teacher"], answers(survey, text="More video"))
    exported = login(world.people["coordinator"]).get(
        reverse("surveys:export", args=[survey.pk])).content.decode()
    header, row = exported.splitlines()[:2]
    assert header.startswith("Response,Name,E-mail,Submitted (UTC),Last changed (UTC),Q1.")
    assert "Jamie Nguyen,jamie@maple.test" in row and "More video" in row
