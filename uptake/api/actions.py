"""The only way API tokens are made, used and revoked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from uptake.accounts import tokens
from uptake.api import scopes as api_scopes
from uptake.api.models import Integration, PersonalToken
from uptake.audit.actions import record
from uptake.rules import Invalid, NotAllowed

if TYPE_CHECKING:
    from django.http import HttpRequest

    from uptake.accounts.models import User

SECRET_PREFIX = "upt_"
MAX_LIFETIME = timedelta(days=366)
DEFAULT_LIFETIME = timedelta(days=90)
# A token's "last used" is written at most this often: one write per request would make
# every read a write.
LAST_USED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class MadeToken:
    """A new token and its secret, which exists only here and is shown once."""

    token: PersonalToken
    secret: str


def clean_name_and_scopes(name: str, scopes: list[str], *, empty_name: str,
                          thing: str) -> tuple[str, list[str]]:
    """A credential's name and scopes as stored, or the refusal naming the field:
    ``empty_name`` is the message for a blank name, ``thing`` what the scopes are of."""
    name = name.strip()
    if not name:
        raise Invalid(empty_name, field="name")
    if len(name) > 100:
        raise Invalid("Keep the name under 100 characters.", field="name")
    wanted = sorted(set(scopes))
    if not wanted:
        raise Invalid(f"Choose at least one thing the {thing} may do.", field="scopes")
    if bad := api_scopes.unknown(wanted):
        raise Invalid(f"Unknown scope: {', '.join(bad)}.", field="scopes")
    return name, wanted


def create_token(user: User, *, name: str, scopes: list[str],
                 expires_at: datetime | None = None,
                 request: HttpRequest | None = None) -> MadeToken:
    """A personal access token for ``user``, acting as her with only ``scopes``."""
    name, wanted = clean_name_and_scopes(
        name, scopes, thing="token",
        empty_name="Say what the token is for, so you can tell it apart later.")
    now = timezone.now()
    expires_at = expires_at or now + DEFAULT_LIFETIME
    if expires_at <= now:
        raise Invalid("The expiry date must be in the future.", field="expires_at")
    if expires_at > now + MAX_LIFETIME:
        raise Invalid("A token lasts at most a year; choose an earlier expiry date.",
                      field="expires_at")
    if not user.is_active:
        raise NotAllowed("This account is closed.")
    made = tokens.new_token()
    secret = SECRET_PREFIX + made.secret
    with transaction.atomic():
        token = PersonalToken.objects.create(
            user=user, name=name, token=tokens.digest(secret), prefix=secret[:10],
            scopes=wanted, expires_at=expires_at)
        record("api_token_created", actor=user, request=request, obj=token,
               summary=f"API token “{name}” ({token.prefix}…) created",
               details={"scopes": wanted, "expires_at": expires_at.isoformat()})
    return MadeToken(token, secret)


def revoke_token(token: PersonalToken, *, actor: User,
                 request: HttpRequest | None = None) -> PersonalToken:
    """Revoke a token at once; its owner (or a coordinator of her district) may."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    record("api_token_revoked", actor=actor, request=request, obj=token,
           district=token.user.district,
           summary=f"API token “{token.name}” ({token.prefix}…) of {token.user.email} revoked")
    return token


def find_live_token(secret: str) -> PersonalToken | None:
    """The live token this secret opens, or None (missing, expired or revoked alike)."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    token = tokens.find(PersonalToken.objects.select_related("user", "user__district"), secret)
    if token is None or not tokens.is_live(token):
        return None
    return token


def note_use(credential: PersonalToken | Integration, ip: str | None) -> None:
    """Remember when (and from where) a token or integration was last used, at most once a
    minute."""
    now = timezone.now()
    last = credential.last_used_at
    if last is None or now - last >= LAST_USED_EVERY or credential.last_used_ip != ip:
        type(credential).objects.filter(pk=credential.pk).update(last_used_at=now,
                                                                 last_used_ip=ip)
        credential.last_used_at, credential.last_used_ip = now, ip
