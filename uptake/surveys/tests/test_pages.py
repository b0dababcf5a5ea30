"""The authors' pages: a school leader builds, previews, publishes and closes a survey for
her school; the home page tells a teacher a survey awaits her; a coordinator's survey is
not a school leader's to change."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.surveys.models import Question, Recipient, Survey
from uptake.surveys.tests import fixtures

pytestmark = pytest.mark.django_db


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_school_leader_builds_and_publishes_a_survey(world: Any, login: Any) -> None:
    client = login(world.people["leader"])
    now = timezone.now()
    made = client.post(reverse("surveys:new"), {
        "title": "Our PLC time", "purpose": "organisation", "anonymous": "on",
        "school": world.cedar.pk, "opens_at": _when(now - datetime.timedelta(hours=1)),
        "closes_at": _when(now + datetime.timedelta(days=5)), "remind_every_days": 3,
        "intro": "Ten minutes."})
    survey = Survey.objects.get(title="Our PLC time")
    assert made.status_code == 302 and survey.school == world.cedar and survey.anonymous
    builder = reverse("surveys:builder", args=[survey.pk])
    for prompt in ("We have time to plan together.", "Leaders protect PLC time."):
        client.post(builder, {"step": "add", "kind": "likert", "prompt": prompt,
                              "required": "on"})
    client.post(builder, {"step": "add", "kind": "choice", "prompt": "Best day?",
                          "options": "Monday\nWednesday"})
    bad = client.post(builder, {"step": "add", "kind": "choice", "prompt": "One option",
                                "options": "Only"})
    assert "Give at least two options, one a line." in bad.content.decode()
    second = survey.questions.get(prompt="Leaders protect PLC time.")
    client.post(builder, {"step": "up", "question": second.pk})
    assert list(survey.questions.values_list("prompt", flat=True))[:2] == [
        "Leaders protect PLC time.", "We have time to plan together."]
    assert survey.questions.get(prompt="Best day?").kind == Question.Kind.CHOICE
    preview = client.get(reverse("surveys:preview", args=[survey.pk])).content.decode()
    assert "Strongly agree" in preview and "<legend" in preview
    client.post(builder, {"step": "invite", "roles": ["teacher"]})
    assert set(Recipient.objects.filter(survey=survey).values_list(
        "person__email", flat=True)) == {"jamie@maple.test", "asha@maple.test"}
    client.post(builder, {"step": "publish"})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    page = client.get(builder).content.decode()
    assert "no longer change" in page and "2 of 2" not in page and "0 of 2 invited" in page
    home = login(world.people["teacher"]).get(reverse("home")).content.decode()
    assert "1 survey awaits your answer" in home and "Our PLC time" in home
    client = login(world.people["leader"])
    client.post(builder, {"step": "close"})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED


def test_a_school_leader_cannot_write_a_district_survey(world: Any, login: Any) -> None:
    district_survey = fixtures.survey(world, title="District needs")
    client = login(world.people["leader"])
    assert client.get(reverse("surveys:builder", args=[district_survey.pk])).status_code == 404
    now = timezone.now()
    refused = client.post(reverse("surveys:new"), {
        "title": "At Birch", "purpose": "other", "school": world.birch.pk,
        "opens_at": _when(now), "closes_at": _when(now + datetime.timedelta(days=1)),
        "remind_every_days": 3})
    assert refused.status_code == 200 and not Survey.objects.filter(title="At Birch").exists()


def test_the_list_shows_a_researcher_published_surveys_only(world: Any, login: Any) -> None:
    fixtures.survey(world, title="Published one")
    fixtures.survey(world, title="Still a draft", publish=False)
    page = login(world.people["researcher"]).get(reverse("surveys:list")).content.decode()
    assert "Published one" in page and "Still a draft" not in page


def test_a_survey_may_be_about_one_session_of_its_program(world: Any) -> None:
    from uptake.programs.models import Program, ProgramSession
    from uptake.rules import Invalid
    from uptake.surveys.actions import do_create_survey

    program = fixtures.program(world)
    session = ProgramSession.objects.create(program=program, held_on=datetime.date(2026, 9, 3),
                                            title="Day 1")
    other = Program.objects.create(district=world.district, name="Writing", kind="course",
                                   starts_on=datetime.date(2026, 8, 1))
    now = timezone.now()
    closes = now + datetime.timedelta(days=2)
    made = do_create_survey(world.people["coordinator"], title="Day 1 reactions",
                            purpose="reactions", program=program, session=session,
                            opens_at=now, closes_at=closes)
    assert made.session == session
    with pytest.raises(Invalid, match="session of the survey's program") as refused:
        do_create_survey(world.people["coordinator"], title="Wrong", purpose="reactions",
                         program=other, session=session, opens_at=now, closes_at=closes)
    assert refused.value.field == "session"
