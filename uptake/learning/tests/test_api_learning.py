"""Learning plans, goals and sources through the API: the owner and the reviewers she
shared with read a plan as on its page, for as long as the page would let them; only the
owner writes, through the pages' actions, and malformed writes save nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from uptake.accounts.models import Grant, Role, RoleAssignment
from uptake.audit.models import AuditAction, AuditEvent
from uptake.inquiry.actions import do_create_inquiry
from uptake.inquiry.models import Inquiry
from uptake.learning import actions
from uptake.learning.models import FrameworkElement, Goal, LearningPlan, LearningSource
from uptake.learning.tests import examples
from uptake.learning.tests.conftest import element, this_year

pytestmark = pytest.mark.django_db


def _call(client: Any, method: str, url: str, body: Any) -> Any:
    if method in ("GET", "DELETE"):
        return getattr(client, method.lower())(url)
    return getattr(client, method.lower())(url, body)


def test_every_persona_reaches_exactly_the_learning_declared(world: Any, api: Any) -> None:
    for key, cases in examples.API_EXAMPLES.items():
        method, path = key.split(" ", 1)
        for case in cases:
            for persona, user in [("anonymous", None), *world.people.items()]:
                params = case["params"](world)
                body = case["body"](world, params) if "body" in case else None
                status = _call(api(user), method, path.format(**params), body).status_code
                expected = (401 if persona == "anonymous"
                            else "2xx" if persona in case["allowed"] else 404)
                got = "2xx" if 200 <= status < 300 else status
                assert got == expected, (key, case["label"], persona, status)


# ------------------------------------------------------------------------------ reading

def test_the_list_holds_her_plans_and_those_shared_with_her(world: Any, api: Any) -> None:
    private = examples.plan(world)
    shared = examples.plan(world, shared=True)
    own = api(world.people["teacher"]).get("/learning/plans").json()["results"]
    assert {p["id"] for p in own} == {private.pk, shared.pk}
    assert all(p["is_mine"] and p["goal_count"] == 1 for p in own)
    coach = api(world.people["coach"]).get("/learning/plans").json()["results"]
    assert [(p["id"], p["is_mine"], p["owner_name"]) for p in coach] == [
        (shared.pk, False, "Jamie Nguyen")]
    assert api(world.people["coach"]).get("/learning/plans", {"mine": "true"}).json()[
        "results"] == []
    assert api(world.people["coordinator"]).get("/learning/plans").json()["results"] == []


def test_updated_since_and_the_school_year_filter_the_list(world: Any, api: Any) -> None:
    old, new = examples.plan(world), examples.plan(world)
    LearningPlan.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - timedelta(days=30))
    client = api(world.people["teacher"])
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert [p["id"] for p in client.get("/learning/plans", {"updated_since": since}).json()[
        "results"]] == [new.pk]
    assert client.get("/learning/plans", {"school_year": this_year() + 3}).json()[
        "results"] == []
    assert client.get("/learning/plans", {"school_year": 1900}).status_code == 400
    first = client.get("/learning/plans", {"page_size": 1}).json()
    parts = urlsplit(first["next"])
    second = client.get(f"{parts.path}?{parts.query}").json()
    assert {first["results"][0]["id"], second["results"][0]["id"]} == {old.pk, new.pk}


def test_a_reviewer_reads_the_plan_as_its_page_shows_it(world: Any, api: Any) -> None:
    made = examples.source(world)
    plan = made.goals.get().plan
    actions.do_share_plan(plan, actor=world.people["teacher"], reviewer=world.people["coach"])
    response = api(world.people["coach"]).get(f"/learning/plans/{plan.pk}")
    assert response.status_code == 200
    body = response.json()
    goal = body["goals"][0]
    assert [(e["code"], e["framework"]) for e in goal["elements"]] == [
        ("DA", element(world.district, "DA").framework.name)]
    assert goal["source_count"] == 1
    assert body["status_counts"] == [{"status": "not_started", "count": 1}]
    assert [(s["title"], s["reflection"]) for s in body["sources"]] == [
        ("Intentional Talk", "Revoicing works.")]
    assert Decimal(body["hours"]) == Decimal("6.5")
    goals = api(world.people["coach"]).get(f"/learning/plans/{plan.pk}/goals").json()
    assert goals["results"] == [goal]


def test_a_share_ended_or_lapsed_closes_the_plan_to_its_reviewer(world: Any, api: Any) -> None:
    plan = examples.plan(world, shared=True)
    coach = api(world.people["coach"])
    assert coach.get(f"/learning/plans/{plan.pk}").status_code == 200
    actions.do_unshare_plan(plan, actor=world.people["teacher"],
                            reviewer=world.people["coach"])
    for url in (f"/learning/plans/{plan.pk}", f"/learning/plans/{plan.pk}/goals"):
        response = coach.get(url)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    again = examples.plan(world, shared=True)
    Grant.objects.filter(grantee=world.people["coach"], withdrawn_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    assert coach.get(f"/learning/plans/{again.pk}").status_code == 404
    assert coach.get("/learning/plans").json()["results"] == []


def test_a_reviewer_whose_role_is_revoked_or_moved_loses_the_plan(world: Any,
                                                                  api: Any) -> None:
    plan = examples.plan(world, shared=True)
    coach = api(world.people["coach"])
    RoleAssignment.objects.filter(user=world.people["coach"], role=Role.COACH).update(
        school=world.birch)
    assert coach.get(f"/learning/plans/{plan.pk}").status_code == 404
    RoleAssignment.objects.filter(user=world.people["coach"]).delete()
    assert coach.get(f"/learning/plans/{plan.pk}").status_code == 404
    assert coach.get("/learning/plans").status_code == 404


# ------------------------------------------------------------------------------- plans

def test_a_teacher_starts_and_changes_a_plan(world: Any, api: Any) -> None:
    client = api(world.people["teacher"])
    made = client.post("/learning/plans", {"title": "Reading", "start_year": 2026,
                                           "end_year": 2027})
    assert made.status_code == 201 and made.json()["years"] == "2026-27 to 2027-28"
    plan_id = made.json()["id"]
    changed = client.patch(f"/learning/plans/{plan_id}", {"focus": "Fluency"})
    assert changed.status_code == 200 and changed.json()["focus"] == "Fluency"
    assert changed.json()["title"] == "Reading"


@pytest.mark.parametrize(("body", "field"), [
    ({"start_year": "soon", "end_year": 2027}, "start_year"),
    ({"start_year": 2026}, "end_year"),
    ({"start_year": 1999, "end_year": 2000}, "start_year"),
    ({"start_year": 2026, "end_year": 2025}, "end_year"),
    ({"start_year": 2026, "end_year": 2031}, "end_year"),
    ({"start_year": 2026, "end_year": 2027, "title": "x" * 201}, "title"),
    ({"start_year": 2026, "end_year": 2027, "focus": ["a"]}, "focus"),
    ({"start_year": 70000, "end_year": 70001}, "start_year"),
])
def test_a_malformed_plan_is_refused_and_nothing_saved(world: Any, api: Any,
                                                      body: dict[str, Any],
                                                      field: str) -> None:
    response = api(world.people["teacher"]).post("/learning/plans", body)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"], response.json()
    assert not LearningPlan.objects.exists()


def test_years_that_would_strand_a_goal_are_refused(world: Any, api: Any) -> None:
    plan = examples.plan(world)
    response = api(world.people["teacher"]).patch(f"/learning/plans/{plan.pk}",
                                                  {"end_year": plan.start_year})
    assert response.status_code == 400
    assert "target date outside" in response.json()["error"]["message"]
    plan.refresh_from_db()
    assert plan.end_year == this_year() + 2


def test_the_reviewer_cannot_change_the_plan(world: Any, api: Any) -> None:
    plan = examples.plan(world, shared=True)
    assert api(world.people["coach"]).patch(f"/learning/plans/{plan.pk}",
                                            {"title": "Mine"}).status_code == 404
    assert api(world.people["coach"]).post(f"/learning/plans/{plan.pk}/goals",
                                           examples.new_goal(world, {})).status_code == 404
    plan.refresh_from_db()
    assert plan.title == "Math talk" and plan.goals.count() == 1


# -------------------------------------------------------------------------------- goals

def test_a_goal_aligns_to_elements_and_inquiries_by_id(world: Any, api: Any) -> None:
    plan = examples.plan(world)
    inquiry = do_create_inquiry(world.people["teacher"], title="Talk", prediction="More")
    codes = [element(world.district, "DA"), element(world.district, "LC")]
    body = {**examples.new_goal(world, {}), "element_ids": [e.pk for e in codes],
            "inquiry_ids": [inquiry.pk], "status": "in_progress"}
    response = api(world.people["teacher"]).post(f"/learning/plans/{plan.pk}/goals", body)
    assert response.status_code == 201, response.json()
    goal = response.json()
    assert sorted(e["code"] for e in goal["elements"]) == ["DA", "LC"]
    assert goal["inquiries"] == [{"id": inquiry.pk, "title": "Talk", "readable": True}]
    changed = api(world.people["teacher"]).patch(
        f"/learning/plans/{plan.pk}/goals/{goal['id']}", {"status": "met"}).json()
    assert changed["status"] == "met" and len(changed["elements"]) == 2
    assert changed["inquiries"][0]["id"] == inquiry.pk


def _goal_attacks(world: Any, plan: Any) -> list[tuple[dict[str, Any], str]]:
    from uptake.learning.models import Framework

    good = examples.new_goal(world, {})
    theirs = do_create_inquiry(world.people["colleague"], title="Asha's", prediction="x")
    foreign = FrameworkElement.objects.filter(
        framework__district=world.other_district).first()
    oak = Inquiry.objects.create(district=world.other_district,
                                 owner=world.people["other_coordinator"], title="Oak")
    retired = element(world.district, "LC")
    FrameworkElement.objects.filter(pk=retired.pk).update(retired_at=timezone.now())
    assert foreign is not None and Framework.objects.exists()
    return [
        ({**good, "statement": ""}, "statement"),
        ({**good, "statement": 5}, "statement"),
        ({**good, "status": "done"}, "status"),
        ({**good, "target_date": "2999-01-01"}, "target_date"),
        ({**good, "target_date": "31/12/2026"}, "target_date"),
        ({**good, "element_ids": [999_999]}, "element_ids"),
        ({**good, "element_ids": [foreign.pk]}, "element_ids"),
        ({**good, "element_ids": [retired.pk]}, "element_ids"),
        ({**good, "element_ids": "DA"}, "element_ids"),
        ({**good, "inquiry_ids": [theirs.pk]}, "inquiry_ids"),
        ({**good, "inquiry_ids": [999_999]}, "inquiry_ids"),
        ({**good, "inquiry_ids": [oak.pk]}, "inquiry_ids"),
        ({**good, "measure": "x" * 20_001}, "measure"),
    ]


def test_malformed_goals_are_refused_and_nothing_saved(world: Any, api: Any) -> None:
    plan = examples.plan(world)
    client = api(world.people["teacher"])
    for body, field in _goal_attacks(world, plan):
        response = client.post(f"/learning/plans/{plan.pk}/goals", body)
        assert response.status_code == 400, (field, response.json())
        assert field in response.json()["error"]["fields"], (field, response.json())
    assert plan.goals.count() == 1
    goal = plan.goals.get()
    for body, field in _goal_attacks(world, plan):
        response = client.patch(f"/learning/plans/{plan.pk}/goals/{goal.pk}", body)
        assert response.status_code == 400, (field, response.json())
    goal.refresh_from_db()
    assert goal.status == "not_started" and goal.inquiries.count() == 0
    assert [e.code for e in goal.elements.all()] == ["DA"]


def test_a_goal_of_another_plan_or_district_is_not_found(world: Any, api: Any) -> None:
    mine, other = examples.plan(world), examples.plan(world)
    goal = other.goals.get()
    client = api(world.people["teacher"])
    response = client.patch(f"/learning/plans/{mine.pk}/goals/{goal.pk}", {"status": "met"})
    assert response.status_code == 404
    assert api(world.people["other_coordinator"]).delete(
        f"/learning/plans/{other.pk}/goals/{goal.pk}").status_code == 404
    assert Goal.objects.filter(pk=goal.pk, status="not_started").exists()


def test_deleting_a_goal_is_audited_and_keeps_its_sources(world: Any, api: Any) -> None:
    made = examples.source(world)
    goal = made.goals.get()
    response = api(world.people["teacher"]).delete(
        f"/learning/plans/{goal.plan_id}/goals/{goal.pk}")
    assert response.status_code == 204 and not response.content
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert LearningSource.objects.filter(pk=made.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETION,
                                     details__what="learning_goal").exists()


# ------------------------------------------------------------------------------ sources

def test_sources_are_recorded_changed_filtered_and_deleted(world: Any, api: Any) -> None:
    plan = examples.plan(world)
    goal = plan.goals.get()
    client = api(world.people["teacher"])
    made = client.post("/learning/sources", {**examples.new_source(world, {}),
                                             "goal_ids": [goal.pk], "research_based": True,
                                             "citation": "Parrish (2010)"})
    assert made.status_code == 201, made.json()
    source = made.json()
    assert source["goal_ids"] == [goal.pk] and Decimal(source["hours"]) == Decimal("1.5")
    assert source["school_year"] == 2026
    changed = client.patch(f"/learning/sources/{source['id']}", {"hours": "2.25"}).json()
    assert Decimal(changed["hours"]) == Decimal("2.25") and changed["goal_ids"] == [goal.pk]
    assert client.get("/learning/sources", {"kind": "book"}).json()["results"] == []
    assert [s["id"] for s in client.get("/learning/sources", {
        "date_from": "2026-10-01", "date_to": "2026-10-01"}).json()["results"]] == [
        source["id"]]
    assert client.get("/learning/sources", {"updated_since": "2999-01-01T00:00:00Z"}).json()[
        "results"] == []
    assert client.delete(f"/learning/sources/{source['id']}").status_code == 204
    assert not LearningSource.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETION,
                                     details__what="learning_source").exists()


def test_malformed_sources_are_refused_and_nothing_saved(world: Any, api: Any) -> None:
    asha_plan = actions.do_create_plan(owner=world.people["colleague"], title="Asha",
                                       start_year=this_year(), end_year=this_year())
    asha_goal = actions.do_add_goal(asha_plan, actor=world.people["colleague"],
                                    fields=actions.GoalFields(
                                        statement="s", measure="m", steps="s",
                                        relevance="r",
                                        target_date=date(this_year() + 1, 5, 1)))
    good = examples.new_source(world, {})
    tomorrow_and_more = (timezone.localdate() + timedelta(days=5)).isoformat()
    attacks = [
        ({**good, "hours": "200.01"}, "hours"),
        ({**good, "hours": "-1"}, "hours"),
        ({**good, "hours": "1.234"}, "hours"),
        ({**good, "hours": "lots"}, "hours"),
        ({**good, "kind": "podcast"}, "kind"),
        ({**good, "title": ""}, "title"),
        ({**good, "title": "x" * 301}, "title"),
        ({**good, "link": "javascript:alert(1)"}, "link"),
        ({**good, "learned_on": tomorrow_and_more}, "learned_on"),
        ({**good, "goal_ids": [asha_goal.pk]}, "goal_ids"),
        ({**good, "goal_ids": [999_999]}, "goal_ids"),
        ({**good, "inquiry_ids": [999_999]}, "inquiry_ids"),
    ]
    client = api(world.people["teacher"])
    for body, field in attacks:
        response = client.post("/learning/sources", body)
        assert response.status_code == 400, (field, response.json())
        assert field in response.json()["error"]["fields"], (field, response.json())
    assert not LearningSource.objects.exists()
    kept = examples.source(world)
    for body, field in attacks:
        response = client.patch(f"/learning/sources/{kept.pk}", body)
        assert response.status_code == 400, (field, response.json())
    kept.refresh_from_db()
    assert kept.hours == Decimal("6.5") and kept.title == "Intentional Talk"


def test_someone_else_s_source_is_not_found(world: Any, api: Any) -> None:
    made = examples.source(world)
    for person in ("colleague", "coach", "other_coordinator"):
        client = api(world.people[person])
        assert client.get(f"/learning/sources/{made.pk}").status_code == 404
        assert client.patch(f"/learning/sources/{made.pk}", {"title": "x"}).status_code == 404
        assert client.delete(f"/learning/sources/{made.pk}").status_code == 404
    made.refresh_from_db()
    assert made.title == "Intentional Talk"


def test_a_plan_s_goals_list_by_target_date_and_filters(world: Any, api: Any) -> None:
    plan = examples.plan(world)
    client = api(world.people["teacher"])
    later = client.post(f"/learning/plans/{plan.pk}/goals", {
        **examples.new_goal(world, {}), "target_date": date(this_year() + 2, 6, 1).isoformat()})
    sooner = client.post(f"/learning/plans/{plan.pk}/goals", examples.new_goal(world, {}))
    listed = client.get(f"/learning/plans/{plan.pk}/goals").json()["results"]
    dates = [g["target_date"] for g in listed]
    assert dates == sorted(dates) and len(listed) == 3
    assert {later.json()["id"], sooner.json()["id"]} <= {g["id"] for g in listed}
    until = date(this_year() + 1, 12, 31).isoformat()
    early = client.get(f"/learning/plans/{plan.pk}/goals", {"date_to": until}).json()
    assert [g["id"] for g in early["results"]] == [sooner.json()["id"]]
