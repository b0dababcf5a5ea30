"""The cryptosuite reproduces 1EdTech's published eddsa-rdfc-2022 test vector exactly, and
the bundled contexts and schemas are the official copies, byte for byte."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from uptake.openbadges import jsonld, keys, proof

VECTORS = Path(__file__).resolve().parent / "data" / "eddsa-rdfc-2022"


def vector() -> dict[str, Any]:
    return dict(json.loads((VECTORS / "ob3-test-vector.json").read_text(encoding="utf-8")))


def proof_options(found: dict[str, Any]) -> dict[str, Any]:
    return dict(found["proofOptions_without_context"])


def test_the_canonical_n_quads_are_the_published_ones() -> None:
    found = vector()
    config = {**proof_options(found), "@context": found["unsignedCredential"]["@context"]}
    assert jsonld.canonical(found["unsignedCredential"]) == (
        VECTORS / found["documentCanonFile"]).read_text(encoding="utf-8")
    assert jsonld.canonical(config) == (VECTORS / found["proofCanonFile"]).read_text(
        encoding="utf-8")


def test_the_hashes_signature_and_proof_value_are_the_published_ones() -> None:
    found = vector()
    hashes = proof.hashes(found["unsignedCredential"], proof_options(found))
    assert hashes.document.hex() == found["documentHashHex"]
    assert hashes.proof.hex() == found["proofHashHex"]
    assert hashes.data.hex() == found["dataToSignHex"]
    key = keys.ed25519_from_private_bytes(bytes.fromhex(found["privateKeyHex_seed32_plus_pub32"]))
    assert keys.public_multikey(key) == found["publicKeyMultibase"]
    assert key.sign(hashes.data).hex() == found["signatureHex"]
    options = proof_options(found)
    signed = proof.sign(found["unsignedCredential"], key, options["verificationMethod"],
                        options["created"])
    assert signed["proof"][0]["proofValue"] == found["proofValue"]
    # The published credential has its one proof as an object; Open Badges wants a list.
    assert signed == {**found["signedCredential"], "proof": [found["signedCredential"]["proof"]]}


def test_the_published_signed_credential_verifies() -> None:
    from uptake.openbadges.verify import verify

    found = vector()

    def nothing(ref: str) -> dict[str, Any]:
        raise LookupError(f"{ref} is not needed")

    report = verify(json.dumps(found["signedCredential"]), resolve_key=nothing,
                    fetch_status=nothing)
    assert report.check("proof").outcome == "passed"
    assert report.verified


# SHA-256 of the official files as bundled: a changed copy fails here (see data/README.md).
PINNED = {
    "contexts/clr_v2p0_context-2.0.1.json":
        "880f1902d4158f2f33ce06af41b90719977cd1ea337a9de2e41edb3ff5e543d6",
    "contexts/credentials-v1.jsonld":
        "3d0b277522ed24385c850b9882b9688687189b8f37a9bd9f1577e348b1019c44",
    "contexts/credentials-v2.jsonld":
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    "contexts/data-integrity-v1.jsonld":
        "b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554",
    "contexts/data-integrity-v2.jsonld":
        "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4",
    "contexts/did-v1.jsonld":
        "adefa50311393eb1bd788a38ac9fe2696c65367928f6996812cd54577394f4da",
    "contexts/jwk-v1.jsonld":
        "0f14b62f6071aafe00df265770ea0c7508e118247d79b7d861a406d2aa00bece",
    "contexts/multikey-v1.jsonld":
        "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597",
    "contexts/ob_v2p0_context.json":
        "3c0c25a0e581c64cbe632197377c4f334c6c0b95f0d90e3b74449781612b153d",
    "contexts/ob_v3p0_context-3.0.1.json":
        "d582f3564282fb3b709136d28412e78e70b678b4dbc2f0221f67d84932748355",
    "contexts/ob_v3p0_context-3.0.2.json":
        "00666ad080ba407687ed1846b7f5e7495f5019042b202a727de47c48a1755c53",
    "contexts/ob_v3p0_context-3.0.3.json":
        "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
    "contexts/ob_v3p0_extensions.json":
        "146f85aa16effd7ca1da8056eb443f53ce1eca8a34186cb062832c0a97d889c3",
    "schemas/ob_v3p0_achievementcredential_schema.json":
        "5753fb3ecf7d024ed273dd364bd683f483eb47257e718e6618832cf89eb2083a",
    "schemas/ob_v3p0_endorsementcredential_schema.json":
        "4627e1878848d0192c3f9e26f09ef88a96ad48a46f5fca11b80b679ece0de345",
    "schemas/ob_v3p0_getopenbadgecredentialsresponse_schema.json":
        "37fd69152b5ad8df481fc3c25a8f56f6af9020d873f9937c2b617f5b4b42bf6a",
    "schemas/ob_v3p0_imsx_statusinfo_schema.json":
        "5e0c865c697f6662c29abe9e623981f2d78823d16646c1479c959b3d84aaf569",
    "schemas/ob_v3p0_profile_schema.json":
        "9b05049f720b8ad9bd7aed358ca59c643c34bf1cec0b29fd7baa8bf98efed164",
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_each_bundled_file_is_the_pinned_official_copy(name: str) -> None:
    assert hashlib.sha256((jsonld.DATA / name).read_bytes()).hexdigest() == PINNED[name]


def test_every_bundled_file_is_pinned_and_every_context_is_bundled() -> None:
    on_disk = {str(p.relative_to(jsonld.DATA)) for p in jsonld.DATA.glob("*/*")
               if p.suffix in {".json", ".jsonld"}}
    assert on_disk == set(PINNED)
    assert {f"contexts/{name}" for name in jsonld.BUNDLED.values()} <= set(PINNED)
