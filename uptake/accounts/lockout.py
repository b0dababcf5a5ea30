"""How django-axes names the account a sign-in attempt was for.

allauth authenticates with ``email=...`` while the form field is ``login``; axes' default
lookup (``AXES_USERNAME_FORM_FIELD``) would see neither in the credentials and lock a
``None`` username shared by everyone. This callable finds the attempted e-mail wherever it
is and lower-cases it, so ``Jamie@…`` and ``jamie@…`` count against the same account.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

_KEYS = ("email", "login", "username")


def attempted_login(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The normalised e-mail a sign-in attempt named ('' when there was none)."""
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        for key in _KEYS:
            value = source.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip().lower()
    return ""
