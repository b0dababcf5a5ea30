"""The Open Badges area of the JSON API (``/api/v1/badges``): an educator reads her own
signed credentials exactly as issued; a coordinator lists her district's and revokes one
with a reason; anyone signed in verifies a credential; access that lapses closes at once;
bad input gets a specific message in the API's envelope."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from uptake.accounts.models import Role, RoleAssignment
from uptake.audit.models import AuditEvent
from uptake.badges.api import VERIFY_MAX_BYTES
from uptake.badges.models import Badge
from uptake.badges.tests.fixtures import document, issued
from uptake.openbadges import status

pytestmark = pytest.mark.django_db

ENVELOPE = {"status", "code", "message", "fields", "rows"}


def _error(response: Any, status_code: int) -> dict[str, Any]:
    assert response.status_code == status_code, response.content[:500]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ENVELOPE, body
    assert body["error"]["status"] == status_code
    return dict(body["error"])


def test_an_educator_reads_her_own_credentials_exactly_as_signed(world: Any, api: Any) -> None:
    badge = issued(world)
    theirs = issued(world, "colleague")
    me = api(world.people["teacher"])

    listed = me.get("/badges")
    assert listed.status_code == 200
    body = listed.json()
    assert set(body) == {"results", "next", "previous"}
    assert [b["uuid"] for b in body["results"]] == [str(badge.uuid)]
    row = body["results"][0]
    assert row["credential_id"] == f"urn:uuid:{badge.uuid}"
    assert row["achievement"] == badge.award.version.title
    assert row["issuer"] == world.district.name
    assert row["issuer_id"].startswith("did:web:")
    assert row["status"] == "active" and row["shared"] is False
    assert row["links"]["self"].endswith(f"/api/v1/badges/{badge.uuid}")

    one = me.get(f"/badges/{badge.uuid}")
    assert one.status_code == 200
    # The exact signed object (its proof included) and the VC-JWT, never rebuilt.
    assert one.json()["credential"] == document(badge)
    assert json.dumps(one.json()["credential"]) == json.dumps(json.loads(badge.document))
    assert one.json()["jwt"] == badge.jwt and badge.jwt.count(".") == 2
    assert "ETag" in one

    assert _error(me.get(f"/badges/{theirs.uuid}"), 404)["code"] == "not_found"
    assert _error(me.get("/badges/6f1c2b0e-0000-4000-8000-000000000000"), 404)
    assert _error(me.get("/badges/not-a-uuid"), 400)["fields"].keys() == {"uuid"}


def test_the_links_lead_to_the_educator_s_downloads(world: Any, api: Any) -> None:
    from django.urls import NoReverseMatch, reverse

    badge = issued(world)
    links = api(world.people["teacher"]).get(f"/badges/{badge.uuid}").json()["links"]
    try:
        json_page = reverse("badges:award_json", args=[badge.award_id])
    except NoReverseMatch:
        assert links["json"] is None
        return
    assert links["json"].endswith(json_page)
    assert links["jwt"].endswith(reverse("badges:award_jwt", args=[badge.award_id]))


def test_a_coordinator_lists_her_district_s_credentials_page_by_page(world: Any,
                                                                    api: Any) -> None:
    mine, theirs = issued(world), issued(world, "colleague")
    coordinator = api(world.people["coordinator"])
    first = coordinator.get("/badges/district", {"page_size": "1"}).json()
    assert len(first["results"]) == 1 and first["next"]
    following = urlsplit(first["next"])
    second = coordinator.get(f"{following.path}?{following.query}").json()
    assert second["next"] is None
    seen = {first["results"][0]["uuid"], second["results"][0]["uuid"]}
    assert seen == {str(mine.uuid), str(theirs.uuid)}
    assert {r["educator_name"] for r in first["results"] + second["results"]} == {
        world.people["teacher"].display_name, world.people["colleague"].display_name}
    # Another district's coordinator sees none of them; an educator is not let in.
    assert api(world.people["other_coordinator"]).get("/badges/district").json()[
        "results"] == []
    assert _error(api(world.people["teacher"]).get("/badges/district"), 404)
    assert _error(coordinator.get("/badges/district", {"status": "lost"}), 400)[
        "fields"].keys() == {"status"}


def test_a_coordinator_revokes_with_a_reason_once(world: Any, api: Any) -> None:
    badge = issued(world)
    coordinator = api(world.people["coordinator"])
    done = coordinator.post(f"/badges/{badge.uuid}/revoke",
                            {"reason": "Awarded in error."})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "revoked"
    assert done.json()["revoked_reason"] == "Awarded in error."
    assert done.json()["revoked_by"] == world.people["coordinator"].display_name
    badge.refresh_from_db()
    assert badge.is_revoked
    assert status.get(bytes(badge.status_list.bits), badge.status_index)
    assert AuditEvent.objects.filter(action="badge_revoked").count() == 1
    # The educator sees it revoked; her credential is still hers to read.
    mine = api(world.people["teacher"]).get(f"/badges/{badge.uuid}").json()
    assert mine["status"] == "revoked" and mine["credential"] == document(badge)

    again = _error(coordinator.post(f"/badges/{badge.uuid}/revoke", {"reason": "Twice"}), 409)
    assert again["message"] == "This credential is already revoked."
    assert AuditEvent.objects.filter(action="badge_revoked").count() == 1


@pytest.mark.parametrize(("body", "field", "words"), [
    ({}, "reason", "Field required"),
    ({"reason": "   "}, "reason", "Say why the credential is revoked"),
    ({"reason": 7}, "reason", "valid string"),
    ({"reason": "x" * 2001}, "reason", "at most 2000 characters"),
])
def test_a_revocation_without_a_usable_reason_changes_nothing(
        world: Any, api: Any, body: dict[str, Any], field: str, words: str) -> None:
    badge = issued(world)
    refused = _error(api(world.people["coordinator"]).post(f"/badges/{badge.uuid}/revoke",
                                                             body), 400)
    assert field in refused["fields"]
    assert words in " ".join(refused["fields"][field])
    badge.refresh_from_db()
    assert not badge.is_revoked


def test_only_a_coordinator_of_the_district_revokes(world: Any, api: Any) -> None:
    badge = issued(world)
    for person in ("teacher", "assessor", "other_coordinator"):
        refused = _error(api(world.people[person]).post(f"/badges/{badge.uuid}/revoke",
                                                          {"reason": "No."}), 404)
        assert refused["message"] == "Not found, or not yours to see."
    badge.refresh_from_db()
    assert not badge.is_revoked


# --------------------------------------------------------------------------- lapses

def test_a_coordinator_whose_role_was_taken_away_reaches_nothing(world: Any, api: Any) -> None:
    badge = issued(world)
    coordinator = api(world.people["coordinator"])
    assert coordinator.get("/badges/district").json()["results"]
    RoleAssignment.objects.filter(user=world.people["coordinator"],
                                  role=Role.COORDINATOR).delete()
    assert _error(coordinator.get("/badges/district"), 404)
    assert _error(coordinator.post(f"/badges/{badge.uuid}/revoke", {"reason": "x"}), 404)
    assert not Badge.objects.get(pk=badge.pk).is_revoked


def test_an_earned_credential_stays_hers_but_a_closed_account_reaches_nothing(
        world: Any, api: Any) -> None:
    badge = issued(world)
    teacher = world.people["teacher"]
    me = api(teacher)
    RoleAssignment.objects.filter(user=teacher).delete()
    # A role taken away does not take back what she earned (a credential is hers).
    assert me.get(f"/badges/{badge.uuid}").status_code == 200
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    assert _error(me.get("/badges"), 401)["code"] == "unauthenticated"
    assert _error(me.get(f"/badges/{badge.uuid}"), 401)


def test_a_token_without_the_badges_scope_is_refused(world: Any, api: Any) -> None:
    badge = issued(world)
    narrow = api(world.people["teacher"], ["credentials:read"])
    refused = _error(narrow.get(f"/badges/{badge.uuid}"), 403)
    assert refused["code"] == "insufficient_scope" and "badges:read" in refused["message"]
    reader = api(world.people["teacher"], ["badges:read"])
    assert reader.get(f"/badges/{badge.uuid}").status_code == 200
    assert _error(reader.post("/badges/verify", {"credential": "x"}), 403)[
        "code"] == "insufficient_scope"


def test_a_browser_session_reads_hers_and_writes_only_with_csrf(world: Any) -> None:
    badge = issued(world)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.people["coordinator"],
                        backend="django.contrib.auth.backends.ModelBackend")
    assert browser.get("/api/v1/badges/district").status_code == 200
    refused = browser.post(f"/api/v1/badges/{badge.uuid}/revoke", {"reason": "x"},
                           content_type="application/json")
    assert _error(refused, 403)["code"] == "csrf_failed"


# --------------------------------------------------------------------------- verify

def test_a_credential_verifies_as_an_object_as_text_and_as_a_jwt(world: Any, api: Any) -> None:
    badge = issued(world)
    someone = api(world.people["colleague"])
    for sent in (document(badge), badge.document, badge.jwt):
        report = someone.post("/badges/verify", {"credential": sent})
        assert report.status_code == 200, report.content
        body = report.json()
        assert set(body) == {"verified", "credential_id", "issuer", "achievement", "checks"}
        assert body["verified"] is True, body["checks"]
        assert body["credential_id"] == badge.credential_id
        assert body["issuer"]["name"] == world.district.name
        assert body["achievement"]["name"] == badge.award.version.title
        assert all(set(c) == {"check", "outcome", "message"} for c in body["checks"])


def test_a_tampered_or_revoked_credential_is_reported_not_refused(world: Any,
                                                                 api: Any) -> None:
    badge = issued(world)
    someone = api(world.people["colleague"])
    tampered = document(badge)
    tampered["name"] = "Something else"
    report = someone.post("/badges/verify", {"credential": tampered})
    assert report.status_code == 200 and report.json()["verified"] is False
    api(world.people["coordinator"]).post(f"/badges/{badge.uuid}/revoke",
                                          {"reason": "Awarded in error."})
    report = someone.post("/badges/verify", {"credential": document(badge)}).json()
    assert report["verified"] is False
    assert any(c["outcome"] == "failed" for c in report["checks"])


@pytest.mark.parametrize(("body", "words"), [
    ({}, "Field required"),
    ({"credential": 42}, "Send the credential as a JSON object"),
    ({"credential": ["a", "b"]}, "Send the credential as a JSON object"),
    ({"credential": None}, "Send the credential as a JSON object"),
    ({"credential": ""}, "Send the credential to verify"),
    ({"credential": "x" * (VERIFY_MAX_BYTES + 1)}, "at most 512 KB"),
    ({"credential": "text"}, "neither a credential's JSON nor a VC-JWT"),
    ({"credential": "a.b"}, "neither a credential's JSON nor a VC-JWT"),
    ({"credential": "[1]"}, "neither a credential's JSON nor a VC-JWT"),
    ({"credential": '{"id": '}, "This text is not valid JSON"),
])
def test_a_request_that_is_not_a_credential_is_refused_with_a_reason(
        world: Any, api: Any, body: dict[str, Any], words: str) -> None:
    refused = _error(api(world.people["teacher"]).post("/badges/verify", body), 400)
    assert "credential" in refused["fields"], refused
    assert words in " ".join(refused["fields"]["credential"]), refused


def test_a_body_past_the_request_limit_is_refused_before_it_is_read(world: Any,
                                                                   api: Any) -> None:
    from django.conf import settings

    huge = json.dumps({"credential": "x" * (settings.REQUEST_MAX_BYTES + 10)})
    refused = api(world.people["teacher"]).post("/badges/verify", huge)
    assert refused.status_code == 413
    assert refused.json()["error"]["code"] == "too_large"


def test_a_body_that_is_not_a_json_object_is_refused(world: Any, api: Any) -> None:
    me = api(world.people["teacher"])
    assert _error(me.post("/badges/verify", "[1, 2]"), 400)
    assert _error(me.post("/badges/verify", "{not json"), 400)
