"""The district, its schools and its people through the API: what a coordinator's data team
pulls, and the People page's role changes, for the same people the pages allow."""

from __future__ import annotations

from typing import Any

import pytest

from uptake.accounts.models import Role, RoleAssignment, User
from uptake.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert body["error"]["status"] == response.status_code
    return body["error"]


def _all(client: Any, path: str, **query: Any) -> list[dict[str, Any]]:
    """Every item of a list, following the cursor."""
    items: list[dict[str, Any]] = []
    response = client.get(path, query)
    while True:
        assert response.status_code == 200, response.content
        page = response.json()
        items += page["results"]
        if not page["next"]:
            return items
        response = client.get(page["next"].removeprefix("http://testserver"))


def test_a_coordinator_pulls_her_district_s_people_with_roles_and_schools(world, api):
    people = _all(api(world.people["coordinator"]), "/people")

    emails = {p["email"] for p in people}
    assert "jamie@maple.test" in emails and "renata@maple.test" in emails
    assert "olive@oak.test" not in emails  # another district's coordinator
    jamie = next(p for p in people if p["email"] == "jamie@maple.test")
    assert jamie["name"] == "Jamie Nguyen" and jamie["active"] is True
    assert [(r["role"], r["school_name"]) for r in jamie["roles"]] == [
        ("teacher", "Cedar Elementary")]
    assert jamie["school_ids"] == [world.cedar.pk]


def test_people_are_paginated_by_cursor_without_losing_or_repeating_anyone(world, api):
    client = api(world.people["coordinator"])
    first = client.get("/people", {"page_size": 3}).json()
    assert len(first["results"]) == 3 and first["next"]

    everyone = _all(client, "/people", page_size=3)

    assert len(everyone) == len({p["id"] for p in everyone}) == 8  # Maple's eight people


def test_filters_mean_one_role_at_one_school_as_on_the_people_page(world, api):
    client = api(world.people["coordinator"])
    # Jamie teaches at Cedar; the coach works at Cedar; Miguel teaches at Birch.
    teachers_at_cedar = _all(client, "/people", role="teacher", school=world.cedar.pk)
    assert {p["email"] for p in teachers_at_cedar} == {"jamie@maple.test", "asha@maple.test"}
    assert {p["email"] for p in _all(client, "/people", q="garcia")} == {"miguel@maple.test"}


def test_deactivated_people_are_listed_only_when_asked_for(world, api):
    world.people["colleague"].is_active = False
    world.people["colleague"].save()
    client = api(world.people["coordinator"])

    assert "asha@maple.test" not in {p["email"] for p in _all(client, "/people")}
    inactive = _all(client, "/people", status="inactive")
    assert [(p["email"], p["active"]) for p in inactive] == [("asha@maple.test", False)]


@pytest.mark.parametrize("persona", ["teacher", "coach", "leader", "assessor", "researcher"])
def test_only_coordinators_reach_people_and_the_district(world, api, persona):
    client = api(world.people[persona])
    person = world.people["teacher"].pk

    for path in ("/people", f"/people/{person}", "/districts",
                 f"/districts/{world.district.pk}"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert _error(response)["code"] == "not_found"


def test_another_district_s_coordinator_sees_none_of_maple(world, api):
    client = api(world.people["other_coordinator"])

    assert client.get(f"/people/{world.people['teacher'].pk}").status_code == 404
    assert client.get(f"/districts/{world.district.pk}").status_code == 404
    assert client.get(f"/schools/{world.cedar.pk}").status_code == 404
    assert [d["slug"] for d in client.get("/districts").json()["results"]] == ["oak-ridge"]
    assert [s["name"] for s in client.get("/schools").json()["results"]] == ["Elm High"]


def test_a_coordinator_whose_role_was_revoked_reaches_nothing_with_the_same_token(world, api):
    renata = world.people["coordinator"]
    client = api(renata)
    assert client.get("/people").status_code == 200
    RoleAssignment.objects.filter(user=renata, role=Role.COORDINATOR).delete()

    for path in ("/people", f"/people/{world.people['teacher'].pk}", "/districts",
                 "/schools", f"/schools/{world.cedar.pk}"):
        assert client.get(path).status_code == 404, path


def test_schools_are_listed_as_the_pages_show_them(world, api):
    coordinator = {s["name"] for s in _all(api(world.people["coordinator"]), "/schools")}
    leader = [s["name"] for s in _all(api(world.people["leader"]), "/schools")]

    assert coordinator == {"Cedar Elementary", "Birch Middle"}
    assert leader == ["Cedar Elementary"]  # her own school, as on her home page
    assert api(world.people["leader"]).get(f"/schools/{world.birch.pk}").status_code == 404
    assert api(world.people["teacher"]).get("/schools").status_code == 404


def test_a_leader_moved_to_another_school_sees_that_school_only(world, api):
    lee = world.people["leader"]
    client = api(lee)
    RoleAssignment.objects.filter(user=lee).update(school=world.birch)

    assert [s["name"] for s in _all(client, "/schools")] == ["Birch Middle"]
    assert client.get(f"/schools/{world.cedar.pk}").status_code == 404


def test_a_coordinator_grants_a_role_and_the_log_names_the_token(world, api):
    client = api(world.people["coordinator"])
    asha = world.people["colleague"]

    response = client.post(f"/people/{asha.pk}/roles",
                           {"role": "coach", "school_id": world.cedar.pk})

    assert response.status_code == 201
    assert response.json()["role"] == "coach"
    assert response.json()["school_name"] == "Cedar Elementary"
    assert asha.roles.filter(role=Role.COACH, school=world.cedar).exists()
    event = AuditEvent.objects.get(action=AuditAction.ROLE_GRANTED)
    assert event.actor == world.people["coordinator"]
    assert event.details["credential"].startswith("personal token")
    assert client.secret not in str(event.details)


@pytest.mark.parametrize(("body", "message"), [
    ({"role": "coach", "school_id": None}, "is held for a school"),
    ({"role": "coordinator", "school_id": "cedar"}, "is held district-wide"),
    ({"role": "teacher", "school_id": "elm"}, "no such school in your district"),
    ({"role": "teacher", "school_id": "birch-twice"}, "already holds"),
])
def test_a_role_that_cannot_be_granted_is_refused_with_the_reason(world, api, body, message):
    schools = {"cedar": world.cedar.pk, "elm": world.elm.pk, "birch-twice": world.birch.pk}
    body = {**body, "school_id": schools.get(body["school_id"], body["school_id"])}
    miguel = world.people["outsider"]  # already a teacher at Birch
    before = list(RoleAssignment.objects.values_list("pk", "user_id", "role", "school_id"))

    response = api(world.people["coordinator"]).post(f"/people/{miguel.pk}/roles", body)

    assert response.status_code == 400
    assert message.lower() in _error(response)["message"].lower()
    assert list(RoleAssignment.objects.values_list("pk", "user_id", "role", "school_id")) \
        == before


def test_an_unknown_role_is_refused_before_anything_runs(world, api):
    response = api(world.people["coordinator"]).post(
        f"/people/{world.people['outsider'].pk}/roles", {"role": "superuser"})

    assert response.status_code == 400
    assert "role" in _error(response)["fields"]


def test_revoking_a_role_takes_the_class_away_at_once(world, api):
    jamie = world.people["teacher"]
    jamie_client = api(jamie)
    assert jamie_client.get(f"/classes/{world.section.pk}").status_code == 200
    role = jamie.roles.get(role=Role.TEACHER)

    response = api(world.people["coordinator"]).delete(f"/people/{jamie.pk}/roles/{role.pk}")

    assert response.status_code == 204
    assert not jamie.roles.exists()
    assert jamie_client.get(f"/classes/{world.section.pk}").status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.ROLE_REVOKED).count() == 1


def test_a_coordinator_cannot_revoke_her_own_coordinator_role(world, api):
    renata = world.people["coordinator"]
    role = renata.roles.get(role=Role.COORDINATOR)

    response = api(renata).delete(f"/people/{renata.pk}/roles/{role.pk}")

    assert response.status_code == 400
    assert "your own coordinator role" in _error(response)["message"]
    assert renata.roles.filter(role=Role.COORDINATOR).exists()


def test_a_role_of_someone_else_cannot_be_revoked_through_another_person(world, api):
    jamie_role = world.people["teacher"].roles.get()
    asha = world.people["colleague"]

    response = api(world.people["coordinator"]).delete(
        f"/people/{asha.pk}/roles/{jamie_role.pk}")

    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=jamie_role.pk).exists()


def test_a_deactivated_person_s_token_stops_working(world, api):
    jamie_client = api(world.people["teacher"])
    coordinator = api(world.people["coordinator"])

    response = coordinator.post(f"/people/{world.people['teacher'].pk}/deactivate")

    assert response.status_code == 200 and response.json()["active"] is False
    assert jamie_client.get("/me").status_code == 401
    again = coordinator.post(f"/people/{world.people['teacher'].pk}/reactivate")
    assert again.status_code == 200 and again.json()["active"] is True
    assert jamie_client.get("/me").status_code == 200


def test_a_coordinator_cannot_deactivate_herself(world, api):
    renata = world.people["coordinator"]

    response = api(renata).post(f"/people/{renata.pk}/deactivate")

    assert response.status_code == 400
    assert User.objects.get(pk=renata.pk).is_active


BIG = "9" * 23  # past any database's integer key


@pytest.mark.parametrize(("path", "query"), [
    ("/people", {"school": BIG}),
    ("/people", {"q": "Jamie\x00"}),
    ("/classes", {"school": BIG}),
    ("/classes", {"academic_session": BIG}),
    ("/classes", {"q": "\x00"}),
    ("/audit/events", {"actor": BIG}),
    ("/audit/events", {"student": "S-\x00"}),
    ("/audit/events", {"object_id": "\x00"}),
])
def test_junk_in_a_filter_is_refused_by_name_not_answered_with_a_server_error(world, api, path,
                                                                            query):
    response = api(world.people["coordinator"]).get(path, query)

    assert response.status_code == 400
    assert set(_error(response)["fields"]) == set(query)


def test_an_id_past_any_key_is_simply_not_found(world, api):
    client = api(world.people["coordinator"])

    for path in (f"/people/{BIG}", f"/schools/{BIG}", f"/classes/{BIG}/students",
                 f"/roster-imports/{BIG}"):
        assert client.get(path).status_code == 404, path
    granted = client.post(f"/people/{world.people['colleague'].pk}/roles",
                          {"role": "coach", "school_id": int(BIG)})
    assert granted.status_code == 400


def test_the_document_names_every_role_uptake_knows():
    """A role added to the model but not to the API's list would break every answer
    naming it."""
    from typing import get_args

    from uptake.accounts.api import RoleName

    assert set(get_args(RoleName)) == set(Role.values)


def test_a_coordinator_adds_a_person_who_is_e_mailed_a_link(world, api, mailoutbox):
    response = api(world.people["coordinator"]).post("/people", {
        "first_name": "Noor", "last_name": "Haddad", "email": "Noor@Maple.test",
        "role": "teacher", "school_id": world.birch.pk})

    assert response.status_code == 201
    noor = response.json()
    assert noor["email"] == "noor@maple.test" and noor["name"] == "Noor Haddad"
    assert [(r["role"], r["school_name"]) for r in noor["roles"]] == [
        ("teacher", "Birch Middle")]
    assert User.objects.get(pk=noor["id"]).district == world.district
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_CREATED).count() == 1


@pytest.mark.parametrize(("change", "field_or_text"), [
    ({"email": "jamie@maple.test"}, "already used by someone in your district"),
    ({"email": "olive@oak.test"}, "cannot be given to an account here"),
    ({"email": "not an address"}, "is not a valid e-mail address"),
    ({"school_id": None}, "is held for a school"),
    ({"first_name": ""}, "first_name"),
])
def test_a_person_who_cannot_be_added_is_refused_and_nothing_is_made(world, api, change,
                                                                     field_or_text):
    people = User.objects.count()
    body = {"first_name": "Noor", "last_name": "Haddad", "email": "noor@maple.test",
            "role": "teacher", "school_id": world.birch.pk, **change}

    response = api(world.people["coordinator"]).post("/people", body)

    assert response.status_code == 400
    error = _error(response)
    assert field_or_text in error["message"] or field_or_text in error["fields"]
    assert User.objects.count() == people
