"""The one write path of Open Badges: issuers and keys, issuing, revoking, sharing.

Every signed credential is built by ``documents``, checked (official schema, no undefined
term) and only then signed; a credential that fails the checks is not issued and an
``IssueProblem`` tells the district's coordinators why.
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from uptake.audit.actions import record
from uptake.badges import documents, keystore
from uptake.badges.models import Badge, IssueProblem, Issuer, IssuerKey, StatusList
from uptake.openbadges import proof, status, vcjwt
from uptake.rules import Conflict, Invalid, NotAllowed

if TYPE_CHECKING:
    from django.http import HttpRequest

    from uptake.accounts.models import District, User
    from uptake.credentials.models import Award

logger = logging.getLogger(__name__)

ISSUED, NOT_ISSUED, REVOKED = "badge_issued", "badge_not_issued", "badge_revoked"
SHARED, UNSHARED, KEY_ADDED = "badge_shared", "badge_unshared", "issuer_key_added"
CLIENT_REGISTERED = "openbadges_client_registered"
PROFILE_CHANGED = "issuer_profile_changed"
AUDIT_KINDS = (
    (ISSUED, "Open Badge issued"),
    (NOT_ISSUED, "Open Badge could not be issued"),
    (REVOKED, "Open Badge revoked"),
    (SHARED, "Open Badge shared publicly"),
    (UNSHARED, "Open Badge no longer shared"),
    (KEY_ADDED, "Issuer signing key added"),
    (CLIENT_REGISTERED, "Open Badges API client registered"),
    (PROFILE_CHANGED, "Issuer profile changed"),
)
INDEX_ATTEMPTS = 64


def _command_line(actor: User | None, request: HttpRequest | None) -> str:
    """The audit label of a change made on the server's command line (``uptake issuers``,
    ``uptake credentials``): nobody is signed in."""
    return "command line" if actor is None and request is None else ""


# ---------------------------------------------------------------------------- issuers

def issuer_for(district: District) -> Issuer:
    """The district's issuer, made with its first keys (Ed25519 and RSA) and an empty
    status list the first time it is needed."""
    found = Issuer.objects.filter(district=district).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            issuer = Issuer.objects.create(district=district)
            for kind in (IssuerKey.Kind.ED25519, IssuerKey.Kind.RSA):
                keystore.make_key(issuer, kind).save()
            _new_status_list(issuer)
            return issuer
    except IntegrityError:  # made at the same moment by another request
        return Issuer.objects.get(district=district)


def _new_status_list(issuer: Issuer) -> StatusList:
    number = (issuer.status_lists.order_by("-number").values_list("number", flat=True)
              .first() or 0) + 1
    status_list = StatusList.objects.create(issuer=issuer, number=number,
                                            bits=bytes(status.empty()))
    _resign(status_list)
    return status_list


def _resign(status_list: StatusList) -> None:
    now = timezone.now()
    status_list.signed = documents.signed_status_list(status_list, now=now)
    status_list.signed_at = now
    status_list.save(update_fields=["signed", "signed_at"])


def do_rotate_key(issuer: Issuer, kind: str, *, actor: User | None,
                  request: HttpRequest | None = None) -> IssuerKey:
    """A new signing key of this kind. The old one is retired, never removed: the DID
    document keeps listing it so what it signed still verifies."""
    with transaction.atomic():
        Issuer.objects.select_for_update().get(pk=issuer.pk)
        issuer.keys.filter(kind=kind, retired_at=None).update(retired_at=timezone.now())
        key = keystore.make_key(issuer, kind)
        key.save()
        if kind == IssuerKey.Kind.ED25519:
            for status_list in issuer.status_lists.all():
                _resign(status_list)
        record(KEY_ADDED, actor=actor, request=request, obj=issuer, district=issuer.district,
               actor_label=_command_line(actor, request),
               summary=f"Added signing key {key.fragment} ({key.get_kind_display()}) for "
                       f"{issuer.district.name}; earlier keys stay listed")
    return key


def do_reencrypt_keys() -> int:
    """Every issuer's private keys encrypted again under the first of
    ``BADGE_KEY_ENCRYPTION_KEYS`` (after a new encryption key is put first); how many.
    All or nothing: a key no listed encryption key opens stops the whole run."""
    with transaction.atomic():
        found = list(IssuerKey.objects.select_for_update().order_by("pk"))
        for key in found:
            key.private_encrypted = keystore.reencrypt(key.private_encrypted)
        IssuerKey.objects.bulk_update(found, ["private_encrypted"])
    return len(found)


PROFILE_LIMITS = {"url": 200, "email": 254, "description": 2000}


def do_set_issuer_profile(issuer: Issuer, *, actor: User, url: str, email: str,
                          description: str, request: HttpRequest | None = None) -> Issuer:
    """The Profile every credential the district issues from now on names: its web site,
    where questions go, a description. Credentials already issued keep the profile they
    were signed with."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator, validate_email

    if not (actor.is_active and actor.has_role("coordinator")
            and actor.district_id == issuer.district_id):
        raise NotAllowed("Only a coordinator of the district changes its issuer profile.")
    values = {"url": url.strip(), "email": email.strip(), "description": description.strip()}
    for name, limit in PROFILE_LIMITS.items():
        if len(values[name]) > limit:
            raise Invalid(f"Keep it to {limit} characters.", field=name)
    if values["url"]:
        try:
            URLValidator(schemes=["https", "http"])(values["url"])
        except ValidationError:
            raise Invalid("Give the web site's full address, starting with https://.",
                          field="url") from None
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            raise Invalid("Give an e-mail address like questions@district.org.",
                          field="email") from None
    changed = [name for name, value in values.items() if getattr(issuer, name) != value]
    if not changed:
        return issuer
    for name in changed:
        setattr(issuer, name, values[name])
    issuer.save(update_fields=changed)
    record(PROFILE_CHANGED, actor=actor, request=request, obj=issuer,
           summary=f"Changed the issuer profile of {issuer.district.name} "
                   f"({', '.join(changed)})", details={"changed": changed})
    return issuer


# ---------------------------------------------------------------------------- issuing

def _allocate(issuer: Issuer) -> tuple[StatusList, int]:
    """A random index no credential has used, on a list with room (herd privacy: an index
    says nothing about when or to whom a credential was issued)."""
    for status_list in issuer.status_lists.order_by("number"):
        used = set(status_list.badges.values_list("status_index", flat=True))
        if len(used) >= status_list.entries // 2:
            continue  # fuller than half: random probes get slow; start the next list
        for _ in range(INDEX_ATTEMPTS):
            index = secrets.randbelow(status_list.entries)
            if index not in used:
                return status_list, index
    return _new_status_list(issuer), secrets.randbelow(StatusList._meta.get_field(
        "entries").get_default())


def do_issue(award: Award, *, actor: User | None = None,
             request: HttpRequest | None = None) -> Badge | None:
    """Sign the award as an OpenBadgeCredential (and a VC-JWT when the issuer has an RSA
    key). Returns None, with an ``IssueProblem`` recorded, when the checks fail."""
    existing = Badge.objects.filter(award=award).first()
    if existing is not None:
        return existing
    issuer = issuer_for(award.district)
    with transaction.atomic():
        status_list, index = _allocate(issuer)
        key = keystore.signing_key(issuer, IssuerKey.Kind.ED25519)
        assert key is not None
        badge = Badge(award=award, issuer=issuer, key=key, status_list=status_list,
                      status_index=index, salt=secrets.token_hex(16))
        now = timezone.now()
        unsigned = documents.unsigned_credential(badge, award, now=now)
        found = documents.problems(unsigned)
        if found:
            IssueProblem.objects.create(award=award, problems=found)
            record(NOT_ISSUED, actor=actor, request=request, obj=award,
                   summary=f"Could not issue “{award.version.title}” to "
                           f"{award.educator.display_name}: {found[0]}",
                   details={"problems": found})
            return None
        signed = proof.sign(unsigned, keystore.ed25519_private(key),
                            keystore.verification_method(key), documents.iso(now))
        badge.document = json.dumps(signed, indent=2, ensure_ascii=False)
        rsa_key = keystore.signing_key(issuer, IssuerKey.Kind.RSA)
        if rsa_key is not None:
            badge.jwt = vcjwt.encode(signed, keystore.rsa_private(rsa_key),
                                     keystore.verification_method(rsa_key))
        badge.issued_at = now
        badge.save()
        award.issue_problems.filter(resolved_at=None).update(resolved_at=now)
        record(ISSUED, actor=actor, request=request, obj=badge,
               summary=f"Issued “{award.version.title}” to {award.educator.display_name} "
                       "as an Open Badge")
    return badge


def issue_on_award(award: Award, actor: User | None) -> None:
    """The credentials app's award hook: issue at once; a failure never undoes the award."""
    try:
        with transaction.atomic():
            do_issue(award, actor=actor)
    except Exception:
        logger.exception("Could not issue award %s as an Open Badge", award.pk)
        IssueProblem.objects.create(
            award=award, problems=["Signing failed unexpectedly; the error is in the "
                                   "server's log. Try again from the credential's page."])


# ---------------------------------------------------------------------- revoke, share

def do_revoke(badge: Badge, *, actor: User | None, reason: str,
              request: HttpRequest | None = None) -> Badge:
    """Set the badge's bit in its status list and re-sign the list. The reason stays in
    our database (a Bitstring Status List cannot carry one)."""
    reason = reason.strip()
    if not reason:
        raise Invalid("Say why the credential is revoked: the reason is kept with it.")
    with transaction.atomic():
        locked = Badge.objects.select_for_update().get(pk=badge.pk)
        if locked.revoked_at is not None:
            raise Conflict("This credential is already revoked.")
        status_list = StatusList.objects.select_for_update().get(pk=locked.status_list_id)
        bits = bytearray(status_list.bits)
        status.set_bit(bits, locked.status_index)
        status_list.bits = bytes(bits)
        status_list.save(update_fields=["bits"])
        _resign(status_list)
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason
        locked.revoked_by = actor
        locked.shared_at = None
        locked.save(update_fields=["revoked_at", "revoked_reason", "revoked_by", "shared_at"])
        record(REVOKED, actor=actor, request=request, obj=locked,
               district=locked.issuer.district, actor_label=_command_line(actor, request),
               summary=f"Revoked “{locked.award.version.title}” of "
                       f"{locked.award.educator.display_name}: {reason}")
    return locked


def do_set_shared(badge: Badge, *, actor: User, shared: bool,
                  request: HttpRequest | None = None) -> Badge:
    """Turn the public verification page on or off (only the educator herself)."""
    if shared and badge.is_revoked:
        raise Conflict("A revoked credential cannot be shared.")
    if shared == (badge.shared_at is not None):
        return badge
    badge.shared_at = timezone.now() if shared else None
    badge.save(update_fields=["shared_at"])
    record(SHARED if shared else UNSHARED, actor=actor, request=request, obj=badge,
           summary=("Shared" if shared else "Stopped sharing")
                   + f" “{badge.award.version.title}” on a public page")
    return badge


# ---------------------------------------------------------------- Open Badges API clients

def do_register_api_client(actor: User, *, name: str, redirect_uris: list[str],
                           request: HttpRequest | None = None) -> tuple[str, str]:
    """An OAuth 2.0 client of the Open Badges 3.0 API (``obapi``) for the coordinator's
    district: the authorization-code grant only, the API's read scopes only, a consent
    screen always. Returns the client id and its secret (shown once, stored hashed)."""
    from allauth.idp.oidc.models import Client

    from uptake.badges import obapi

    if not actor.is_active or not actor.has_role("coordinator") or actor.district_id is None:
        raise NotAllowed("Only a district coordinator registers Open Badges API clients.")
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise Invalid("Name the application (at most 100 characters).", field="name")
    uris = [u.strip() for u in redirect_uris if u.strip()]
    if not uris:
        raise Invalid("Give the redirect URI the application receives its code at.",
                      field="redirect_uris")
    for uri in uris:
        if problem := obapi.redirect_uri_problem(uri):
            raise Invalid(f"{uri}: {problem}", field="redirect_uris")
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        client = Client(name=name, type=Client.Type.CONFIDENTIAL, skip_consent=False,
                        owner=actor, data=obapi.client_marker(actor.district_id))
        client.set_grant_types([Client.GrantType.AUTHORIZATION_CODE,
                                Client.GrantType.REFRESH_TOKEN])
        client.set_response_types(["code"])
        client.set_scopes(list(obapi.SCOPES))
        client.set_default_scopes([obapi.CREDENTIAL_READ])
        client.set_redirect_uris(uris)
        client.set_secret(secret)
        client.save()
        record(CLIENT_REGISTERED, actor=actor, request=request, district=actor.district,
               summary=f"Registered “{name}” as an Open Badges API client "
                       f"(client {client.pk})",
               details={"client_id": client.pk, "redirect_uris": uris})
    return client.pk, secret
