"""Open Badges 2.0 hosted documents, for backpacks that do not read 3.0 yet.

1EdTech's Open Badges 2.0 specification: an Issuer Profile, a BadgeClass and an Assertion,
each JSON-LD in the ``https://w3id.org/openbadges/v2`` context, linked by their URLs
(``/ob2/issuers/<uuid>``, ``/ob2/badgeclasses/<version>``, ``/ob2/assertions/<uuid>``).
Hosted verification: a verifier fetches the Assertion from its own ``id``; it is served
only while the educator shares her badge, and a revoked one answers ``410 Gone`` with
``revoked: true``. The recipient is the same salted hash as in the 3.0 credential (the
same salt), so one address matches both.
"""

from __future__ import annotations

import json
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.urls import reverse

from uptake.badges import documents
from uptake.badges.models import Badge, Issuer
from uptake.credentials.models import Version

CONTEXT = "https://w3id.org/openbadges/v2"
REVOKED_REASON = "Revoked by the issuer"


def issuer_url(issuer: Issuer) -> str:
    return documents.absolute(reverse("badges:ob2_issuer", args=[issuer.uuid]))


def badgeclass_url(version: Version) -> str:
    return documents.absolute(reverse("badges:ob2_badgeclass", args=[version.pk]))


def badgeclass_image_url(version: Version) -> str:
    return documents.absolute(reverse("badges:ob2_badgeclass_image", args=[version.pk]))


def assertion_url(badge: Badge) -> str:
    return documents.absolute(reverse("badges:ob2_assertion", args=[badge.uuid]))


def fallback_email() -> str:
    """Where questions go when the district gave no address: the site's sender."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@uptake.invalid"


def issuer_profile(issuer: Issuer) -> dict[str, Any]:
    found: dict[str, Any] = {
        "@context": CONTEXT, "type": "Issuer", "id": issuer_url(issuer),
        "name": issuer.district.name, "url": issuer.url or documents.absolute("/"),
        "email": issuer.email or fallback_email(),
    }
    if issuer.description:
        found["description"] = issuer.description
    return found


def alignment(version: Version) -> list[dict[str, Any]]:
    """The 3.0 achievement's alignments in 2.0's shape (the same targets and URLs)."""
    return [{k: v for k, v in target.items() if k not in ("type", "targetType")}
            for target in documents.alignments(version)]


def badgeclass(version: Version, issuer: Issuer) -> dict[str, Any]:
    return {
        "@context": CONTEXT, "type": "BadgeClass", "id": badgeclass_url(version),
        "name": version.title, "description": version.competency,
        "image": badgeclass_image_url(version),
        "criteria": {"id": documents.achievement_url(version),
                     "narrative": documents.criteria_narrative(version)},
        "issuer": issuer_url(issuer),
        "alignment": alignment(version),
    }


def recipient(badge: Badge) -> dict[str, Any]:
    """The 3.0 credential's identity hash, in 2.0's shape: ``sha256$`` of the trimmed,
    lower-cased address followed by the badge's salt."""
    hashed = documents.recipient(badge.award.educator.email, badge.salt)
    return {"type": "email", "hashed": True, "salt": badge.salt,
            "identity": hashed["identityHash"]}


EVIDENCE_FIELDS = ("id", "name", "narrative", "description", "genre", "audience")


def evidence(badge: Badge) -> list[dict[str, Any]]:
    """The evidence the 3.0 credential was signed with, in 2.0's shape."""
    items = json.loads(badge.document).get("evidence") or []
    return [{"type": "Evidence", **{k: item[k] for k in EVIDENCE_FIELDS if k in item}}
            for item in items if isinstance(item, dict)]


def assertion(badge: Badge) -> dict[str, Any]:
    found: dict[str, Any] = {
        "@context": CONTEXT, "type": "Assertion", "id": assertion_url(badge),
        "recipient": recipient(badge),
        "badge": badgeclass_url(badge.award.version),
        "issuedOn": documents.iso(badge.issued_at),
        "verification": {"type": "hosted"},
    }
    if items := evidence(badge):
        found["evidence"] = items
    return found


def revoked(badge: Badge) -> dict[str, Any]:
    """What a revoked Assertion's URL answers (with 410 Gone). The reason stays private."""
    return {"@context": CONTEXT, "id": assertion_url(badge), "revoked": True,
            "revocationReason": REVOKED_REASON}
