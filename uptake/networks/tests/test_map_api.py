"""The map's API: the whole network's measures and brokers for coordinators and
researchers, her own ties for a teacher, a school's numbers for its leader."""

from __future__ import annotations

from typing import Any

import pytest

from uptake.audit.models import AuditEvent
from uptake.networks.tests.examples_map import scene

pytestmark = pytest.mark.django_db


def test_a_coordinator_reads_the_measures_under_filters(world: Any, api: Any) -> None:
    scene(world)
    client = api(world.people["coordinator"])
    everything = client.get("/networks/map/measures")
    assert everything.status_code == 200, everything.content
    body = everything.json()
    assert body["ties"] == 4
    assert {n["label"] for n in body["nodes"]} >= {"Jamie Nguyen", "Pat Podcast (Teaching Podcast)"}
    jamie = next(n for n in body["nodes"] if n["label"] == "Jamie Nguyen")
    assert (jamie["in_degree"], jamie["out_degree"]) == (2, 1)
    assert [b["role"] for b in jamie["brokerage"]] == [
        "coordinator", "itinerant", "representative", "gatekeeper", "liaison"]
    advice = client.get("/networks/map/measures", {"relation": "advice", "min_weight": 5})
    assert advice.json()["ties"] == 1
    assert AuditEvent.objects.filter(action="network_viewed").count() == 2


def test_a_period_ending_before_it_starts_is_refused(world: Any, api: Any) -> None:
    response = api(world.people["researcher"]).get(
        "/networks/map/measures", {"since": "2026-05-01", "until": "2026-01-01"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "until": ["until (2026-01-01) is before since (2026-05-01)."]}


def test_the_brokers_say_who_stands_between_others(world: Any, api: Any) -> None:
    scene(world)
    body = api(world.people["researcher"]).get("/networks/map/brokers").json()
    # Asha passes the coach's advice on to Jamie, and Jamie hers to Miguel: neither holds a
    # formal role.
    assert {n["label"] for n in body["informal"]} <= {"Jamie Nguyen", "Asha Patel"}
    assert body["informal"] and all(not n["formal_role"] for n in body["informal"])


def test_a_teacher_reads_her_own_ties_and_nobody_elses(world: Any, api: Any) -> None:
    scene(world)
    body = api(world.people["teacher"]).get("/networks/map/ego").json()
    assert {t["other"] for t in body["learns_from"]} == {
        "Asha Patel", "Pat Podcast (Teaching Podcast)"}
    assert [t["other"] for t in body["learned_from_by"]] == ["Miguel Garcia"]
    # Miguel named that tie: its layer would tell her so; her own two say "reported".
    assert [t["layer"] for t in body["learned_from_by"]] == [""]
    assert [t["layer"] for t in body["learns_from"]] == ["reported", "reported"]
    assert api(world.people["teacher"]).get("/networks/map/measures").status_code == 404


def test_a_leader_reads_her_schools_numbers_only(world: Any, api: Any, settings: Any) -> None:
    settings.MIN_GROUP_SIZE = 3
    scene(world)
    client = api(world.people["leader"])
    cedar = client.get(f"/networks/map/schools/{world.cedar.pk}")
    assert cedar.status_code == 200
    body = cedar.json()
    assert (body["people"], body["withheld"], body["ties"], body["ties_inside"]) == (
        4, False, 4, 2)
    assert "Jamie" not in cedar.content.decode()
    assert client.get(f"/networks/map/schools/{world.birch.pk}").status_code == 404
    assert client.get("/networks/map/measures").status_code == 404


def test_a_small_schools_numbers_are_withheld(world: Any, api: Any, settings: Any) -> None:
    settings.MIN_GROUP_SIZE = 5
    scene(world)
    body = api(world.people["leader"]).get(f"/networks/map/schools/{world.cedar.pk}").json()
    assert body["withheld"] and body["density"] is None and body["min_group_size"] == 5


def test_another_districts_coordinator_cannot_read_this_districts_school(
        world: Any, api: Any) -> None:
    scene(world)
    client = api(world.people["other_coordinator"])
    assert client.get(f"/networks/map/schools/{world.cedar.pk}").status_code == 404
    assert client.get("/networks/map/measures").json()["ties"] == 0
