"""Inquiries, cycles and measures through the API: the inquiry list's people, filters a
data team uses, writes through the pages' actions with their refusals in the envelope."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from uptake.inquiry.models import Cycle, Inquiry, Measure
from uptake.inquiry.tests import examples


def test_the_list_is_what_the_inquiry_list_shows_each_person(world: Any, api: Any) -> None:
    from uptake.inquiry.actions import do_create_inquiry

    shared = examples.teacher_inquiry(world)  # shared with the coach
    own = do_create_inquiry(world.people["teacher"], title="Fractions", status="draft")
    theirs = do_create_inquiry(world.people["colleague"], title="Reading aloud")

    def ids(person: str, **query: Any) -> list[int]:
        response = api(world.people[person]).get("/inquiries", query)
        assert response.status_code == 200, response.content
        return [i["id"] for i in response.json()["results"]]

    assert ids("teacher") == [shared.pk, own.pk]
    assert ids("colleague") == [theirs.pk]
    assert ids("coach") == [shared.pk]
    assert ids("leader") == [] and ids("outsider") == []
    assert api(world.people["coordinator"]).get("/inquiries").status_code == 404
    assert ids("teacher", status="draft") == [own.pk]
    assert ids("teacher", school=world.cedar.pk) == [shared.pk, own.pk]
    assert ids("teacher", school=world.birch.pk) == []
    Inquiry.objects.filter(pk=shared.pk).update(
        updated_at=timezone.now() - timedelta(days=3))
    assert ids("teacher", updated_since=(timezone.now() - timedelta(days=1)).isoformat()
               ) == [own.pk]
    body = api(world.people["coach"]).get(f"/inquiries/{shared.pk}").json()
    assert body["owner"] == {"id": world.people["teacher"].pk, "name": "Jamie Nguyen"}
    assert body["status"] == "active" and body["team"] is None


def test_a_teacher_starts_and_edits_an_inquiry(world: Any, api: Any) -> None:
    from uptake.inquiry.actions import do_create_team

    teacher = api(world.people["teacher"])
    made = teacher.post("/inquiries", {"title": "Math talk", "change_idea": "Talk moves",
                                       "prediction": "More explanations"})
    assert made.status_code == 201, made.content
    inquiry = Inquiry.objects.get(pk=made.json()["id"])
    assert inquiry.owner == world.people["teacher"]
    assert inquiry.cycles.get().plan == "Talk moves"  # the first cycle, as on the page
    theirs = do_create_team(world.people["colleague"], name="Theirs", kind="plc",
                            school=world.cedar, members=[])
    refused = teacher.patch(f"/inquiries/{inquiry.pk}", {"team": theirs.pk})
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"team": ["Choose one of your teams."]}
    closed = teacher.patch(f"/inquiries/{inquiry.pk}", {"status": "closed"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["title"] == "Math talk"  # fields not sent stay
    assert teacher.patch(f"/inquiries/{inquiry.pk}", {"title": None}).status_code == 400
    assert teacher.post("/inquiries", {"title": ""}).status_code == 400
    # A coach reads what is shared with her but never edits it.
    coach = api(world.people["coach"])
    shared = examples.teacher_inquiry(world)
    assert coach.patch(f"/inquiries/{shared.pk}", {"title": "x"}).status_code == 404


def test_cycles_plan_study_act_and_the_next_one(world: Any, api: Any) -> None:
    inquiry = examples.teacher_inquiry(world)
    cycle = inquiry.cycles.get()
    teacher = api(world.people["teacher"])
    early = teacher.post(f"/inquiries/{inquiry.pk}/cycles")
    assert early.status_code == 400
    assert "Decide first" in early.json()["error"]["message"]
    backwards = teacher.patch(f"/cycles/{cycle.pk}", {"start_date": "2026-10-01",
                                                       "end_date": "2026-09-01"})
    assert backwards.status_code == 400
    assert backwards.json()["error"]["fields"] == {
        "end_date": ["The cycle cannot end before it starts."]}
    no_reason = teacher.patch(f"/cycles/{cycle.pk}", {"decision": "adopt"})
    assert no_reason.status_code == 400 and "Say why" in no_reason.json()["error"]["message"]
    acted = teacher.patch(f"/cycles/{cycle.pk}", {
        "plan": "Talk moves daily", "study_notes": "More talk", "decision": "adapt",
        "reason": "Add sentence stems"})
    assert acted.status_code == 200, acted.content
    assert acted.json()["decision"] == "adapt" and acted.json()["plan"] == "Talk moves daily"
    nxt = teacher.post(f"/inquiries/{inquiry.pk}/cycles")
    assert nxt.status_code == 201 and nxt.json()["number"] == 2
    assert "Add sentence stems" in nxt.json()["plan"]
    logged = teacher.post(f"/cycles/{nxt.json()['id']}/log-entries",
                          {"date": "2026-09-08", "text": "  Modelled two talk moves "})
    assert logged.status_code == 201, logged.content
    assert logged.json()["text"] == "Modelled two talk moves"
    assert logged.json()["author"]["name"] == "Jamie Nguyen"
    assert teacher.post(f"/cycles/{cycle.pk}/log-entries",
                        {"date": "2026-09-08", "text": "   "}).status_code == 400
    listed = api(world.people["coach"]).get(f"/inquiries/{inquiry.pk}/cycles").json()
    assert [c["number"] for c in listed["results"]] == [1, 2]
    assert [e["text"] for e in listed["results"][1]["log"]] == ["Modelled two talk moves"]
    assert api(world.people["coach"]).post(f"/cycles/{cycle.pk}/log-entries", {
        "date": "2026-09-08", "text": "x"}).status_code == 404
    assert Cycle.objects.filter(inquiry=inquiry).count() == 2


def test_measures_are_added_on_classes_she_teaches(world: Any, api: Any) -> None:
    inquiry = examples.teacher_inquiry(world)
    teacher = api(world.people["teacher"])
    made = teacher.post(f"/inquiries/{inquiry.pk}/measures", {
        "name": "Survey", "kind": "likert", "scale_min": 1, "scale_max": 3,
        "likert_labels": ["No", "Sometimes", "Yes"], "classes": [world.section.pk]})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["classes"] == [{"id": world.section.pk, "title": world.section.title,
                                "school_id": world.cedar.pk, "comparison": False}]
    assert body["likert_labels"] == ["No", "Sometimes", "Yes"] and body["chart_kind"] == "run"
    not_hers = teacher.post(f"/inquiries/{inquiry.pk}/measures", {
        "name": "Quiz", "classes": [world.other_section.pk]})
    assert not_hers.status_code == 400
    assert "classes" in not_hers.json()["error"]["fields"]
    bad_labels = teacher.post(f"/inquiries/{inquiry.pk}/measures", {
        "name": "Survey 2", "kind": "likert", "scale_min": 1, "scale_max": 5,
        "likert_labels": ["No", "Yes"]})
    assert bad_labels.status_code == 400
    assert "give one label per point" in bad_labels.json()["error"]["message"]
    assert Measure.objects.filter(inquiry=inquiry).count() == 1
    read = api(world.people["coach"]).get(f"/inquiries/{inquiry.pk}/measures").json()
    assert [m["name"] for m in read["results"]] == ["Survey"]


def test_a_revoked_teacher_role_closes_the_write_path(world: Any, api: Any) -> None:
    from uptake.accounts.models import Role

    inquiry = examples.teacher_inquiry(world)
    client = api(world.people["teacher"])
    world.people["teacher"].roles.filter(role=Role.TEACHER).delete()
    assert client.get(f"/inquiries/{inquiry.pk}").status_code == 404
    assert client.patch(f"/inquiries/{inquiry.pk}", {"title": "x"}).status_code == 404
