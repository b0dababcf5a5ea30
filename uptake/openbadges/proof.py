"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C VC-DI-EdDSA, 3.3).

To sign: the proof options plus the credential's ``@context`` are canonicalised, and so is
the credential without its proof; the data signed is SHA-256 of the first followed by
SHA-256 of the second; the signature is Ed25519 and the ``proofValue`` its base58btc
multibase. Open Badges 3.0 wants ``proof`` as an array.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from uptake.openbadges import jsonld, keys

TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PURPOSE = "assertionMethod"


def options(verification_method: str, created: str) -> dict[str, Any]:
    return {"type": TYPE, "cryptosuite": CRYPTOSUITE, "created": created,
            "verificationMethod": verification_method, "proofPurpose": PURPOSE}


@dataclass(frozen=True)
class Hashes:
    proof: bytes
    document: bytes

    @property
    def data(self) -> bytes:
        return self.proof + self.document


def hashes(document: dict[str, Any], proof_options: dict[str, Any]) -> Hashes:
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    config = {k: v for k, v in proof_options.items() if k != "proofValue"}
    config["@context"] = unsigned["@context"]
    return Hashes(proof=hashlib.sha256(jsonld.canonical(config).encode()).digest(),
                  document=hashlib.sha256(jsonld.canonical(unsigned).encode()).digest())


def sign(document: dict[str, Any], key: ed25519.Ed25519PrivateKey, verification_method: str,
         created: str) -> dict[str, Any]:
    """The document with a proof added to its ``proof`` array (the document's own proofs
    are not part of what is signed)."""
    proof_options = options(verification_method, created)
    value = keys.multibase(key.sign(hashes(document, proof_options).data))
    existing = [p for p in _as_list(document.get("proof"))]
    return {**{k: v for k, v in document.items() if k != "proof"},
            "proof": [*existing, {**proof_options, "proofValue": value}]}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def proofs(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in _as_list(document.get("proof")) if isinstance(p, dict)]


def is_ours(proof: dict[str, Any]) -> bool:
    return proof.get("type") == TYPE and proof.get("cryptosuite") == CRYPTOSUITE


def verify(document: dict[str, Any], proof: dict[str, Any],
           public_key: ed25519.Ed25519PublicKey) -> bool:
    """Whether ``proof`` (one of the document's) is a valid eddsa-rdfc-2022 signature."""
    try:
        signature = keys.from_multibase(str(proof.get("proofValue", "")))
        public_key.verify(signature, hashes(document, proof).data)
    except (InvalidSignature, ValueError):
        return False
    return True
