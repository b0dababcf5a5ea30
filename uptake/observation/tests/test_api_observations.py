"""Observations through the API: the owner and the observer reach a request as on its
page, a request is made through the page's action with the same checks, and taps sync
idempotently by their ids, refused once the window has closed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from uptake.accounts.models import RoleAssignment
from uptake.inquiry.actions import do_create_inquiry, do_remove_team_member
from uptake.inquiry.models import Measure, Team
from uptake.observation.models import ObservationRequest, TallyEvent
from uptake.observation.tests import examples
from uptake.observation.tests.conftest import make_observation

pytestmark = pytest.mark.django_db


def _call(client: Any, method: str, url: str, body: Any) -> Any:
    return client.get(url) if method == "GET" else client.post(url, body)


def test_every_persona_reaches_exactly_the_observations_declared(world: Any,
                                                                api: Any) -> None:
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


def test_the_lists_name_each_side_s_standing(world: Any, api: Any) -> None:
    obs = make_observation(world)
    mine = api(world.people["teacher"]).get("/observations").json()["results"]
    assert [(o["id"], o["standing"], o["observer"]) for o in mine] == [
        (obs.pk, "owner", "Asha Patel")]
    theirs = api(world.people["colleague"]).get("/observations",
                                                {"standing": "observer"}).json()["results"]
    assert [(o["id"], o["standing"], o["window"]) for o in theirs] == [
        (obs.pk, "observer", "open")]
    assert api(world.people["colleague"]).get("/observations", {"standing": "owner"}).json()[
        "results"] == []
    assert api(world.people["teacher"]).get("/observations", {"status": "submitted"}).json()[
        "results"] == []


def test_the_detail_gives_the_window_prompts_and_tallies(world: Any, api: Any) -> None:
    obs = make_observation(world)
    client = api(world.people["colleague"])
    client.post(f"/observations/{obs.pk}/tallies", {"events": [
        {"id": "a", "prompt": obs.prompt_id, "delta": 1},
        {"id": "b", "prompt": obs.prompt_id, "delta": 1}]})
    body = api(world.people["teacher"]).get(f"/observations/{obs.pk}").json()
    assert body["standing"] == "owner" and body["window"] == "open"
    chosen = [p for p in body["prompts"] if p["counts_for_measure"]]
    assert [(p["id"], p["count"]) for p in chosen] == [(obs.prompt_id, 2)]
    assert len(body["prompts"]) == 4 and body["tallied_total"] == 2


def test_taps_sent_twice_are_counted_once(world: Any, api: Any) -> None:
    obs = make_observation(world)
    client = api(world.people["colleague"])
    batch = {"events": [{"id": f"t{i}", "prompt": obs.prompt_id, "delta": 1}
                        for i in range(3)], "present": {"value": 22, "seq": 5}}
    first = client.post(f"/observations/{obs.pk}/tallies", batch).json()
    again = client.post(f"/observations/{obs.pk}/tallies", batch).json()
    assert (first["accepted"], first["duplicates"]) == (3, 0)
    assert (again["accepted"], again["duplicates"]) == (0, 3)
    assert again["counts"][str(obs.prompt_id)] == 3 and again["students_present"] == 22
    older = client.post(f"/observations/{obs.pk}/tallies",
                        {"present": {"value": 30, "seq": 4}}).json()
    assert older["students_present"] == 22


@pytest.mark.parametrize("body", [
    {"events": "lots"},
    {"events": [{"id": "a b", "prompt": 1, "delta": 1}]},
    {"events": [{"id": "x" * 65, "prompt": 1, "delta": 1}]},
    {"events": [{"id": "a", "prompt": 1, "delta": 2}]},
    {"events": [{"id": "a", "prompt": "one", "delta": 1}]},
    {"events": [{"id": "a", "prompt": 999_999, "delta": 1}]},
    {"present": {"value": 0, "seq": 1}},
    {"present": {"value": 5000, "seq": 1}},
    {"present": {"value": 20}},
])
def test_malformed_taps_are_refused_and_none_is_kept(world: Any, api: Any,
                                                    body: dict[str, Any]) -> None:
    obs = make_observation(world)
    good = {"id": "ok", "prompt": obs.prompt_id, "delta": 1}
    if "events" in body and isinstance(body["events"], list):
        body = {**body, "events": [good, *body["events"]]}
    response = api(world.people["colleague"]).post(f"/observations/{obs.pk}/tallies", body)
    assert response.status_code == 400, response.json()
    assert response.json()["error"]["message"]
    assert not TallyEvent.objects.exists()
    obs.refresh_from_db()
    assert obs.students_present is None


def test_a_closed_window_refuses_taps_with_its_reason(world: Any, api: Any) -> None:
    obs = make_observation(world, opens=timedelta(hours=-3), closes=timedelta(hours=-1))
    response = api(world.people["colleague"]).post(f"/observations/{obs.pk}/tallies", {
        "events": [{"id": "late", "prompt": obs.prompt_id, "delta": 1}]})
    assert response.status_code == 403
    assert "window closed" in response.json()["error"]["message"]
    assert not TallyEvent.objects.exists()


def test_an_observer_no_longer_named_gets_404(world: Any, api: Any) -> None:
    obs = make_observation(world)
    client = api(world.people["colleague"])
    assert client.get(f"/observations/{obs.pk}").status_code == 200
    ObservationRequest.objects.filter(pk=obs.pk).update(observer=world.people["outsider"])
    assert client.get(f"/observations/{obs.pk}").status_code == 404
    tap = {"events": [{"id": "a", "prompt": obs.prompt_id, "delta": 1}]}
    assert client.post(f"/observations/{obs.pk}/tallies", tap).status_code == 404
    assert client.get("/observations").json()["results"] == []
    assert not TallyEvent.objects.exists()


def test_a_requester_removed_from_the_team_or_stripped_of_her_role_gets_404(
        world: Any, api: Any) -> None:
    obs = make_observation(world)
    team = Team.objects.create(district=world.district, name="Grade 3 PLC")
    team.members.set([world.people["teacher"], world.people["colleague"]])
    obs.inquiry.team = team
    obs.inquiry.save(update_fields=["team"])
    ObservationRequest.objects.filter(pk=obs.pk).update(
        requested_by=world.people["colleague"], observer=world.people["outsider"])
    asha = api(world.people["colleague"])
    assert asha.get(f"/observations/{obs.pk}").status_code == 200
    do_remove_team_member(world.people["teacher"], team, world.people["colleague"])
    assert asha.get(f"/observations/{obs.pk}").status_code == 404
    jamie = api(world.people["teacher"])
    assert jamie.get(f"/observations/{obs.pk}").status_code == 200
    RoleAssignment.objects.filter(user=world.people["teacher"]).delete()
    assert jamie.get(f"/observations/{obs.pk}").status_code == 404


def test_a_request_is_made_through_the_page_s_action(world: Any, api: Any) -> None:
    body = examples.new_request(world, {})
    response = api(world.people["teacher"]).post("/observations", body)
    assert response.status_code == 201, response.json()
    made = response.json()
    assert made["observer"] == "Cora Coach" and made["standing"] == "owner"
    assert ObservationRequest.objects.get(pk=made["id"]).observer == world.people["coach"]
    invited = api(world.people["teacher"]).post("/observations", {
        **body, "observer_id": None, "email": "visitor@example.org",
        "opens_at": "2030-01-07T09:00:00", "closes_at": "2030-01-07T10:00:00"})
    assert invited.status_code == 201, invited.json()
    assert invited.json()["observer"] == "visitor@example.org"
    sent = ObservationRequest.objects.get(pk=invited.json()["id"])
    assert sent.invitation is not None and sent.invitation.email == "visitor@example.org"


def _attacks(world: Any) -> list[tuple[dict[str, Any], str]]:
    body = examples.new_request(world, {})
    other = do_create_inquiry(world.people["colleague"], title="Asha's", prediction="x")
    count = Measure.objects.create(inquiry=other, name="Count", kind=Measure.Kind.SCORE)
    own_score = Measure.objects.create(inquiry_id=body["inquiry_id"], name="Score",
                                       kind=Measure.Kind.SCORE)
    past = (timezone.now() - timedelta(hours=2)).isoformat()
    return [
        ({**body, "measure_id": "abc"}, "measure_id"),
        ({**body, "measure_id": 999_999}, "measure_id"),
        ({**body, "measure_id": count.pk}, "measure_id"),
        ({**body, "measure_id": own_score.pk}, "measure_id"),
        ({**body, "section_id": world.other_section.pk}, "section_id"),
        ({**body, "prompt_id": 999_999}, "prompt_id"),
        ({**body, "observer_id": world.people["other_coordinator"].pk}, "observer_id"),
        ({**body, "observer_id": world.people["teacher"].pk}, "observer_id"),
        ({**body, "email": "not an address", "observer_id": None}, "email"),
        ({**body, "email": "x@example.org"}, ""),
        ({**body, "observer_id": None}, ""),
        ({**body, "closes_at": past}, ""),
        ({**body, "opens_at": "tomorrow"}, "opens_at"),
        ({**body, "message": "x" * 2001}, "message"),
    ]


def test_malformed_requests_are_refused_and_nothing_is_saved(world: Any, api: Any) -> None:
    client = api(world.people["teacher"])
    attacks = _attacks(world)
    before = ObservationRequest.objects.count()
    for body, field in attacks:
        response = client.post("/observations", body)
        assert response.status_code == 400, (field, response.json())
        error = response.json()["error"]
        assert (field in error["fields"]) if field else error["message"], (field, error)
    assert ObservationRequest.objects.count() == before
    assert not mail.outbox


def test_another_person_s_inquiry_is_not_found(world: Any, api: Any) -> None:
    body = examples.new_request(world, {})
    for person in ("colleague", "coach", "other_coordinator"):
        response = api(world.people[person]).post("/observations", body)
        assert response.status_code == 404
    assert ObservationRequest.objects.count() == 1


def test_the_owner_withdraws_a_request_and_the_observer_can_no_longer_tally(
        world: Any, api: Any) -> None:
    obs = make_observation(world)
    observer = api(world.people["colleague"])
    assert observer.post(f"/observations/{obs.pk}/cancel").status_code == 404
    withdrawn = api(world.people["teacher"]).post(f"/observations/{obs.pk}/cancel")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "cancelled"
    assert withdrawn.json()["window"] == "closed"
    again = api(world.people["teacher"]).post(f"/observations/{obs.pk}/cancel")
    assert again.status_code == 200
    refused = observer.post(f"/observations/{obs.pk}/tallies", {
        "events": [{"id": "a", "prompt": obs.prompt_id, "delta": 1}]})
    assert refused.status_code == 403
    assert "withdrew" in refused.json()["error"]["message"]
    assert not TallyEvent.objects.exists()


def test_a_submitted_observation_cannot_be_withdrawn(world: Any, api: Any) -> None:
    obs = make_observation(world)
    ObservationRequest.objects.filter(pk=obs.pk).update(
        status=ObservationRequest.Status.SUBMITTED)
    response = api(world.people["teacher"]).post(f"/observations/{obs.pk}/cancel")
    assert response.status_code == 400
    assert "already submitted" in response.json()["error"]["message"]
    obs.refresh_from_db()
    assert obs.status == ObservationRequest.Status.SUBMITTED
