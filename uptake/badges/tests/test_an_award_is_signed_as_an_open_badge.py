"""An award becomes an OpenBadgeCredential that the official schema accepts and whose
eddsa-rdfc-2022 proof verifies with the key in the issuer's DID document."""

from __future__ import annotations

from typing import Any

import pytest

from uptake.badges.tests.fixtures import document, issued

pytestmark = pytest.mark.django_db


def test_it_signs_a_credential_the_schema_accepts_and_the_did_key_verifies(world: Any) -> None:
    from uptake.badges import documents
    from uptake.openbadges import jsonld, keys, proof, schema

    badge = issued(world)
    signed = document(badge)
    assert schema.problems(signed) == []
    assert jsonld.undefined_terms(signed) == []
    did = documents.did_document(badge.issuer)
    assert signed["issuer"]["id"] == did["id"]
    (sig,) = signed["proof"]
    assert sig["verificationMethod"] in did["assertionMethod"]
    method = next(m for m in did["verificationMethod"] if m["id"] == sig["verificationMethod"])
    assert method["publicKeyMultibase"].startswith("z6Mk")
    assert proof.verify(signed, sig, keys.ed25519_from_multikey(method["publicKeyMultibase"]))
    tampered = {**signed, "name": "Something else"}
    assert not proof.verify(tampered, sig, keys.ed25519_from_multikey(
        method["publicKeyMultibase"]))
