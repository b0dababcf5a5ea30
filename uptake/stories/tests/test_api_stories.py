"""The stories API as a teacher, her coach and an integration use it: a story is started,
written, given charts and artifacts and published through the API; a refusal lists each
thing at fault; nothing it answers names a student or gives away a share link; an
artifact that shows students needs consent, and leaves the story when consent ends."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from uptake.audit.models import AuditEvent
from uptake.stories.models import Consent, Story
from uptake.stories.tests import fixtures
from uptake.stories.tests.examples_api import card, photo

pytestmark = pytest.mark.django_db


def _no_student_in(world: Any, text: str) -> None:
    for student in world.students:
        for value in (student.given_name, student.sourced_id, student.pseudonym):
            assert value not in text, f"{value} is in the answer"


def test_a_teacher_tells_her_story_through_the_api(world: Any, api: Any) -> None:
    teacher = api(world.people["teacher"])
    inquiry = fixtures.inquiry_with_data(world)
    started = teacher.post("/stories", {"inquiry": inquiry.pk})
    assert started.status_code == 201, started.content
    story = started.json()
    assert story["question"] == "Will talk moves help?"  # from the inquiry
    assert story["published"] is False and story["snapshot"] is None
    # An inquiry tells one story: asking again answers the same one.
    again = teacher.post("/stories", {"inquiry": inquiry.pk})
    assert again.status_code == 200 and again.json()["id"] == story["id"]

    path = f"/stories/{story['id']}"
    changed = teacher.patch(path, {"what_happened": "Most pairs explained their thinking.",
                                   "language": "es"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["language"] == "es"
    measure = inquiry.measures.get()
    chosen = teacher.put(f"{path}/charts", {"charts": [{"measure": measure.pk,
                                                        "section": None}]})
    assert chosen.json()["charts"] == [{"measure_id": measure.pk,
                                        "measure_name": "Exit ticket",
                                        "section_id": None, "section_title": None}]
    shown = teacher.put(f"{path}/artifacts", {"artifacts": [
        {"artifact": card(world).pk, "caption": "On every table."}]})
    assert shown.status_code == 200, shown.content
    assert shown.json()["artifacts"][0]["caption"] == "On every table."

    published = teacher.post(f"{path}/publish")
    assert published.status_code == 200, published.content
    body = published.json()
    assert body["published"] is True and body["snapshot_at"] is not None
    chart = body["snapshot"]["charts"][0]
    assert chart["verdict"] == "sustained_improvement"
    assert chart["points"] and all(p["n"] == 12 for p in chart["points"])
    assert "svg" not in chart and "<svg" not in published.content.decode()
    assert body["snapshot"]["what_happened"] == "Most pairs explained their thinking."
    assert [level["level"] for level in body["snapshot"]["ladder"]] == [1, 2, 3, 4, 5]
    _no_student_in(world, published.content.decode())

    # Her words change; what readers see does not until she refreshes it.
    teacher.patch(path, {"what_happened": "Nearly every pair explained."})
    assert teacher.get(path).json()["snapshot"]["what_happened"] == (
        "Most pairs explained their thinking.")
    assert teacher.post(f"{path}/publish").json()["snapshot"]["what_happened"] == (
        "Nearly every pair explained.")
    kinds = list(AuditEvent.objects.filter(action__startswith="story_").values_list(
        "action", flat=True))
    assert {"story_published", "story_refreshed", "story_changed"} <= set(kinds)

    down = teacher.post(f"{path}/unpublish")
    assert down.json()["published"] is False and down.json()["snapshot"] is None
    assert teacher.get("/stories", {"published": "true"}).json()["results"] == []
    assert teacher.delete(path).status_code == 204
    assert not Story.objects.filter(pk=story["id"]).exists()
    assert teacher.get(path).status_code == 404


def test_publishing_is_refused_with_a_row_for_each_problem(world: Any, api: Any,
                                                           settings: Any) -> None:
    story = fixtures.story(world, publish=False)
    teacher = api(world.people["teacher"])
    from uptake.stories.actions import (
        ArtifactChoice,
        do_choose_artifacts,
        do_record_consent,
        do_withdraw_consent,
    )

    shows_students = photo(world)
    consent = do_record_consent(shows_students, actor=world.people["teacher"],
                                given_by="Parents", given_on=date(2026, 11, 2),
                                scope="story_links")
    do_choose_artifacts(story, [ArtifactChoice(shows_students)], actor=world.people["teacher"])
    do_withdraw_consent(consent, actor=world.people["teacher"])
    settings.MIN_GROUP_SIZE = 20  # the class of twelve is now too small to chart

    refused = teacher.post(f"/stories/{story.pk}/publish")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "conflict"
    assert [(r["row"], r["column"]) for r in error["rows"]] == [
        (1, "Exit ticket: Grade 3 ELA - Room 12"), (2, "Pairs at the board")]
    assert "fewer than 20 students" in error["rows"][0]["message"]
    assert "consent" in error["rows"][1]["message"]
    story.refresh_from_db()
    assert story.snapshot is None


def test_every_chart_at_fault_is_listed_and_nothing_is_saved(world: Any, api: Any) -> None:
    story = fixtures.story(world, publish=False)
    measure = story.inquiry.measures.get()
    answer = api(world.people["teacher"]).put(f"/stories/{story.pk}/charts", {"charts": [
        {"measure": measure.pk, "section": world.other_section.pk},
        {"measure": measure.pk, "section": None},
        {"measure": 999_999, "section": None}]})
    assert answer.status_code == 400
    assert [(r["row"], r["column"]) for r in answer.json()["error"]["rows"]] == [
        (1, "section"), (3, "measure")]
    assert list(story.charts.values_list("section", flat=True)) == [None]  # as it was


def test_no_answer_gives_a_share_link_away(world: Any, api: Any) -> None:
    link, secret = fixtures.share_link(world)
    teacher = api(world.people["teacher"])
    answers = [teacher.get("/stories"), teacher.get(f"/stories/{link.story_id}"),
               teacher.post(f"/stories/{link.story_id}/publish")]
    for answer in answers:
        assert answer.status_code == 200
        text = answer.content.decode()
        assert secret not in text and link.token not in text and "/s/" not in text
    assert answers[1].json()["share_links"] == {"live": 1, "ended": 0, "views": 0}


def test_a_coach_reads_what_was_shared_but_not_its_links(world: Any, api: Any) -> None:
    from uptake.inquiry.actions import do_share_inquiry

    link, _ = fixtures.share_link(world)
    story = link.story
    do_share_inquiry(world.people["teacher"], story.inquiry, world.people["coach"], share=True)
    coach = api(world.people["coach"])
    read = coach.get(f"/stories/{story.pk}").json()
    assert read["may_edit"] is False and read["share_links"] is None
    assert read["snapshot"]["charts"][0]["verdict"] == "sustained_improvement"
    assert [s["id"] for s in coach.get("/stories").json()["results"]] == [story.pk]
    assert coach.patch(f"/stories/{story.pk}", {"title": "Mine now"}).status_code == 404
    assert coach.post(f"/stories/{story.pk}/unpublish").status_code == 404
    # Her colleague next door was never shared it: the same 404 as for no story at all.
    colleague = api(world.people["colleague"])
    assert colleague.get(f"/stories/{story.pk}").json() == colleague.get(
        "/stories/999999").json()
    assert colleague.get("/stories").json()["results"] == []


def test_an_artifact_that_shows_students_needs_consent(world: Any, api: Any) -> None:
    story = fixtures.story(world, publish=False)
    teacher = api(world.people["teacher"])
    shows_students = photo(world)
    path = f"/stories/{story.pk}/artifacts"
    refused = teacher.put(path, {"artifacts": [{"artifact": card(world).pk},
                                               {"artifact": shows_students.pk}]})
    assert refused.status_code == 400
    assert [(r["row"], r["column"]) for r in refused.json()["error"]["rows"]] == [
        (2, "artifact")]
    assert not story.pieces.exists()

    recorded = teacher.post("/stories/consents", {
        "artifact": shows_students.pk, "given_by": "The students' parents",
        "given_on": "2026-11-02", "scope": "story_links"})
    assert recorded.status_code == 201, recorded.content
    consent = recorded.json()
    assert consent["in_force"] is True and consent["artifact_title"] == "Pairs at the board"
    assert teacher.put(path, {"artifacts": [{"artifact": shows_students.pk}]}).status_code == 200
    published = teacher.post(f"/stories/{story.pk}/publish").json()
    assert [a["title"] for a in published["snapshot"]["artifacts"]] == ["Pairs at the board"]

    # The consent covers families with a link, not colleagues: her coach reads the story
    # without the photo.
    from uptake.inquiry.actions import do_share_inquiry

    do_share_inquiry(world.people["teacher"], story.inquiry, world.people["coach"], share=True)
    coach_read = api(world.people["coach"]).get(f"/stories/{story.pk}").json()
    assert coach_read["snapshot"]["artifacts"] == []

    withdrawn = teacher.post(f"/stories/consents/{consent['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["in_force"] is False
    after = teacher.get(f"/stories/{story.pk}").json()
    assert after["artifacts"][0]["may_show"] is False
    assert after["snapshot"]["artifacts"] == []  # gone at once, snapshot or not
    assert teacher.get("/stories/consents", {"in_force": "true"}).json()["results"] == []
    assert [c["id"] for c in teacher.get("/stories/consents", {"in_force": "false"})
            .json()["results"]] == [consent["id"]]


def test_consent_is_recorded_only_by_the_artifact_s_teacher(world: Any, api: Any) -> None:
    shows_students = photo(world)
    body = {"artifact": shows_students.pk, "given_by": "Parents", "given_on": "2026-11-02",
            "scope": "district"}
    answer = api(world.people["colleague"]).post("/stories/consents", body)
    assert answer.status_code == 404
    assert not Consent.objects.exists()
    future = api(world.people["teacher"]).post("/stories/consents",
                                               {**body, "given_on": "2999-01-01"})
    assert future.status_code == 400
    assert future.json()["error"]["fields"] == {
        "given_on": ["Consent cannot be dated in the future."]}
    assert not Consent.objects.exists()


def test_a_repeated_consent_with_the_same_key_is_recorded_once(world: Any, api: Any) -> None:
    teacher = api(world.people["teacher"])
    body = {"artifact": photo(world).pk, "given_by": "Parents", "given_on": "2026-11-02",
            "scope": "story_links"}
    first = teacher.post("/stories/consents", body, **{"Idempotency-Key": "consent-1"})
    second = teacher.post("/stories/consents", body, **{"Idempotency-Key": "consent-1"})
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert json.loads(first.content) == json.loads(second.content)
    assert Consent.objects.count() == 1


def test_words_that_cannot_be_used_are_refused_on_their_field(world: Any, api: Any) -> None:
    story = fixtures.story(world, publish=False)
    teacher = api(world.people["teacher"])
    too_long = teacher.patch(f"/stories/{story.pk}", {"what_happened": "x" * 4001,
                                                      "title": "Kept?"})
    assert too_long.status_code == 400
    assert list(too_long.json()["error"]["fields"]) == ["what_happened"]
    nulled = teacher.patch(f"/stories/{story.pk}", {"title": None})
    assert nulled.status_code == 400 and list(nulled.json()["error"]["fields"]) == ["title"]
    story.refresh_from_db()
    assert story.title == "Math talk"  # nothing half-saved
