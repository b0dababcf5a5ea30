"""Issuer keys at rest and over time: private keys are encrypted under
``BADGE_KEY_ENCRYPTION_KEYS``; a rotated key stays in the DID document so what it signed
still verifies; revocation sets a random, never reused bit of a served status list."""

from __future__ import annotations

import base64
import json
from itertools import pairwise
from typing import Any

import pytest
from cryptography.fernet import InvalidToken
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from uptake.badges import documents, keystore
from uptake.badges.actions import do_issue, do_revoke, do_rotate_key, issuer_for
from uptake.badges.models import Badge, IssuerKey
from uptake.badges.tests.fixtures import award, document, issued
from uptake.openbadges import keys, proof, status

pytestmark = pytest.mark.django_db

OLD = "x8VqlqC8pwOsS4K4mBkd2sWD5q3bP1HZi9o3QcU1bZw="
NEW = "3iIBQX2nCmQ0pNlJ6tR9pQvX3Cz3gq9Zr0wJ8p0t0UE="
WRONG = "q1d3o8lq0i0g5r9m4f6a2c7e1b3d5f7h9j1k3m5n7p8="


def stored_column(key: IssuerKey) -> str:
    """The private key's column as the database holds it (no model code in between)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_encrypted FROM badges_issuerkey WHERE id = %s",
                       [key.pk])
        return str(cursor.fetchone()[0])


def forms_of(secret: bytes) -> list[str]:
    """Ways a leaked key could appear in a text column."""
    return [secret.hex(), base64.b64encode(secret).decode(),
            base64.urlsafe_b64encode(secret).decode().rstrip("="),
            secret.decode("latin-1")]


# --------------------------------------------------------------------- at rest

def test_private_keys_are_never_stored_in_plaintext(world: Any) -> None:
    issuer = issued(world).issuer
    for key in issuer.keys.all():
        column = stored_column(key)
        secret = keystore.decrypt(key.private_encrypted)
        assert column.startswith("gAAAA")  # a Fernet token
        for form in forms_of(secret):
            assert form not in column
        if key.kind == IssuerKey.Kind.RSA:
            assert secret.startswith(b"-----BEGIN PRIVATE KEY-----")
            assert "PRIVATE KEY" not in column
            body = b"".join(secret.splitlines()[1:-1]).decode()
            assert body[:64] not in column
            assert "d" not in json.loads(key.public)  # the public JWK has no private part
        else:
            assert len(secret) == 32
            # The stored private key is the one whose public half the DID document lists.
            assert keys.public_multikey(keys.ed25519_from_private_bytes(secret)) == key.public


def test_keys_decrypt_only_with_a_configured_encryption_key(world: Any) -> None:
    with override_settings(BADGE_KEY_ENCRYPTION_KEYS=[OLD]):
        issuer = issuer_for(world.district)
        key = keystore.signing_key(issuer, IssuerKey.Kind.ED25519)
        assert key is not None
        secret = keystore.decrypt(key.private_encrypted)
    # The old key, listed second after a new one, still opens it.
    with override_settings(BADGE_KEY_ENCRYPTION_KEYS=[NEW, OLD]):
        assert keystore.decrypt(key.private_encrypted) == secret
        moved = keystore.reencrypt(key.private_encrypted)
    # A wrong key fails; and once re-encrypted, the old key alone no longer opens it.
    with override_settings(BADGE_KEY_ENCRYPTION_KEYS=[WRONG]), pytest.raises(InvalidToken):
        keystore.decrypt(key.private_encrypted)
    with override_settings(BADGE_KEY_ENCRYPTION_KEYS=[OLD]), pytest.raises(InvalidToken):
        keystore.decrypt(moved)
    with override_settings(BADGE_KEY_ENCRYPTION_KEYS=[NEW]):
        assert keystore.decrypt(moved) == secret
    # Without the setting (tests, the demo) a key derived from SECRET_KEY is used: it is
    # not the configured one, so it cannot open what the configured key sealed.
    with override_settings(BADGE_KEY_ENCRYPTION_KEYS=[]), pytest.raises(InvalidToken):
        keystore.decrypt(key.private_encrypted)


def test_an_issuer_cannot_sign_without_its_encryption_key(world: Any) -> None:
    with override_settings(BADGE_KEY_ENCRYPTION_KEYS=[OLD]):
        issuer_for(world.district)
    with override_settings(BADGE_KEY_ENCRYPTION_KEYS=[WRONG]), pytest.raises(InvalidToken):
        do_issue(award(world))
    assert not Badge.objects.exists()


# ------------------------------------------------------------------- rotation

def verifies_with_did_document(signed: dict[str, Any], did: dict[str, Any]) -> bool:
    (sig,) = signed["proof"]
    if sig["verificationMethod"] not in did["assertionMethod"]:
        return False
    method = next(m for m in did["verificationMethod"] if m["id"] == sig["verificationMethod"])
    return proof.verify(signed, sig, keys.ed25519_from_multikey(method["publicKeyMultibase"]))


def test_a_rotated_key_stays_listed_and_what_it_signed_still_verifies(world: Any) -> None:
    badge = issued(world)
    old = badge.key
    assert old.fragment == "key-1" and old.kind == IssuerKey.Kind.ED25519
    new = do_rotate_key(badge.issuer, IssuerKey.Kind.ED25519, actor=None)
    old.refresh_from_db()
    assert old.retired_at is not None and new.retired_at is None
    assert new.number > old.number

    did = documents.did_document(badge.issuer)
    assert keystore.verification_method(old) in did["assertionMethod"]
    assert keystore.verification_method(new) in did["assertionMethod"]
    # The badge signed with key-1 before the rotation verifies with the DID document after.
    assert verifies_with_did_document(document(badge), did)

    # New badges are signed with the new key, and verify too.
    later = issued(world, "colleague")
    assert later.key == new
    assert document(later)["proof"][0]["verificationMethod"].endswith(f"#{new.fragment}")
    assert verifies_with_did_document(document(later), did)


def test_the_status_list_is_resigned_with_the_new_key(world: Any) -> None:
    badge = issued(world)
    new = do_rotate_key(badge.issuer, IssuerKey.Kind.ED25519, actor=None)
    badge.status_list.refresh_from_db()
    signed = json.loads(badge.status_list.signed)
    (sig,) = signed["proof"]
    assert sig["verificationMethod"] == keystore.verification_method(new)
    assert verifies_with_did_document(signed, documents.did_document(badge.issuer))
    assert not verifies_with_did_document({**signed, "validFrom": "2020-01-01T00:00:00Z"},
                                          documents.did_document(badge.issuer))


# ------------------------------------------------------------------ revocation

def test_revocation_sets_the_bit_of_the_served_status_list(world: Any, client: Any) -> None:
    badge = issued(world)
    other = issued(world, "colleague")
    url = f"/issuers/{badge.issuer.uuid}/status/1"
    before = client.get(url)
    assert before.status_code == 200
    assert before["Content-Type"] == "application/vc+ld+json"
    bits = status.decode(json.loads(before.content)["credentialSubject"]["encodedList"])
    assert not status.get(bits, badge.status_index)

    do_revoke(badge, actor=world.people["coordinator"], reason="Awarded in error")
    after = client.get(url)
    assert after["Content-Type"] == "application/vc+ld+json"
    served = json.loads(after.content)
    bits = status.decode(served["credentialSubject"]["encodedList"])
    assert status.get(bits, badge.status_index)
    assert not status.get(bits, other.status_index)
    assert sum(bin(b).count("1") for b in bits) == 1
    # The badge's credentialStatus points at exactly this list and bit.
    entry = document(badge)["credentialStatus"]
    assert entry["statusListCredential"].endswith(url)
    assert int(entry["statusListIndex"]) == badge.status_index
    # The re-signed list verifies with the issuer's DID document.
    assert verifies_with_did_document(served, documents.did_document(badge.issuer))


def test_status_indexes_are_random_distinct_and_spread(world: Any) -> None:
    from uptake.accounts.models import User
    from uptake.credentials.models import Award

    version = award(world).version
    indexes = []
    for n in range(30):
        person = User.objects.create(email=f"educator{n}@maple.test", district=world.district,
                                     first_name="Educator", last_name=str(n))
        made = Award.objects.create(district=world.district, educator=person,
                                    credential=version.credential, version=version)
        badge = do_issue(made)
        assert badge is not None
        indexes.append(badge.status_index)
    entries = status.MIN_ENTRIES
    assert len(set(indexes)) == 30
    assert all(0 <= i < entries for i in indexes)
    # Not handed out in order, not neighbours: nothing about when a badge was issued.
    assert indexes != sorted(indexes) and indexes != sorted(indexes, reverse=True)
    steps = [abs(b - a) for a, b in pairwise(indexes)]
    assert sum(1 for s in steps if s <= 30) <= 2
    # Spread over the whole range: both halves of the list hold some, far apart.
    assert {i * 2 // entries for i in indexes} == {0, 1}
    assert max(indexes) - min(indexes) > entries // 2


def test_a_used_index_is_never_given_again(world: Any, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    first = issued(world)
    do_revoke(first, actor=None, reason="Awarded in error")
    used = first.status_index
    draws = iter([used, used, used, 4242])
    monkeypatch.setattr("uptake.badges.actions.secrets.randbelow", lambda n: next(draws))
    second = issued(world, "colleague")
    assert second.status_list == first.status_list
    assert second.status_index == 4242
    # And the database refuses a second badge on the same bit.
    with pytest.raises(IntegrityError), transaction.atomic():
        Badge.objects.filter(pk=second.pk).update(status_index=used)
