"""Evidence metadata through the API: the same people see the same artifacts as on the
pages, reading identifying evidence is audited as on its page, no file bytes or text leave
through the API, and only the owner changes the metadata, with refusals saving nothing."""

from __future__ import annotations

from typing import Any

import pytest

from uptake.accounts.models import Role, RoleAssignment
from uptake.audit.models import AuditAction, AuditEvent
from uptake.evidence.models import Artifact
from uptake.evidence.tests import examples
from uptake.evidence.tests.files import jpeg
from uptake.inquiry.actions import do_create_inquiry
from uptake.inquiry.models import Inquiry

pytestmark = pytest.mark.django_db


def _call(client: Any, method: str, url: str, body: Any) -> Any:
    if method == "GET":
        return client.get(url)
    return getattr(client, method.lower())(url, body)


def test_every_persona_reaches_exactly_the_evidence_declared(world: Any, api: Any) -> None:
    for key, cases in examples.API_EXAMPLES.items():
        method, path = key.split(" ", 1)
        for case in cases:
            for persona, user in [("anonymous", None), *world.people.items()]:
                params = case["params"](world)
                body = case["body"](world, params) if "body" in case else None
                status = _call(api(user), method, path.format(**params), body).status_code
                expected = (401 if persona == "anonymous"
                            else 200 if persona in case["allowed"] else 404)
                assert status == expected, (key, case["label"], persona, status)


def test_the_list_is_her_evidence_and_what_was_shared_with_her(world: Any, api: Any) -> None:
    private = examples.artifact(world)
    shared = examples.artifact(world, shared=True)
    examples.artifact(world, shared=True, identifies=True)
    own = api(world.people["teacher"]).get("/evidence/artifacts").json()["results"]
    assert len(own) == 3 and all(a["is_mine"] for a in own)
    seen = api(world.people["colleague"]).get("/evidence/artifacts").json()["results"]
    assert [a["id"] for a in seen] == [shared.pk]
    assert seen[0]["owner_name"] == "Jamie Nguyen" and not seen[0]["is_mine"]
    mine = api(world.people["teacher"]).get("/evidence/artifacts", {"mine": "false"})
    assert mine.json()["results"] == []
    assert private.pk not in [a["id"] for a in api(world.people["coordinator"]).get(
        "/evidence/artifacts").json()["results"]]


def test_filters_narrow_the_list_and_junk_is_refused(world: Any, api: Any) -> None:
    first = examples.artifact(world)
    client = api(world.people["teacher"])
    assert [a["id"] for a in client.get("/evidence/artifacts", {"kind": "text"}).json()[
        "results"]] == [first.pk]
    assert client.get("/evidence/artifacts", {"kind": "photo"}).json()["results"] == []
    assert client.get("/evidence/artifacts", {"guskey_level": 3}).json()["results"] == []
    assert client.get("/evidence/artifacts", {"date_from": "2999-01-01"}).json()[
        "results"] == []
    for junk in ({"kind": "poster"}, {"guskey_level": 9}, {"date_to": "soon"}):
        refused = client.get("/evidence/artifacts", junk)
        assert refused.status_code == 400, junk
        assert set(refused.json()["error"]["fields"]) == set(junk)


def test_metadata_carries_no_text_and_points_to_the_page_s_download(world: Any, api: Any,
                                                                    upload: Any) -> None:
    text = examples.artifact(world)
    assert upload("anchor.jpg", jpeg()).status_code == 302
    photo = Artifact.objects.get(kind="photo")
    client = api(world.people["teacher"])
    body = client.get(f"/evidence/artifacts/{text.pk}").json()
    assert "Most explained" not in str(body) and body["download_url"] is None
    assert body["guskey_label"] == "4 Use of new knowledge and skills"
    got = client.get(f"/evidence/artifacts/{photo.pk}").json()
    assert got["content_type"] == "image/jpeg" and got["size"] == photo.size
    assert got["download_url"] == f"http://testserver/evidence/{photo.pk}/file/"
    assert got["identifies_students"] is True and got["shared"] is False


def test_reading_identifying_evidence_is_audited_as_on_its_page(world: Any, api: Any) -> None:
    made = examples.artifact(world, shared=True, identifies=True, coaches=("coach",))
    api(world.people["teacher"]).get(f"/evidence/artifacts/{made.pk}")
    assert not AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ).exists()
    api(world.people["coach"]).get(f"/evidence/artifacts/{made.pk}")
    event = AuditEvent.objects.get(action=AuditAction.STUDENT_DATA_READ)
    assert event.actor == world.people["coach"] and "Exit-ticket notes" in event.summary


def test_a_coach_moved_to_another_school_loses_the_evidence_she_was_named_for(
        world: Any, api: Any) -> None:
    made = examples.artifact(world, shared=True, identifies=True, coaches=("coach",))
    client = api(world.people["coach"])
    assert client.get(f"/evidence/artifacts/{made.pk}").status_code == 200
    RoleAssignment.objects.filter(user=world.people["coach"], role=Role.COACH).update(
        school=world.birch)
    assert client.get(f"/evidence/artifacts/{made.pk}").status_code == 404
    assert client.get("/evidence/artifacts").json()["results"] == []


def test_unsharing_and_a_revoked_role_close_the_evidence(world: Any, api: Any) -> None:
    made = examples.artifact(world, shared=True)
    colleague = api(world.people["colleague"])
    assert colleague.get(f"/evidence/artifacts/{made.pk}").status_code == 200
    RoleAssignment.objects.filter(user=world.people["colleague"]).delete()
    assert colleague.get(f"/evidence/artifacts/{made.pk}").status_code == 404
    leader = api(world.people["leader"])
    assert leader.get(f"/evidence/artifacts/{made.pk}").status_code == 200
    owner = api(world.people["teacher"])
    response = owner.patch(f"/evidence/artifacts/{made.pk}", {"shared": False})
    assert response.status_code == 200 and response.json()["shared"] is False
    assert leader.get(f"/evidence/artifacts/{made.pk}").status_code == 404


def test_the_owner_changes_metadata_and_the_change_is_audited(world: Any, api: Any) -> None:
    made = examples.artifact(world)
    inquiry = do_create_inquiry(world.people["teacher"], title="Math talk", prediction="More")
    cycle = inquiry.cycles.get()
    response = api(world.people["teacher"]).patch(f"/evidence/artifacts/{made.pk}", {
        "title": "Notes, week 2", "guskey_level": 5, "inquiry_id": inquiry.pk,
        "cycle_id": cycle.pk, "shared": True})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["guskey_level"], body["inquiry_id"], body["cycle_id"],
            body["shared"]) == ("Notes, week 2", 5, inquiry.pk, cycle.pk, True)
    made.refresh_from_db()
    assert made.body == "Most explained their steps."  # untouched
    changed = AuditEvent.objects.get(action=AuditAction.EVIDENCE_CHANGED)
    assert set(changed.details["changed"]) == {"title", "guskey_level", "inquiry", "cycle"}
    assert AuditEvent.objects.filter(action=AuditAction.EVIDENCE_SHARED).count() == 1


@pytest.mark.parametrize(("body", "field"), [
    ({"title": 42}, "title"),
    ({"title": ""}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": None}, "title"),
    ({"guskey_level": 6}, "guskey_level"),
    ({"guskey_level": "high"}, "guskey_level"),
    ({"kind": "poster"}, "kind"),
    ({"kind": "link"}, "link"),
    ({"identifies_students": "maybe"}, "identifies_students"),
    ({"inquiry_id": 999_999}, "inquiry_id"),
    ({"inquiry_id": "abc"}, "inquiry_id"),
    ({"cycle_id": 999_999}, "cycle_id"),
    ({"shared": None}, "shared"),
])
def test_malformed_changes_are_refused_with_nothing_saved(world: Any, api: Any,
                                                         body: dict[str, Any],
                                                         field: str) -> None:
    made = examples.artifact(world)
    before = Artifact.objects.filter(pk=made.pk).values().get()
    response = api(world.people["teacher"]).patch(f"/evidence/artifacts/{made.pk}", body)
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert field in error["fields"] or error["message"], error
    assert Artifact.objects.filter(pk=made.pk).values().get() == before
    assert not AuditEvent.objects.filter(action=AuditAction.EVIDENCE_CHANGED).exists()


def test_another_district_s_or_colleague_s_inquiry_cannot_be_attached(world: Any,
                                                                    api: Any) -> None:
    made = examples.artifact(world)
    theirs = do_create_inquiry(world.people["colleague"], title="Theirs", prediction="x")
    elsewhere = Inquiry.objects.create(district=world.other_district,
                                       owner=world.people["other_coordinator"], title="Oak")
    for inquiry in (theirs, elsewhere):
        response = api(world.people["teacher"]).patch(f"/evidence/artifacts/{made.pk}",
                                                      {"inquiry_id": inquiry.pk})
        assert response.status_code == 400
        assert response.json()["error"]["message"] == "Choose one of your inquiries."
    made.refresh_from_db()
    assert made.inquiry_id is None


def test_someone_else_s_evidence_cannot_be_changed(world: Any, api: Any) -> None:
    made = examples.artifact(world, shared=True)
    response = api(world.people["colleague"]).patch(f"/evidence/artifacts/{made.pk}",
                                                    {"title": "Mine now"})
    assert response.status_code == 404
    made.refresh_from_db()
    assert made.title == "Exit-ticket notes"
