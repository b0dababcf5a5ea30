"""W3C Bitstring Status List v1.0: the list, its encoding, and its entries.

Bit ``i`` is bit ``7 - i % 8`` of byte ``i // 8`` (index 0 is the most significant bit of
the first byte); 1 means the status (here, revoked) is set. ``encodedList`` is the multibase
base64url (``u``, no padding) of the GZIP-compressed bitstring. A list has at least
131,072 entries (16 KiB) so that one credential hides among many.
"""

from __future__ import annotations

import base64
import gzip
from typing import Any

MIN_ENTRIES = 131_072
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_TYPE = "BitstringStatusList"
CREDENTIAL_TYPE = "BitstringStatusListCredential"
MEDIA_TYPE = "application/vc+ld+json"


def empty(entries: int = MIN_ENTRIES) -> bytearray:
    if entries < MIN_ENTRIES or entries % 8:
        raise ValueError(f"A status list has at least {MIN_ENTRIES} entries, a multiple of 8.")
    return bytearray(entries // 8)


def get(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"Index {index} is outside a list of {len(bits) * 8} entries.")
    return bool(bits[index // 8] >> (7 - index % 8) & 1)


def set_bit(bits: bytearray, index: int, value: bool = True) -> None:
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"Index {index} is outside a list of {len(bits) * 8} entries.")
    mask = 1 << (7 - index % 8)
    bits[index // 8] = bits[index // 8] | mask if value else bits[index // 8] & ~mask


def encode(bits: bytes) -> str:
    # mtime=0: the same list always encodes to the same text.
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (starting with 'u').")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def entry(list_url: str, index: int, purpose: str = "revocation") -> dict[str, Any]:
    """A credential's ``credentialStatus`` pointing at one bit of a list."""
    return {"id": f"{list_url}#{index}", "type": ENTRY_TYPE, "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": list_url}


def list_credential(list_url: str, issuer: str, bits: bytes, valid_from: str,
                    purpose: str = "revocation") -> dict[str, Any]:
    """The unsigned status list credential (the issuer signs it)."""
    from uptake.openbadges.jsonld import VC_V2

    return {"@context": [VC_V2], "id": list_url,
            "type": ["VerifiableCredential", CREDENTIAL_TYPE], "issuer": issuer,
            "validFrom": valid_from,
            "credentialSubject": {"id": f"{list_url}#list", "type": LIST_TYPE,
                                  "statusPurpose": purpose, "encodedList": encode(bits)}}
