"""The Open Badges 2.0 hosted documents: an Issuer Profile, a BadgeClass and an Assertion
with every field the 2.0 specification requires, linked by their URLs; the Assertion's
recipient is the 3.0 credential's salted hash; it is served only while shared and is 410
Gone, with ``revoked: true``, once revoked."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.urls import reverse

from uptake.badges.tests.fixtures import document, issued

pytestmark = pytest.mark.django_db

CONTEXT = "https://w3id.org/openbadges/v2"
REQUIRED = {
    "Assertion": {"@context", "id", "type", "recipient", "badge", "verification", "issuedOn"},
    "BadgeClass": {"@context", "id", "type", "name", "description", "image", "criteria",
                   "issuer"},
    "Issuer": {"@context", "id", "type", "name", "url", "email"},
}


def _shared(w: Any) -> Any:
    from uptake.badges.actions import do_set_shared

    return do_set_shared(issued(w), actor=w.people["teacher"], shared=True)


def _get(client: Any, url: str, status: int = 200) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == status, url
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return dict(json.loads(response.content))


def _path(url: str) -> str:
    from django.conf import settings

    site = settings.SITE_URL.rstrip("/")
    assert url.startswith(site + "/"), url
    return url[len(site):]


def _complete(found: dict[str, Any]) -> None:
    assert found["@context"] == CONTEXT
    missing = REQUIRED[found["type"]] - {k for k, v in found.items() if v not in ("", None)}
    assert missing == set(), f"{found['type']} lacks {missing}"


def test_the_three_documents_are_complete_and_linked(world: Any, client: Any) -> None:
    badge = _shared(world)
    assertion = _get(client, reverse("badges:ob2_assertion", args=[badge.uuid]))
    _complete(assertion)
    assert assertion["type"] == "Assertion"
    assert _path(assertion["id"]) == f"/ob2/assertions/{badge.uuid}"
    assert assertion["verification"] == {"type": "hosted"}
    assert assertion["issuedOn"].endswith("Z")
    assert "evidence" not in assertion  # the credential was signed with none

    badgeclass = _get(client, _path(assertion["badge"]))
    _complete(badgeclass)
    assert badgeclass["id"] == assertion["badge"]
    assert badgeclass["name"] == "Academic conversations"
    assert set(badgeclass["criteria"]) == {"id", "narrative"}
    assert isinstance(badgeclass["alignment"], list)
    image = client.get(_path(badgeclass["image"]))
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")

    issuer = _get(client, _path(badgeclass["issuer"]))
    _complete(issuer)
    assert issuer["id"] == badgeclass["issuer"]
    assert issuer["name"] == "Maple Valley Unified" and "@" in issuer["email"]


def test_the_recipient_is_the_3_0_credential_s_salted_hash(world: Any, client: Any) -> None:
    badge = _shared(world)
    recipient = _get(client, reverse("badges:ob2_assertion", args=[badge.uuid]))["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    assert recipient["salt"] == badge.salt
    expected = hashlib.sha256((" Jamie@Maple.test ".strip().lower() + badge.salt)
                              .encode()).hexdigest()
    assert recipient["identity"] == f"sha256${expected}"
    (identifier,) = document(badge)["credentialSubject"]["identifier"]
    assert identifier["identityHash"] == recipient["identity"]
    assert identifier["salt"] == recipient["salt"]


def test_the_assertion_carries_the_evidence_the_credential_was_signed_with(
        world: Any, client: Any) -> None:
    from uptake.badges.models import Badge

    badge = _shared(world)
    signed = document(badge)
    signed["evidence"] = [{"id": "https://example.test/library/7/", "type": ["Evidence"],
                           "name": "Talk moves", "narrative": "Sentence starters.",
                           "genre": "Practice shared in the district's library"}]
    Badge.objects.filter(pk=badge.pk).update(document=json.dumps(signed))
    found = _get(client, reverse("badges:ob2_assertion", args=[badge.uuid]))
    assert found["evidence"] == [{"type": "Evidence", "id": "https://example.test/library/7/",
                                  "name": "Talk moves", "narrative": "Sentence starters.",
                                  "genre": "Practice shared in the district's library"}]


def test_the_badgeclass_aligns_to_the_achievement_s_standards(world: Any,
                                                             client: Any) -> None:
    from uptake.badges import documents
    from uptake.learning.models import FrameworkElement

    badge = issued(world)
    version = badge.award.version
    element = FrameworkElement.objects.filter(framework__district=world.district).first()
    assert element is not None
    version.elements.add(element)
    found = _get(client, reverse("badges:ob2_badgeclass", args=[version.pk]))
    (target,) = found["alignment"]
    assert target["targetName"] == element.title and target["targetCode"] == element.code
    assert target["targetUrl"] == documents.alignment_url(version, element)
    assert "type" not in target and "targetType" not in target


def test_the_issuer_s_own_address_is_used_when_given(world: Any, client: Any) -> None:
    from uptake.badges.models import Issuer

    badge = issued(world)
    Issuer.objects.filter(pk=badge.issuer_id).update(email="badges@maple.test",
                                                     url="https://maple.test/")
    found = _get(client, reverse("badges:ob2_issuer", args=[badge.issuer.uuid]))
    assert found["email"] == "badges@maple.test" and found["url"] == "https://maple.test/"


def test_the_assertion_exists_only_while_shared(world: Any, client: Any) -> None:
    from uptake.badges.actions import do_set_shared

    badge = issued(world)
    url = reverse("badges:ob2_assertion", args=[badge.uuid])
    assert client.get(url).status_code == 404
    do_set_shared(badge, actor=world.people["teacher"], shared=True)
    assert client.get(url).status_code == 200
    do_set_shared(badge, actor=world.people["teacher"], shared=False)
    assert client.get(url).status_code == 404


def test_a_revoked_assertion_is_gone_with_revoked_true(world: Any, client: Any) -> None:
    from uptake.badges.actions import do_revoke

    badge = do_revoke(_shared(world), actor=world.people["coordinator"],
                      reason="A private reason")
    found = _get(client, reverse("badges:ob2_assertion", args=[badge.uuid]), status=410)
    assert found == {"@context": CONTEXT, "id": found["id"], "revoked": True,
                     "revocationReason": "Revoked by the issuer"}
    assert _path(found["id"]) == f"/ob2/assertions/{badge.uuid}"


def test_a_draft_or_a_district_without_issuer_has_no_badgeclass(world: Any,
                                                                client: Any) -> None:
    from uptake.credentials.models import Version

    badge = issued(world)
    version = badge.award.version
    assert client.get(reverse("badges:ob2_badgeclass", args=[version.pk])).status_code == 200
    Version.objects.filter(pk=version.pk).update(status=Version.Status.DRAFT)
    assert client.get(reverse("badges:ob2_badgeclass", args=[version.pk])).status_code == 404
    assert client.get(reverse("badges:ob2_badgeclass_image", args=[version.pk])
                      ).status_code == 404
    assert client.get(reverse("badges:ob2_issuer", args=[
        "00000000-0000-4000-8000-000000000000"])).status_code == 404
