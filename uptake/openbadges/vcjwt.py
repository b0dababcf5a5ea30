"""VC-JWT (Open Badges 3.0, section 8.2): the credential as the claims of a compact JWS.

Signed with RS256, the algorithm 1EdTech's validator requires (it accepts RS256 and ES256,
not EdDSA). The claims are the credential itself (with its Data Integrity proof, which is
added first) plus ``iss`` (the issuer's id), ``jti`` (the credential's id), ``nbf``
(``validFrom``), ``exp`` (``validUntil``, when there is one) and ``sub`` when the subject
has an ``id``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

ALGORITHMS = ("RS256", "ES256")


def numeric_date(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def encode(credential: dict[str, Any], key: rsa.RSAPrivateKey, kid: str) -> str:
    issuer = credential["issuer"]
    claims = {**credential, "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
              "jti": credential["id"], "nbf": numeric_date(credential["validFrom"])}
    subject = credential.get("credentialSubject", {})
    if isinstance(subject, dict) and "id" in subject:
        claims["sub"] = subject["id"]
    if "validUntil" in credential:
        claims["exp"] = numeric_date(credential["validUntil"])
    return jwt.encode({"alg": "RS256", "kid": kid, "typ": "JWT"}, claims,
                      RSAKey.import_key(key), algorithms=["RS256"])


def looks_like(text: str) -> bool:
    parts = text.strip().split(".")
    return len(parts) == 3 and all(parts[:2])


def header(token: str) -> dict[str, Any]:
    """The JOSE header, unverified (to find the key)."""
    try:
        return dict(jws.extract_compact(token.strip().encode()).protected)
    except (JoseError, ValueError) as error:
        raise ValueError(f"Not a compact JWS: {error}") from error


def unverified_claims(token: str) -> dict[str, Any]:
    try:
        payload = jws.extract_compact(token.strip().encode()).payload
        return dict(json.loads(payload))
    except (JoseError, ValueError) as error:
        raise ValueError(f"The JWT's payload is not JSON: {error}") from error


def verify(token: str, public_jwk: dict[str, Any]) -> dict[str, Any]:
    """The claims, once the signature verifies with this JWK; ValueError otherwise.
    Only RS256 and ES256 are accepted: never ``none`` or a shared-secret algorithm."""
    alg = header(token).get("alg")
    if alg not in ALGORITHMS:
        raise ValueError(f"The JWT's algorithm {alg!r} is not accepted (only RS256, ES256).")
    key = (RSAKey if public_jwk.get("kty") == "RSA" else ECKey).import_key(
        {k: v for k, v in public_jwk.items() if k not in {"d", "p", "q", "dp", "dq", "qi"}})
    try:
        return dict(jwt.decode(token.strip(), key, algorithms=[alg]).claims)
    except (JoseError, ValueError) as error:
        raise ValueError(f"The JWT's signature does not verify: {error}") from error
