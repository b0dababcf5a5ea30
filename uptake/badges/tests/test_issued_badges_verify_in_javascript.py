"""What Uptake signs verifies in JavaScript too: jsonld.js in safe mode with Digital Bazaar's
``@digitalbazaar/vc``, ``data-integrity`` and ``eddsa-rdfc-2022-cryptosuite`` (the stack
behind the DCC wallets), offline, from the bundled contexts and the issuer's DID document
only (``tests/crosscheck/verify.mjs``). A tampered copy fails there too.

Node.js and the npm packages come from ``make test-deps`` (package-lock.json)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from uptake.badges.tests.fixtures import document, issued

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "tests" / "crosscheck" / "verify.mjs"
CONSTRUCTED = ROOT / "uptake" / "openbadges" / "tests" / "data" / "constructed"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed: "
                                "`make test-deps` installs it with the npm packages")


def verify_in_javascript(tmp_path: Path, credential: dict[str, Any], did: dict[str, Any],
                         *status_lists: dict[str, Any]) -> dict[str, Any]:
    """``{"verified": ..., "error": ...}`` as verify.mjs prints it."""
    if not (ROOT / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        pytest.fail("jsonld.js and @digitalbazaar/vc are not installed: run `make test-deps` "
                    "(npm ci from package-lock.json).")
    paths = []
    for n, given in enumerate((credential, did, *status_lists)):
        path = tmp_path / f"document-{n}.json"
        path.write_text(json.dumps(given, ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    assert NODE is not None
    done = subprocess.run([NODE, str(SCRIPT), *paths], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, check=False)
    assert done.stdout.strip(), done.stderr
    result = dict(json.loads(done.stdout.strip().splitlines()[-1]))
    assert done.returncode == (0 if result["verified"] else 1), done.stderr
    return result


def read(name: str) -> dict[str, Any]:
    return dict(json.loads((CONSTRUCTED / name).read_text(encoding="utf-8")))


# ----------------------------------------------------------------- Uptake's own

@pytest.mark.django_db
def test_an_issued_badge_verifies_in_javascript(world: Any, tmp_path: Path) -> None:
    from uptake.badges import documents

    badge = issued(world)
    signed = document(badge)
    did = documents.did_document(badge.issuer)
    served = json.loads(badge.status_list.signed)
    assert verify_in_javascript(tmp_path, signed, did, served) == {"verified": True,
                                                                   "error": None}
    # The status list credential itself verifies as well.
    assert verify_in_javascript(tmp_path, served, did)["verified"] is True

    tampered = json.loads(badge.document)
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    failed = verify_in_javascript(tmp_path, tampered, did, served)
    assert failed["verified"] is False and "signature" in failed["error"].lower()


@pytest.mark.django_db
def test_a_revoked_badge_fails_on_its_status_in_javascript(world: Any, tmp_path: Path
                                                           ) -> None:
    from uptake.badges import documents
    from uptake.badges.actions import do_revoke

    badge = do_revoke(issued(world), actor=None, reason="Awarded in error")
    failed = verify_in_javascript(tmp_path, document(badge),
                                  documents.did_document(badge.issuer),
                                  json.loads(badge.status_list.signed))
    assert failed == {"verified": False, "error": "The credential's revocation bit is set."}


@pytest.mark.django_db
def test_a_badge_with_results_and_alignments_verifies_in_javascript(world: Any,
                                                                     tmp_path: Path) -> None:
    """A richer credential (alignments, result descriptions, results, evidence), signed
    by Uptake's signer with the issuer's key: the two canonicalisations agree on it."""
    from uptake.badges import documents, keystore
    from uptake.badges.models import IssuerKey
    from uptake.openbadges import jsonld, proof, schema

    badge = issued(world)
    rich = {k: v for k, v in document(badge).items() if k != "proof"}
    achievement = rich["credentialSubject"]["achievement"]
    if "alignment" not in achievement:
        achievement["alignment"] = [{
            "type": ["Alignment"], "targetName": "Standard 4: Learning designs",
            "targetUrl": "https://example.org/standards/learning-designs",
            "targetDescription": "Integrates theories, research and models of human "
                                 "learning.", "targetFramework": "Standards for Professional "
                                                                 "Learning",
            "targetType": "CFItem"}]
    if "resultDescription" not in achievement:
        achievement["resultDescription"] = [{
            "id": "urn:uuid:2d8e1c5a-6f0b-4f1e-9c7a-3b2d1e0f9a8b",
            "type": ["ResultDescription"], "name": "Impact tier",
            "resultType": "RubricCriterionLevel", "allowedValue": ["Not yet", "On track"]}]
    subject = rich["credentialSubject"]
    subject.setdefault("result", [{"type": ["Result"],
                                   "resultDescription":
                                       "urn:uuid:2d8e1c5a-6f0b-4f1e-9c7a-3b2d1e0f9a8b",
                                   "value": "On track", "status": "Completed"}])
    rich.setdefault("evidence", [{"id": "https://example.org/evidence/1",
                                  "type": ["Evidence"], "name": "Exit tickets, weekly"}])
    assert schema.problems(rich) == [] and jsonld.undefined_terms(rich) == []
    key = keystore.signing_key(badge.issuer, IssuerKey.Kind.ED25519)
    assert key is not None
    signed = proof.sign(rich, keystore.ed25519_private(key), keystore.verification_method(key),
                        documents.iso(badge.issued_at))
    did = documents.did_document(badge.issuer)
    served = json.loads(badge.status_list.signed)
    assert verify_in_javascript(tmp_path, signed, did, served)["verified"] is True
    signed["credentialSubject"]["result"][0]["value"] = "Not yet"
    assert verify_in_javascript(tmp_path, signed, did, served)["verified"] is False


@pytest.mark.django_db
def test_safe_mode_refuses_a_term_no_context_defines(world: Any, tmp_path: Path) -> None:
    """What Uptake's strict-term check stops before signing, jsonld.js in safe mode
    refuses on verifying: the two agree that such a key cannot travel unsigned."""
    from uptake.badges import documents, keystore
    from uptake.badges.models import IssuerKey
    from uptake.openbadges import jsonld, proof

    badge = issued(world)
    loose = {k: v for k, v in document(badge).items() if k != "proof"}
    loose["credentialSubject"]["nickname"] = "Jay"
    assert jsonld.undefined_terms(loose) == ["credentialSubject.nickname"]
    key = keystore.signing_key(badge.issuer, IssuerKey.Kind.ED25519)
    assert key is not None
    signed = proof.sign(loose, keystore.ed25519_private(key), keystore.verification_method(key),
                        documents.iso(badge.issued_at))
    failed = verify_in_javascript(tmp_path, signed, documents.did_document(badge.issuer),
                                  json.loads(badge.status_list.signed))
    assert failed["verified"] is False and "nickname" in failed["error"]


# ------------------------------------------------------------- 1EdTech's fixtures

def test_the_constructed_fixtures_verify_in_javascript(tmp_path: Path) -> None:
    did = read("constructed-issuer-did.json")
    minimal = read("constructed-minimal.signed-eddsa-rdfc-2022.json")
    assert verify_in_javascript(tmp_path, minimal, did) == {"verified": True, "error": None}
    status_list = read("constructed-bitstring-status-list.signed.json")
    assert verify_in_javascript(tmp_path, status_list, did)["verified"] is True

    # The full one's bit (42) is set in the constructed list: its proof holds, its status
    # does not.
    full = read("constructed-teacher-microcredential-full.signed-eddsa-rdfc-2022.json")
    assert verify_in_javascript(tmp_path, full, did, status_list) == {
        "verified": False, "error": "The credential's revocation bit is set."}

    tampered = {**minimal, "name": "Formative Assessment Expert"}
    assert verify_in_javascript(tmp_path, tampered, did)["verified"] is False
    # A DID document without the signing key: nothing else is fetched, so it fails.
    stranger = {**did, "verificationMethod": did["verificationMethod"][1:],
                "assertionMethod": did["assertionMethod"][1:]}
    assert verify_in_javascript(tmp_path, minimal, stranger)["verified"] is False
