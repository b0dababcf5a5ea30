"""The JSON documents Uptake publishes for an issuer: its DID document, its Profile, its
status lists, and the OpenBadgeCredential built from an award (signed in ``actions``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from uptake.badges import keystore
from uptake.badges.models import Badge, Issuer, IssuerKey, StatusList
from uptake.credentials.models import Award, Version
from uptake.openbadges import jsonld, proof, schema, status

DID_CONTEXTS = [jsonld.DID_V1, jsonld.MULTIKEY_V1, jsonld.JWK_V1]


def iso(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``, to the second (Open Badges' DateTimeZ)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def absolute(path: str) -> str:
    return keystore.base_url() + path


# ---------------------------------------------------------------------------- issuer

def did_document(issuer: Issuer) -> dict[str, Any]:
    """Every key the issuer ever had, retired ones included: a credential signed with an
    old key still verifies (keys are added, never removed)."""
    did = keystore.did(issuer)
    methods = []
    for key in issuer.keys.all():
        method: dict[str, Any] = {"id": keystore.verification_method(key), "controller": did}
        if key.kind == IssuerKey.Kind.ED25519:
            method |= {"type": "Multikey", "publicKeyMultibase": key.public}
        else:
            method |= {"type": "JsonWebKey", "publicKeyJwk": keystore.public_jwk(key)}
        methods.append(method)
    return {"@context": DID_CONTEXTS, "id": did, "verificationMethod": methods,
            "assertionMethod": [m["id"] for m in methods]}


def profile(issuer: Issuer) -> dict[str, Any]:
    district = issuer.district
    found: dict[str, Any] = {"id": keystore.did(issuer), "type": ["Profile"],
                             "name": district.name, "url": issuer.url or keystore.base_url()}
    if issuer.email:
        found["email"] = issuer.email
    if issuer.description:
        found["description"] = issuer.description
    return found


# ----------------------------------------------------------------------- status lists

def status_list_url(status_list: StatusList) -> str:
    return absolute(reverse("badges:status_list", args=[status_list.issuer.uuid,
                                                         status_list.number]))


def signed_status_list(status_list: StatusList, *, now: datetime | None = None) -> str:
    """The list credential, signed with the issuer's current Ed25519 key."""
    issuer = status_list.issuer
    key = keystore.signing_key(issuer, IssuerKey.Kind.ED25519)
    assert key is not None, "an issuer always has an Ed25519 signing key"
    moment = iso(now or timezone.now())
    unsigned = status.list_credential(status_list_url(status_list), keystore.did(issuer),
                                      bytes(status_list.bits), moment, status_list.purpose)
    signed = proof.sign(unsigned, keystore.ed25519_private(key),
                        keystore.verification_method(key), moment)
    return json.dumps(signed, indent=2, ensure_ascii=False)


# ------------------------------------------------------------------------ credentials

def achievement_url(version: Version) -> str:
    return absolute(reverse("badges:achievement", args=[version.pk]))


def achievement(version: Version) -> dict[str, Any]:
    """The Achievement (the badge's definition) for a published version."""
    return {
        "id": achievement_url(version),
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": version.title,
        "description": version.competency,
        "criteria": {"id": achievement_url(version),
                     "narrative": criteria_narrative(version)},
    }


def criteria_narrative(version: Version) -> str:
    lines = [f"Earned by completing every tier of “{version.title}”, each judged by a "
             "district assessor against its scoring guide:"]
    lines += [f"- **{tier.name}**: {tier.description}".rstrip(": ")
              for tier in version.tiers.all()]
    return "\n".join(lines)


def recipient(email: str, salt: str) -> dict[str, Any]:
    """A salted, hashed e-mail identifier. The address is trimmed and lower-cased first,
    so a verifier who knows it in any case finds the same hash."""
    import hashlib

    normalized = email.strip().lower()
    digest = hashlib.sha256((normalized + salt).encode("utf-8")).hexdigest()
    return {"type": "IdentityObject", "identityHash": f"sha256${digest}",
            "identityType": "emailAddress", "hashed": True, "salt": salt}


def unsigned_credential(badge: Badge, award: Award, *, now: datetime) -> dict[str, Any]:
    version = award.version
    return {
        "@context": [jsonld.VC_V2, jsonld.OB_V3, jsonld.OB_EXTENSIONS],
        "id": badge.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": profile(badge.issuer),
        "validFrom": iso(now),
        "awardedDate": iso(award.awarded_at),
        "name": version.title,
        "description": version.competency,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [recipient(award.educator.email, badge.salt)],
            "achievement": achievement(version),
        },
        "credentialSchema": [schema.CREDENTIAL_SCHEMA],
        "credentialStatus": status.entry(status_list_url(badge.status_list), badge.status_index,
                                         badge.status_list.purpose),
    }


def problems(credential: dict[str, Any]) -> list[str]:
    """What stops a credential from being signed: the official schema's complaints and
    any key no context defines (it would travel unsigned)."""
    found = [f"Schema: {p}" for p in schema.problems(credential)]
    found += [f"Undefined term: {p}" for p in jsonld.undefined_terms(credential)]
    return found
