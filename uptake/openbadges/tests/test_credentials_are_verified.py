"""``verify`` checks a credential the way 1EdTech's validator does: the validator's own
fixtures, credentials signed with a published test key, tampered copies, JWTs, status
lists, expiry and baked images.

Fixtures that cannot verify offline, and why (asserted below, outcome by outcome):

- ``simple.vcdm11.json``, ``1edtech-revocationlist-status-credential.json``: VC Data Model
  1.1 with an ``Ed25519Signature2020`` proof and the ``ed25519-2020`` / unversioned OB
  contexts, none of which Uptake bundles: contexts and proof fail.
- ``simple.vcdm11-vc-claim.jwt``: its header names no key (no ``kid``) and its context is
  not bundled: contexts and proof fail.
- ``simple-jwt.baked.svg``: its JWT carries its own key (a ``jwk`` header), which nothing
  ties to the issuer; Uptake refuses it (stricter than the validator): proof fails.
- ``bitstring-status-revoked-credential.json``: signed correctly, its status list (served
  on GitHub) is the validator's ``bitstring-status-list-credential.json``, given here for its
  URL; bit 23 is set: status fails "revoked". Without the list the status is a warning.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from uptake.openbadges import keys, proof, status, vcjwt
from uptake.openbadges.verify import Report, verify

DATA = Path(__file__).resolve().parent / "data"
VALIDATOR, CONSTRUCTED = DATA / "validator", DATA / "constructed"
DID_DOCUMENT = json.loads((CONSTRUCTED / "constructed-issuer-did.json").read_text())
STATUS_LIST = json.loads(
    (CONSTRUCTED / "constructed-bitstring-status-list.signed.json").read_text())
VALIDATOR_LIST = json.loads((VALIDATOR / "bitstring-status-list-credential.json").read_text())
FULL = "constructed-teacher-microcredential-full.signed-eddsa-rdfc-2022.json"
MINIMAL = "constructed-minimal.signed-eddsa-rdfc-2022.json"


class Offline:
    """Resolvers answering from the fixture set only; anything else is not available."""

    def __init__(self, documents: dict[str, Any] | None = None,
                 lists: dict[str, Any] | None = None) -> None:
        self.documents = {DID_DOCUMENT["id"]: DID_DOCUMENT} if documents is None else documents
        self.lists = ({STATUS_LIST["id"]: STATUS_LIST} if lists is None else lists)

    def key(self, ref: str) -> dict[str, Any]:
        if ref in self.documents:
            return copy.deepcopy(self.documents[ref])
        raise LookupError(f"{ref} is not available offline.")

    def status(self, url: str) -> dict[str, Any]:
        if url in self.lists:
            return copy.deepcopy(self.lists[url])
        raise LookupError(f"{url} is not available offline.")


def check(data: bytes | str | dict[str, Any], offline: Offline | None = None,
          now: datetime | None = None) -> Report:
    offline = offline or Offline()
    raw = json.dumps(data) if isinstance(data, dict) else data
    return verify(raw, resolve_key=offline.key, fetch_status=offline.status, now=now)


def outcomes(report: Report) -> dict[str, str]:
    return {c.name: c.outcome for c in report.checks}


def read(path: Path) -> bytes:
    return path.read_bytes()


# ----------------------------------------------------------------- validator fixtures

VERIFIED = ["simple.signed-eddsa-rdfc-2022.json", "simple-multiple-proofs.json",
            "simple-did-key-method.json", "simple-did-web-method.json",
            "complete.signed-eddsa-rdfc-2022.json", "endorsement-valid.json",
            "clr20-simple.signed.json", "simple-json.baked.png", "simple-json.baked.svg"]


@pytest.mark.parametrize("name", VERIFIED)
def test_the_validators_valid_fixtures_verify(name: str) -> None:
    report = check(read(VALIDATOR / name))
    assert report.verified, [c for c in report.checks if c.outcome == "failed"]
    assert outcomes(report)["proof"] == "passed"
    assert [c.name for c in report.checks] == ["parse", "contexts", "type", "schema",
                                               "subject", "evidence", "issuer", "proof",
                                               "status", "expiry"]


def test_every_validator_fixture_is_accounted_for() -> None:
    known = set(VERIFIED) | {
        "NEGATIVE-simple-err-proof-value.json", "NEGATIVE-simple-noproof.json",
        "simple.vcdm11.json", "1edtech-revocationlist-status-credential.json",
        "simple.vcdm11-vc-claim.jwt", "simple-jwt.baked.svg",
        "bitstring-status-revoked-credential.json", "bitstring-status-list-credential.json",
        "LICENSE-Apache-2.0.txt"}
    assert {p.name for p in VALIDATOR.iterdir()} == known


def test_a_wrong_proof_value_fails_the_proof() -> None:
    report = check(read(VALIDATOR / "NEGATIVE-simple-err-proof-value.json"))
    assert not report.verified
    assert outcomes(report)["proof"] == "failed"
    assert "does not match" in report.check("proof").message
    assert [c.name for c in report.checks if c.outcome == "failed"] == ["proof"]


def test_a_credential_without_proof_fails_the_proof() -> None:
    report = check(read(VALIDATOR / "NEGATIVE-simple-noproof.json"))
    assert not report.verified
    assert report.check("proof").outcome == "failed"
    assert "no proof" in report.check("proof").message


@pytest.mark.parametrize("name", ["simple.vcdm11.json",
                                  "1edtech-revocationlist-status-credential.json"])
def test_vcdm_1_1_credentials_with_ed25519signature2020_are_not_verified(name: str) -> None:
    report = check(read(VALIDATOR / name))
    found = outcomes(report)
    assert (found["contexts"], found["schema"], found["proof"]) == ("failed", "skipped",
                                                                    "failed")
    assert "ed25519-2020" in report.check("contexts").message
    assert "Ed25519Signature2020" in report.check("proof").message


def test_the_1edtech_revocation_list_is_a_warning() -> None:
    report = check(read(VALIDATOR / "complete.signed-eddsa-rdfc-2022.json"))
    assert report.check("status").outcome == "warning"
    assert "not check" in report.check("status").message


def test_a_vcdm_1_1_jwt_without_a_kid_is_not_verified() -> None:
    report = check(read(VALIDATOR / "simple.vcdm11-vc-claim.jwt"))
    assert report.format == "jwt"
    assert outcomes(report)["proof"] == "failed"
    assert "kid" in report.check("proof").message


def test_a_jwt_carrying_its_own_key_is_refused() -> None:
    report = check(read(VALIDATOR / "simple-jwt.baked.svg"))
    assert (report.format, bool(report.jwt)) == ("svg", True)
    assert [c.name for c in report.checks if c.outcome == "failed"] == ["proof"]
    assert "jwk" in report.check("proof").message


def test_the_validators_revoked_credential_is_revoked_when_its_list_is_given() -> None:
    name = read(VALIDATOR / "bitstring-status-revoked-credential.json")
    url = json.loads(name)["credentialStatus"]["statusListCredential"]
    report = check(name, Offline(lists={url: VALIDATOR_LIST}))
    assert outcomes(report)["proof"] == "passed"
    assert report.check("status").outcome == "failed"
    assert "revoked" in report.check("status").message
    offline = check(name, Offline(lists={}))
    assert offline.check("status").outcome == "warning"
    assert "not available offline" in offline.check("status").message
    assert offline.verified


# --------------------------------------------------------------- constructed fixtures

@pytest.mark.parametrize("name", [MINIMAL, "constructed-minimal.vc-jwt-rs256.jwt",
                                  "constructed-minimal.baked.png",
                                  "constructed-minimal.baked.svg",
                                  "constructed-minimal.baked-jwt.svg"])
def test_the_constructed_credentials_verify_with_the_issuers_did_document(name: str) -> None:
    report = check(read(CONSTRUCTED / name))
    assert report.verified, [c for c in report.checks if c.outcome == "failed"]
    assert report.as_dict()["issuer"]["id"] == DID_DOCUMENT["id"]
    assert report.as_dict()["achievement"]["name"] == "Formative Assessment Practitioner"


def test_without_the_did_document_the_proof_fails_saying_why() -> None:
    report = check(read(CONSTRUCTED / MINIMAL), Offline(documents={}))
    assert report.check("proof").outcome == "failed"
    assert "not available offline" in report.check("proof").message


def test_the_full_constructed_credential_verifies_and_its_index_is_revoked() -> None:
    report = check(read(CONSTRUCTED / FULL))
    found = outcomes(report)
    assert found["proof"] == "passed"
    assert found["schema"] == "passed"
    assert found["status"] == "failed"
    assert "Revoked" in report.check("status").message
    assert [c.name for c in report.checks if c.outcome == "failed"] == ["status"]


def test_as_dict_has_the_documented_keys() -> None:
    found = check(read(CONSTRUCTED / MINIMAL)).as_dict()
    assert set(found) == {"verified", "credential_id", "issuer", "achievement", "checks"}
    assert found["verified"] is True
    assert found["credential_id"] == "urn:uuid:6a9c1f0e-8f1b-4f7c-9a51-0d2b3c4e5f60"
    assert found["checks"][0] == {"check": "parse", "outcome": "passed",
                                  "message": "Read the credential from JSON."}


def leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in leaves(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in leaves(v, (*path, i))]
    return [path]


def changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        return value[:-1] + ("x" if not value.endswith("x") else "y")
    return "x"


@pytest.mark.parametrize("name", [FULL, MINIMAL])
def test_changing_any_signed_field_fails_the_proof(name: str) -> None:
    original = json.loads(read(CONSTRUCTED / name))
    paths = leaves(original)
    assert len(paths) > 20
    for path in paths:
        tampered = copy.deepcopy(original)
        node = tampered
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = changed(node[path[-1]])
        report = check(tampered, Offline(lists={}))
        assert report.check("proof").outcome == "failed", path


def test_adding_a_field_no_context_defines_is_a_warning_it_travels_unsigned() -> None:
    original = json.loads(read(CONSTRUCTED / MINIMAL))
    report = check({**original, "undefinedClaim": "unsigned"})
    assert report.check("contexts").outcome == "warning"
    assert "undefinedClaim" in report.check("contexts").message


# ------------------------------------------------------------------------------ JWTs

def jwt_parts() -> list[str]:
    return read(CONSTRUCTED / "constructed-minimal.vc-jwt-rs256.jwt").decode().strip().split(".")


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unb64(part: str) -> dict[str, Any]:
    return dict(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))))


def test_a_tampered_jwt_fails_the_proof() -> None:
    header, payload, signature = jwt_parts()
    claims = unb64(payload)
    claims["name"] = "Something else"
    report = check(".".join([header, b64(claims), signature]))
    assert report.check("proof").outcome == "failed"
    assert "does not verify" in report.check("proof").message


def test_a_jwt_whose_claims_disagree_with_the_credential_fails() -> None:
    # Signed correctly, but iss names someone else: a key is needed, so sign one here.
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = DID_DOCUMENT["id"] + "#key-9"
    document = copy.deepcopy(DID_DOCUMENT)
    document["verificationMethod"].append({"id": kid, "type": "JsonWebKey",
                                           "controller": DID_DOCUMENT["id"],
                                           "publicKeyJwk": keys.rsa_public_jwk(key, kid)})
    document["assertionMethod"].append(kid)
    credential = {k: v for k, v in unb64(jwt_parts()[1]).items()
                  if k not in {"iss", "jti", "nbf"}}
    token = vcjwt.encode(credential, key, kid)
    offline = Offline(documents={DID_DOCUMENT["id"]: document})
    assert check(token, offline).verified
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    claims = {**unb64(token.split(".")[1]), "iss": "https://someone.example"}
    forged = jwt.encode({"alg": "RS256", "kid": kid}, claims, RSAKey.import_key(key))
    report = check(forged, offline)
    assert report.check("proof").outcome == "failed"
    assert "iss" in report.check("proof").message


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_unsigned_and_shared_secret_jwts_are_refused(alg: str) -> None:
    header, payload, _ = jwt_parts()
    forged_header = b64({**unb64(header), "alg": alg})
    signing_input = f"{forged_header}.{payload}".encode()
    secret = json.dumps(DID_DOCUMENT["verificationMethod"][1]["publicKeyJwk"]).encode()
    signature = "" if alg == "none" else base64.urlsafe_b64encode(
        hmac.new(secret, signing_input, hashlib.sha256).digest()).rstrip(b"=").decode()
    report = check(f"{forged_header}.{payload}.{signature}")
    assert report.check("proof").outcome == "failed"
    assert "refused" in report.check("proof").message
    assert not report.verified


# ------------------------------------------------------------- status lists, expiry

SIGNER = keys.ed25519_from_private_bytes(hashlib.sha256(b"uptake verify tests").digest())
DID_KEY = "did:key:" + keys.public_multikey(SIGNER)
METHOD = f"{DID_KEY}#{keys.public_multikey(SIGNER)}"
LIST_URL = "https://issuer.example/status/1"


def signed_list(index: int | None = None, *, purpose: str = "revocation",
                issuer: str = DID_KEY, entries: int = status.MIN_ENTRIES) -> dict[str, Any]:
    bits = bytearray(entries // 8)
    if index is not None:
        status.set_bit(bits, index)
    unsigned = status.list_credential(LIST_URL, issuer, bytes(bits), "2025-01-01T00:00:00Z",
                                      purpose)
    if entries < status.MIN_ENTRIES:
        unsigned["credentialSubject"]["encodedList"] = status.encode(bytes(bits))
    return proof.sign(unsigned, SIGNER, METHOD, "2025-01-01T00:00:00Z")


def signed_credential(**extra: Any) -> dict[str, Any]:
    unsigned = json.loads(read(CONSTRUCTED / MINIMAL))
    unsigned.pop("proof")
    unsigned["issuer"] = {**unsigned["issuer"], "id": DID_KEY}
    unsigned.update(extra)
    return proof.sign(unsigned, SIGNER, METHOD, "2025-01-01T00:00:00Z")


def with_status(index: int = 7) -> dict[str, Any]:
    return signed_credential(credentialStatus=status.entry(LIST_URL, index))


def test_a_did_key_credential_verifies_and_its_status_is_checked() -> None:
    report = check(with_status(), Offline(lists={LIST_URL: signed_list(8)}))
    assert report.verified
    assert report.check("status").outcome == "passed"


def test_a_set_bit_is_revoked() -> None:
    report = check(with_status(7), Offline(lists={LIST_URL: signed_list(7)}))
    assert report.check("status").outcome == "failed"
    assert report.check("status").message.startswith("Revoked")


@pytest.mark.parametrize(("listed", "words"), [
    (lambda: signed_list(purpose="suspension"), "is for 'suspension'"),
    (lambda: signed_list(entries=1024), "fewer than"),
    (lambda: {**signed_list(), "validFrom": "2025-01-02T00:00:00Z"}, "proof does not verify"),
    (lambda: {**signed_list(), "type": ["VerifiableCredential"]}, "not a Bitstring"),
])
def test_a_status_list_that_cannot_be_trusted_fails(listed: Any, words: str) -> None:
    report = check(with_status(), Offline(lists={LIST_URL: listed()}))
    assert report.check("status").outcome == "failed"
    assert words in report.check("status").message


def test_a_status_list_of_another_issuer_is_a_warning() -> None:
    other = keys.ed25519_from_private_bytes(hashlib.sha256(b"another issuer").digest())
    other_did = "did:key:" + keys.public_multikey(other)
    bits = bytes(status.empty())
    listed = proof.sign(status.list_credential(LIST_URL, other_did, bits, "2025-01-01T00:00:00Z"),
                        other, f"{other_did}#{keys.public_multikey(other)}",
                        "2025-01-01T00:00:00Z")
    report = check(with_status(), Offline(lists={LIST_URL: listed}))
    assert report.check("status").outcome == "warning"
    assert "not the credential's" in report.check("status").message


def test_a_did_key_that_is_not_the_issuers_fails() -> None:
    credential = signed_credential()
    report = check({**credential, "issuer": {**credential["issuer"],
                                             "id": "https://issuer.example"}})
    assert report.check("proof").outcome == "failed"


def test_a_key_missing_from_assertion_method_or_another_controllers_fails() -> None:
    not_asserting = {**DID_DOCUMENT, "assertionMethod": []}
    report = check(read(CONSTRUCTED / MINIMAL),
                   Offline(documents={DID_DOCUMENT["id"]: not_asserting}))
    assert "not one of the assertion methods" in report.check("proof").message
    other = copy.deepcopy(DID_DOCUMENT)
    other["verificationMethod"][0]["controller"] = "did:web:elsewhere.example"
    report = check(read(CONSTRUCTED / MINIMAL), Offline(documents={DID_DOCUMENT["id"]: other}))
    assert "is not the issuer" in report.check("proof").message


def test_an_expired_credential_fails() -> None:
    report = check(signed_credential(validUntil="2025-06-01T00:00:00Z"))
    assert report.check("proof").outcome == "passed"
    assert report.check("expiry").outcome == "failed"
    assert "Expired" in report.check("expiry").message
    later = check(signed_credential(validUntil="2099-06-01T00:00:00Z"))
    assert later.check("expiry").outcome == "passed"


def test_a_credential_not_valid_yet_fails() -> None:
    report = check(read(CONSTRUCTED / MINIMAL), now=datetime(2020, 1, 1, tzinfo=UTC))
    assert report.check("expiry").outcome == "failed"
    assert "Not valid yet" in report.check("expiry").message


# ----------------------------------------------------------------------- bad input

@pytest.mark.parametrize(("data", "words"), [
    (b"", "nothing to verify"),
    (b"hello there", "neither"),
    (b"\xff\xfe\x00binary", "not text"),
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "not a credential"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "PNG"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "no baked credential"),
    (b"abc.def.ghi", "VC-JWT cannot be read"),
])
def test_unreadable_input_fails_the_parse_check_saying_why(data: bytes, words: str) -> None:
    report = check(data)
    assert report.checks[0].outcome == "failed"
    assert words in report.checks[0].message
    assert {c.outcome for c in report.checks[1:]} == {"skipped"}
    assert not report.verified
    assert report.as_dict()["credential_id"] is None
