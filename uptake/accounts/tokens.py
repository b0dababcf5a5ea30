"""Secrets handed out in links (invitations today; share links and API tokens next).

The secret goes to the person (in an e-mail, a link, a header) and only its SHA-256 is
stored, so a copy of the database opens nothing. A row holding a token has a ``token``
field for the digest and may have ``expires_at`` and ``revoked_at``; :func:`find` looks a
secret up by its digest and :func:`is_live` says whether the row may still be used.

>>> t = new_token()
>>> len(t.secret) >= 43 and t.digest == digest(t.secret) and len(t.digest) == 64
True
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

# Longer than any secret we make: anything longer is refused before it is hashed.
MAX_SECRET_LENGTH = 200


@dataclass(frozen=True)
class NewToken:
    """A secret to hand out, and the digest to store in its place."""

    secret: str
    digest: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token() -> NewToken:
    secret = secrets.token_urlsafe(32)
    return NewToken(secret, digest(secret))


def find[M: Model](qs: QuerySet[M], secret: str, *, field: str = "token",
                  lock: bool = False) -> M | None:
    """The row of ``qs`` whose ``field`` holds the digest of ``secret``, or None."""
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    if lock:
        qs = qs.select_for_update()
    return qs.filter(**{field: digest(secret)}).first()


def is_live(row: Any, now: datetime | None = None) -> bool:
    """Not revoked and not expired (a row without those fields never is)."""
    now = now or timezone.now()
    expires = getattr(row, "expires_at", None)
    return getattr(row, "revoked_at", None) is None and (expires is None or expires > now)
