"""Keys: Ed25519 as W3C Multikeys, RSA as JWKs.

An Ed25519 public key's ``publicKeyMultibase`` is ``z`` + base58btc(0xed 0x01 + the 32-byte
key), so it always starts ``z6Mk`` (W3C Controlled Identifiers, Multikey).
"""

from __future__ import annotations

import base64
from typing import Any

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

ED25519_HEADER = b"\xed\x01"
ED25519_SECRET_HEADER = b"\x80\x26"


def multibase(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def from_multibase(value: str) -> bytes:
    if not value.startswith("z"):
        raise ValueError("Only base58btc multibase values (starting with 'z') are supported.")
    return bytes(base58.b58decode(value[1:]))


def new_ed25519() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


def ed25519_private_bytes(key: ed25519.Ed25519PrivateKey) -> bytes:
    return key.private_bytes_raw()


def ed25519_from_private_bytes(seed: bytes) -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed[:32])


def public_multikey(key: ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, ed25519.Ed25519PrivateKey) else key
    return multibase(ED25519_HEADER + public.public_bytes_raw())


def ed25519_from_multikey(value: str) -> ed25519.Ed25519PublicKey:
    raw = from_multibase(value)
    if raw[:2] != ED25519_HEADER or len(raw) != 34:
        raise ValueError("The key is not an Ed25519 Multikey (0xed01 and 32 bytes).")
    return ed25519.Ed25519PublicKey.from_public_bytes(raw[2:])


def new_rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def rsa_private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def rsa_from_pem(pem: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("The key is not an RSA private key.")
    return key


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def rsa_public_jwk(key: rsa.RSAPrivateKey | rsa.RSAPublicKey, kid: str) -> dict[str, Any]:
    """The public half as a JWK (never ``d``), with its ``kid`` and ``alg`` RS256."""
    public = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
    numbers = public.public_numbers()
    return {"kty": "RSA", "n": _b64(numbers.n), "e": _b64(numbers.e), "alg": "RS256",
            "use": "sig", "kid": kid}
