"""Issuer keys: made, encrypted at rest, and read back to sign.

Private keys are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under
``BADGE_KEY_ENCRYPTION_KEYS``; the first key encrypts and every listed key decrypts
(``MultiFernet``), so the encryption key can be rotated without losing an issuer's key.
The demo and the tests, which have no such setting, derive one from ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from django.conf import settings

from uptake.badges.models import Issuer, IssuerKey
from uptake.openbadges import keys


def _fernet() -> MultiFernet:
    given = [k for k in settings.BADGE_KEY_ENCRYPTION_KEYS if k]
    if not given:
        derived = hashlib.sha256(b"uptake badge keys:" + settings.SECRET_KEY.encode()).digest()
        given = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(k.encode()) for k in given])


def encrypt(secret: bytes) -> str:
    return _fernet().encrypt(secret).decode("ascii")


def decrypt(token: str) -> bytes:
    return _fernet().decrypt(token.encode("ascii"))


def reencrypt(token: str) -> str:
    """The same secret under the first (newest) encryption key."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


# ----------------------------------------------------------------------- identifiers

def host() -> str:
    """The did:web host part: SITE_URL's host, its port's colon percent-encoded."""
    netloc = urlsplit(settings.SITE_URL).netloc
    return quote(netloc, safe="")


def base_url() -> str:
    return settings.SITE_URL.rstrip("/")


def did(issuer: Issuer) -> str:
    return f"did:web:{host()}:issuers:{issuer.uuid}"


def did_document_url(issuer: Issuer) -> str:
    return f"{base_url()}/issuers/{issuer.uuid}/did.json"


def verification_method(key: IssuerKey) -> str:
    return f"{did(key.issuer)}#{key.fragment}"


# ------------------------------------------------------------------------------ keys

def make_key(issuer: Issuer, kind: str) -> IssuerKey:
    """A new key of this kind, numbered after the issuer's last (not saved as signing key
    until the caller retires the previous one: see ``actions.do_rotate_key``)."""
    number = (issuer.keys.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    key = IssuerKey(issuer=issuer, number=number, kind=kind)
    if kind == IssuerKey.Kind.ED25519:
        private = keys.new_ed25519()
        key.public = keys.public_multikey(private)
        key.private_encrypted = encrypt(keys.ed25519_private_bytes(private))
    else:
        rsa_key = keys.new_rsa()
        key.public = json.dumps(keys.rsa_public_jwk(rsa_key, verification_method(key)))
        key.private_encrypted = encrypt(keys.rsa_private_pem(rsa_key))
    return key


def ed25519_private(key: IssuerKey) -> ed25519.Ed25519PrivateKey:
    return keys.ed25519_from_private_bytes(decrypt(key.private_encrypted))


def rsa_private(key: IssuerKey) -> rsa.RSAPrivateKey:
    return _rsa_private(key.private_encrypted)


@lru_cache(maxsize=64)
def _rsa_private(token: str) -> rsa.RSAPrivateKey:
    # Loading a PEM checks the RSA key's numbers (~50 ms); a bulk award signs with the same
    # key a thousand times. Keyed by the encrypted text, so a new key is a new entry.
    return keys.rsa_from_pem(decrypt(token))


def signing_key(issuer: Issuer, kind: str) -> IssuerKey | None:
    return issuer.keys.filter(kind=kind, retired_at=None).first()


def public_jwk(key: IssuerKey) -> dict[str, Any]:
    return dict(json.loads(key.public))
