"""The ties API: the same rules as the pages, through the same actions. A teacher never
reads another's named ties; bad payloads are refused with the field at fault and nothing
saved; access lapses at once."""

from __future__ import annotations

from typing import Any

import pytest

from uptake.audit.models import AuditEvent
from uptake.inquiry.actions import do_create_inquiry, do_share_inquiry
from uptake.networks.actions.ties import NamedTieData, do_add_relation, do_name_tie
from uptake.networks.models import Contact, Relation, Tie

pytestmark = pytest.mark.django_db


def test_she_names_and_removes_her_own_ties_through_the_api(world: Any, api: Any) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    client = api(jamie)
    made = client.post("/networks/ties/mine", {"direction": "to", "relation": "information",
                                               "frequency": "daily", "person_id": asha.pk})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["direction"], body["other"], body["weight"], body["frequency"]) == (
        "to", f"p{asha.pk}", 4, "Daily")
    tie = Tie.objects.get()
    assert (tie.source_person, tie.target_person) == (jamie, asha)  # she → her: Asha learns
    assert [t["id"] for t in client.get("/networks/ties/mine").json()] == [tie.pk]
    assert client.delete(f"/networks/ties/mine/{tie.pk}").status_code == 204
    assert not Tie.objects.exists()


def test_a_teacher_never_reads_nor_removes_another_s_named_ties(world: Any, api: Any) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    tie = do_name_tie(asha, NamedTieData(direction="from", relation="advice",
                                         frequency="weekly", person=jamie))
    client = api(jamie)
    assert client.get("/networks/ties/mine").json() == []
    assert client.delete(f"/networks/ties/mine/{tie.pk}").status_code == 404
    assert client.get("/networks/known").status_code == 404
    # The coordinator reads the whole network, never edits a person's own ties.
    assert api(world.people["coordinator"]).delete(
        f"/networks/ties/mine/{tie.pk}").status_code == 404
    assert Tie.objects.filter(pk=tie.pk).exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"person_id": "OTHER_DISTRICT"}, "person_id"),
    ({"person_id": "ME"}, "person"),
    ({"contact_id": 999999}, "contact_id"),
    ({"relation": "coaching"}, "relation"),
    ({"person_id": None}, "person"),
    ({"observed_on": "2999-01-01"}, "observed_on"),
])
def test_a_tie_it_cannot_use_is_refused_on_its_field_and_nothing_is_saved(
        world: Any, api: Any, change: dict[str, Any], field: str) -> None:
    jamie = world.people["teacher"]
    values = {"ME": jamie.pk, "OTHER_DISTRICT": world.people["other_coordinator"].pk}
    body = {"direction": "from", "relation": "advice", "frequency": "monthly",
            "person_id": world.people["colleague"].pk, **change}
    body = {k: values.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    response = api(jamie).post("/networks/ties/mine", body)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Tie.objects.exists()


def test_a_person_outside_the_network_gets_one_answer_that_names_nobody(
        world: Any, api: Any) -> None:
    jamie = api(world.people["teacher"])
    world.people["coach"].is_active = False
    world.people["coach"].save(update_fields=["is_active"])
    answers = set()
    for who in ("researcher", "assessor", "coach", "other_coordinator", None):
        person_id = world.people[who].pk if who else 987654
        response = jamie.post("/networks/ties/mine", {
            "direction": "from", "relation": "advice", "frequency": "weekly",
            "person_id": person_id})
        assert response.status_code == 400
        if who:
            assert world.people[who].last_name not in response.content.decode()
        answers.add(response.json()["error"]["message"])
    assert answers == {"Choose a colleague of your district."}
    assert not Tie.objects.exists()


@pytest.mark.parametrize("body", [
    {"direction": "sideways", "relation": "advice", "frequency": "weekly", "contact_id": 1},
    {"direction": "from", "relation": "advice", "frequency": "hourly", "contact_id": 1},
    {"direction": "from", "relation": "advice", "frequency": "weekly", "contact_id": -4},
    {"direction": "from", "relation": "x" * 41, "frequency": "weekly", "contact_id": 1},
    {"direction": "from", "relation": "advice", "frequency": "weekly", "note": "n" * 301},
])
def test_a_malformed_payload_is_a_400_not_a_500(world: Any, api: Any,
                                                body: dict[str, Any]) -> None:
    response = api(world.people["teacher"]).post("/networks/ties/mine", body)
    assert response.status_code == 400
    assert not Tie.objects.exists()


def test_a_coordinator_keeps_relations_and_one_in_use_is_refused_with_the_count(
        world: Any, api: Any) -> None:
    client = api(world.people["coordinator"])
    made = client.post("/networks/relations", {"label": "Assessment advice"})
    assert made.status_code == 201 and made.json()["key"] == "assessment_advice"
    keys = [r["key"] for r in client.get("/networks/relations").json()]
    assert keys == ["advice", "information", "collaboration", "assessment_advice"]
    do_name_tie(world.people["teacher"], NamedTieData(
        direction="from", relation="assessment_advice", frequency="weekly",
        person=world.people["coach"]))
    refused = client.delete(f"/networks/relations/{made.json()['id']}")
    assert refused.status_code == 409
    assert refused.json()["error"]["message"].startswith(
        "1 tie carries the relation “Assessment advice”")
    assert Relation.objects.count() == 1
    teacher = api(world.people["teacher"]).post("/networks/relations", {"label": "Other"})
    assert teacher.status_code == 403 and Relation.objects.count() == 1


def test_an_educator_lists_and_names_only_her_own_contacts(world: Any, api: Any) -> None:
    hers = api(world.people["teacher"]).post("/networks/contacts", {
        "name": "Dr. Liu", "kind": "person", "platform": "Bluesky"}).json()["id"]
    coachs = api(world.people["coach"]).post("/networks/contacts", {
        "name": "#ElemMathChat", "kind": "community", "platform": "Bluesky"}).json()["id"]
    jamie = api(world.people["teacher"])
    assert [c["id"] for c in jamie.get("/networks/contacts").json()["results"]] == [hers]
    for reader in ("coordinator", "researcher"):
        listed = api(world.people[reader]).get("/networks/contacts").json()["results"]
        assert sorted(c["id"] for c in listed) == sorted([hers, coachs])
    refused = jamie.post("/networks/ties/mine", {"direction": "from", "relation": "advice",
                                                 "frequency": "daily", "contact_id": coachs})
    assert refused.status_code == 400 and "#ElemMathChat" not in refused.content.decode()
    assert not Tie.objects.exists()
    # A tie she reports to a contact makes it hers to list.
    assert jamie.post("/networks/ties/mine", {"direction": "from", "relation": "advice",
                                              "frequency": "daily", "contact_id": hers}
                      ).status_code == 201


def test_contacts_are_added_by_educators_and_corrected_by_coordinators(
        world: Any, api: Any) -> None:
    made = api(world.people["coach"]).post("/networks/contacts", {
        "name": "#ElemMathChat", "kind": "community", "platform": "Bluesky"})
    assert made.status_code == 201
    again = api(world.people["teacher"]).post("/networks/contacts", {
        "name": "#elemmathchat", "kind": "community", "platform": "bluesky"})
    assert again.json()["id"] == made.json()["id"] and Contact.objects.count() == 1
    contact_id = made.json()["id"]
    assert api(world.people["coach"]).put(f"/networks/contacts/{contact_id}", {
        "name": "Elem Math Chat"}).status_code == 404
    coordinator = api(world.people["coordinator"])
    fixed = coordinator.put(f"/networks/contacts/{contact_id}", {
        "name": "Elem Math Chat", "kind": "community", "platform": "Bluesky"})
    assert fixed.json()["name"] == "Elem Math Chat"
    assert coordinator.delete(f"/networks/contacts/{contact_id}").status_code == 204
    assert not Contact.objects.exists()


def test_the_known_layer_is_read_by_the_whole_networks_readers_and_audited(
        world: Any, api: Any) -> None:
    jamie, coach = world.people["teacher"], world.people["coach"]
    inquiry = do_create_inquiry(jamie, title="Exit tickets")
    do_share_inquiry(jamie, inquiry, coach, share=True)
    rows = api(world.people["researcher"]).get("/networks/known").json()
    assert [(r["source"], r["target"], r["relation"]) for r in rows] == [
        (f"p{coach.pk}", f"p{jamie.pk}", "coaching")]
    assert AuditEvent.objects.filter(action="network_viewed",
                                     actor=world.people["researcher"]).exists()
    backwards = api(world.people["researcher"]).get(
        "/networks/known", {"since": "2026-10-01", "until": "2026-09-01"})
    assert backwards.status_code == 400


def test_her_access_lapses_at_once(world: Any, api: Any) -> None:
    from uptake.accounts.actions import do_deactivate_person, do_revoke_role

    jamie, asha = world.people["teacher"], world.people["colleague"]
    coordinator = world.people["coordinator"]
    do_add_relation(coordinator, label="Assessment advice")
    mine = do_name_tie(jamie, NamedTieData(direction="from", relation="advice",
                                           frequency="weekly", person=asha))
    hers = do_name_tie(asha, NamedTieData(direction="from", relation="advice",
                                          frequency="weekly", person=jamie))
    jamie_client, asha_client = api(jamie), api(asha)
    for assignment in jamie.roles.all():
        do_revoke_role(actor=coordinator, assignment=assignment)
    assert jamie_client.get("/networks/ties/mine").status_code == 404
    assert jamie_client.delete(f"/networks/ties/mine/{mine.pk}").status_code == 404
    assert jamie_client.get("/networks/relations").status_code == 404
    do_deactivate_person(actor=coordinator, person=asha)
    assert asha_client.get("/networks/ties/mine").status_code == 401
    assert asha_client.delete(f"/networks/ties/mine/{hers.pk}").status_code == 401
    assert Tie.objects.count() == 2
