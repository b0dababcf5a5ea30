"""The micro-credentials API does what the pages do, through the same rules: the whole
journey from the catalog to a stipend and a CEU transcript; moves the workflow refuses are
409 with its own words and change nothing; an assessor never decides her own or her
coachee's work; a teacher sees only her own work; a coordinator only her district."""

from __future__ import annotations

from typing import Any

import pytest

from uptake.accounts.models import Role, RoleAssignment
from uptake.credentials import workflow
from uptake.credentials.models import Review, Round, StipendEntry, Submission
from uptake.credentials.tests import fixtures as f

pytestmark = pytest.mark.django_db

BASE = "/credentials"


def _snapshot(submission: Submission) -> tuple[Any, ...]:
    submission.refresh_from_db()
    return (submission.state, submission.reflection, submission.items.count(),
            Round.objects.filter(submission=submission).count(),
            Review.objects.filter(round__submission=submission).count(),
            StipendEntry.objects.filter(submission=submission).count())


def test_from_the_catalog_to_a_stipend_and_a_transcript(world: Any, api: Any) -> None:
    teacher, assessor = world.people["teacher"], world.people["assessor"]
    me, reader = api(teacher), api(assessor)
    version = f.credential(world)
    catalog = me.get(f"{BASE}/catalog").json()["results"]
    assert [c["id"] for c in catalog] == [version.pk]
    detail = me.get(f"{BASE}/catalog/{version.pk}").json()
    learning = next(t for t in detail["tier_list"] if t["kind"] == "learning")
    assert learning["requirements"]["min_research_sources"] == 1
    assert learning["criteria"] and len(learning["criteria"][0]["descriptors"]) == len(
        learning["levels"])

    started = me.post(f"{BASE}/mine", {"tier_id": learning["id"]})
    assert started.status_code == 201, started.content
    sid = started.json()["id"]
    assert me.post(f"{BASE}/mine", {"tier_id": learning["id"]}).status_code == 200
    check = me.get(f"{BASE}/mine/{sid}/precheck").json()
    assert not check["ready"]
    sources = {c["key"]: c for c in check["checks"]}["sources"]
    assert not sources["ok"] and "select 2 more" in sources["detail"]

    not_yet = me.post(f"{BASE}/mine/{sid}/submit")
    assert not_yet.status_code == 400 and "Not ready to submit" in not_yet.json()[
        "error"]["message"]
    for source in f.sources(world):
        added = me.post(f"{BASE}/mine/{sid}/items", {"kind": "source", "record_id": source.pk,
                                                      "note": "Why I chose it"})
        assert added.status_code == 201, added.content
    assert me.patch(f"{BASE}/mine/{sid}", {"reflection": f.REFLECTION}).status_code == 200
    assert me.get(f"{BASE}/mine/{sid}/precheck").json()["ready"] is True
    sent = me.post(f"{BASE}/mine/{sid}/submit")
    assert sent.status_code == 200 and sent.json()["state"] == "in_review"

    queue = reader.get(f"{BASE}/reviews").json()["results"]
    assert [q["submission_id"] for q in queue] == [sid]
    review = reader.get(f"{BASE}/reviews/{queue[0]['id']}").json()
    assert {i["kind"] for i in review["items"]} == {"source"}
    read = {i["record"]["title"]: i["record"] for i in review["items"]}
    assert read["The Teacher's Guide to Academic Conversations"]["research_based"] is True
    assert {i["note"] for i in review["items"]} == {"Why I chose it"}
    assert review["reflection"] == f.REFLECTION and all(c["ok"] for c in review["checks"])
    criteria = review["tier"]["criteria"]
    decided = reader.post(f"{BASE}/reviews/{review['id']}/decision", {
        "decision": "award", "comment": "Well sourced.",
        "scores": [{"criterion_id": c["id"], "level": 1, "comment": ""} for c in criteria]})
    assert decided.status_code == 200, decided.content
    assert decided.json()["submission_state"] == "awarded"

    mine = me.get(f"{BASE}/mine/{sid}").json()
    assert mine["state"] == "awarded" and mine["can"] == []
    assert [s["level_text"] for s in mine["rounds"][0]["scores"]] == ["On track"] * len(
        criteria)
    ledger = me.get(f"{BASE}/stipends").json()["results"]
    assert [(row["submission_id"], row["amount"]) for row in ledger] == [(sid, "75.00")]
    sheet = me.get(f"{BASE}/transcripts/{teacher.pk}").json()
    assert [t["submission_id"] for t in sheet["tiers"]] == [sid]
    assert float(sheet["total_ceus"]) >= 0.5


def test_moves_the_workflow_refuses_are_409_and_change_nothing(world: Any, api: Any) -> None:
    me = api(world.people["teacher"])
    sent = f.submitted(world)
    before = _snapshot(sent)
    again = me.post(f"{BASE}/mine/{sent.pk}/submit")
    assert again.status_code == 409
    assert again.json()["error"]["message"] == workflow.why_not("submit", "in_review")
    edit = me.patch(f"{BASE}/mine/{sent.pk}", {"reflection": "Changed after sending."})
    assert edit.status_code == 409
    assert edit.json()["error"]["message"] == workflow.why_not("edit", "in_review")
    item = sent.items.first()
    assert me.delete(f"{BASE}/mine/{sent.pk}/items/{item.pk}").status_code == 409
    assert _snapshot(sent) == before

    awarded = f.awarded(world)
    before = _snapshot(awarded)
    gone = me.post(f"{BASE}/mine/{awarded.pk}/withdraw")
    assert gone.status_code == 409
    assert gone.json()["error"]["message"] == workflow.why_not("withdraw", "awarded")
    assert _snapshot(awarded) == before


def test_a_reading_once_decided_leaves_her_queue(world: Any, api: Any) -> None:
    review = f.open_review(world)
    submission = review.round.submission
    reader = api(world.people["assessor"])
    body = {"decision": "return", "comment": "Say more about your readers.",
            "scores": [{"criterion_id": c.pk, "level": 0, "comment": ""}
                       for c in submission.tier.criteria.all()]}
    assert reader.post(f"{BASE}/reviews/{review.pk}/decision", body).status_code == 200
    # The reading is over: it is gone from her queue, as a missing one would be.
    assert reader.post(f"{BASE}/reviews/{review.pk}/decision", body).status_code == 404
    assert Review.objects.filter(round__submission=submission,
                                 decided_at__isnull=False).count() == 1


def test_awarding_below_the_passing_level_is_refused(world: Any, api: Any) -> None:
    review = f.open_review(world)
    submission = review.round.submission
    before = _snapshot(submission)
    answer = api(world.people["assessor"]).post(f"{BASE}/reviews/{review.pk}/decision", {
        "decision": "award", "comment": "",
        "scores": [{"criterion_id": c.pk, "level": 0, "comment": ""}
                   for c in submission.tier.criteria.all()]})
    assert answer.status_code == 400 and "decision" in answer.json()["error"]["fields"]
    assert _snapshot(submission) == before


def test_an_assessor_never_decides_her_own_or_her_coachee_s_work(world: Any, api: Any
                                                                 ) -> None:
    coach, coordinator = world.people["coach"], world.people["coordinator"]
    RoleAssignment.objects.create(user=coach, district=world.district, role=Role.ASSESSOR)
    sent = f.submitted(world)  # Jamie's: the coach coaches at her school
    open_review = sent.rounds.get(outcome="").reviews.get(released_at__isnull=True)
    assert open_review.assessor == world.people["assessor"]
    as_coach = api(coach)
    assert as_coach.get(f"{BASE}/reviews").json()["results"] == []
    assert as_coach.get(f"{BASE}/reviews/{open_review.pk}").status_code == 404
    assert as_coach.post(f"{BASE}/reviews/{open_review.pk}/decision", {
        "decision": "award", "comment": "", "scores": []}).status_code == 404
    before = _snapshot(sent)
    handed = api(coordinator).post(f"{BASE}/submissions/{sent.pk}/assign", {
        "assessor_id": coach.pk, "replace_review_id": open_review.pk})
    assert handed.status_code == 400 and "coaches" in handed.json()["error"]["message"]
    assert _snapshot(sent) == before

    # Her own work: an assessor who also teaches is never given it.
    RoleAssignment.objects.create(user=world.people["teacher"], district=world.district,
                                  role=Role.ASSESSOR)
    own = api(coordinator).post(f"{BASE}/submissions/{sent.pk}/assign", {
        "assessor_id": world.people["teacher"].pk, "replace_review_id": open_review.pk})
    assert own.status_code == 400 and "own work" in own.json()["error"]["message"]
    assert _snapshot(sent) == before
    assert api(world.people["teacher"]).get(f"{BASE}/reviews").json()["results"] == []


def test_a_teacher_sees_only_her_own_work(world: Any, api: Any) -> None:
    jamie = f.submitted(world)
    asha = api(world.people["colleague"])
    assert asha.get(f"{BASE}/mine").json()["results"] == []
    for path in (f"/mine/{jamie.pk}", f"/mine/{jamie.pk}/precheck"):
        assert asha.get(BASE + path).status_code == 404
    assert asha.post(f"{BASE}/mine/{jamie.pk}/withdraw").status_code == 404
    assert asha.get(f"{BASE}/submissions").status_code == 404
    assert asha.get(f"{BASE}/transcripts/{world.people['teacher'].pk}").status_code == 404
    assert _snapshot(jamie)[0] == "in_review"
    mine = api(world.people["teacher"]).get(f"{BASE}/mine").json()["results"]
    assert [m["id"] for m in mine] == [jamie.pk]


def test_coordinators_see_only_their_district(world: Any, api: Any) -> None:
    sent = f.submitted(world)
    ours = api(world.people["coordinator"]).get(f"{BASE}/submissions").json()["results"]
    assert [s["id"] for s in ours] == [sent.pk]
    assert "items" not in ours[0] and "reflection" not in ours[0]
    assert ours[0]["readers"][0]["assessor_id"] == world.people["assessor"].pk
    theirs = api(world.people["other_coordinator"])
    assert theirs.get(f"{BASE}/submissions").json()["results"] == []
    assert theirs.get(f"{BASE}/stipends").json()["results"] == []
    assert theirs.get(f"{BASE}/catalog").json()["results"] == []
    assert theirs.post(f"{BASE}/submissions/{sent.pk}/assign", {
        "assessor_id": world.people["assessor"].pk}).status_code == 404
    assert theirs.get(f"{BASE}/transcripts/{world.people['teacher'].pk}").status_code == 404


def test_the_ledger_filters_by_period_and_school(world: Any, api: Any) -> None:
    awarded = f.awarded(world)
    entry = StipendEntry.objects.get(submission=awarded)
    coordinator = api(world.people["coordinator"])
    rows = coordinator.get(f"{BASE}/stipends", {"period": entry.period,
                                                "school": world.cedar.pk}).json()["results"]
    assert [r["id"] for r in rows] == [entry.pk] and rows[0]["school_name"] == world.cedar.name
    assert coordinator.get(f"{BASE}/stipends", {"school": world.birch.pk}).json()[
        "results"] == []
    assert coordinator.get(f"{BASE}/stipends", {"period": "2026-13"}).status_code == 400
    assert api(world.people["colleague"]).get(f"{BASE}/stipends").json()["results"] == []


def test_a_second_reader_joins_and_both_decide(world: Any, api: Any) -> None:
    blair = f.second_assessor(world)
    review = f.open_review(world)
    reader = api(world.people["assessor"])
    asked = reader.post(f"{BASE}/reviews/{review.pk}/second-reader")
    assert asked.status_code == 200 and asked.json()["assigned"] is True
    assert "Blair" in asked.json()["message"]
    again = reader.post(f"{BASE}/reviews/{review.pk}/second-reader")
    assert again.status_code == 409
    second = api(blair).get(f"{BASE}/reviews").json()["results"]
    assert [s["reader"] for s in second] == ["second"]


def test_the_assessor_reads_the_verdicts_of_her_measures(world: Any, api: Any) -> None:
    from uptake.stories.tests.fixtures import inquiry_with_data

    measure = inquiry_with_data(world).measures.get()
    me, reader = api(world.people["teacher"]), api(world.people["assessor"])
    sid = me.post(f"{BASE}/mine", {"tier_id": f.tier(world, "impact").pk}).json()["id"]
    assert me.post(f"{BASE}/mine/{sid}/items", {"kind": "measure",
                                                "record_id": measure.pk}).status_code == 201
    me.patch(f"{BASE}/mine/{sid}", {"reflection": " ".join(["Results"] * 260)})
    check = me.get(f"{BASE}/mine/{sid}/precheck").json()
    assert check["ready"] is True, check
    assert {row["measure_id"] for row in check["impact"]} == {measure.pk}
    assert me.post(f"{BASE}/mine/{sid}/submit").status_code == 200
    rid = reader.get(f"{BASE}/reviews").json()["results"][0]["id"]
    answer = reader.get(f"{BASE}/reviews/{rid}")
    body = answer.json()
    assert [r["verdict"] for r in body["impact"]] == [r["verdict"] for r in
                                                      body["impact_as_sent"]]
    assert body["items"][0]["record"]["inquiry"] == measure.inquiry.title
    assert "Kid" not in answer.content.decode() and "stu-" not in answer.content.decode()
