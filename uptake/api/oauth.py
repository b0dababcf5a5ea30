"""District integrations: OAuth 2.0 client credentials (RFC 6749, section 4.4).

The authorization server is django-allauth's ``allauth.idp.oidc`` (its token endpoint is
``/oauth/identity/o/api/token``; docs/decisions.md says why this and not
django-oauth-toolkit). Each :class:`~uptake.api.models.Integration` owns one allauth
``Client`` that may use the ``client_credentials`` grant only, and a service account (a
person of the district who cannot sign in) holding the role the coordinator chose.

Scopes: an OAuth scope is any string of printable characters without spaces or quotes
(RFC 6749, section 3.3), so Uptake's own ``<area>:read`` / ``<area>:write`` are used as they
are: the client's allowed (and default) scopes are the integration's; allauth refuses a
request for any other (``invalid_scope``), and a request naming none gets them all.

The resolver (:func:`client_credentials_token`) turns an access token back into the
service account, with the scopes the token was granted that the integration still holds.
This module is the write path for integrations (create, rotate the secret, revoke).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from uptake.accounts import actions as accounts_actions
from uptake.accounts.models import Role
from uptake.api.actions import clean_name_and_scopes, note_use
from uptake.api.auth import OAUTH, Principal
from uptake.api.models import Integration
from uptake.audit.actions import record
from uptake.rules import Conflict, Invalid, NotAllowed

if TYPE_CHECKING:
    from uptake.accounts.models import User

GRANT = "client_credentials"
# The roles a service account may hold: district-wide, so that what it reaches does not
# hang on one school's roster. Its scopes narrow what it may do with them.
SERVICE_ROLES = {
    Role.COORDINATOR: "District coordinator: reads (and, with write scopes, changes) what a "
                      "coordinator may: schools, people, rosters, results.",
    Role.RESEARCHER: "Researcher: reads results across the district, as a researcher does.",
    Role.ASSESSOR: "Assessor: the district's assessment data, as an assessor.",
}
MIN_RATE, MAX_RATE, DEFAULT_RATE = 1, 6000, 120
SECRET_PREFIX = "upc_"


@dataclass(frozen=True)
class Credentials:
    """An integration with its client id and a secret that exists only here (shown once)."""

    integration: Integration
    client_id: str
    secret: str


def _check_coordinator_of(actor: User, district_id: int | None) -> None:
    if not actor.is_active or not actor.has_role(Role.COORDINATOR) \
            or actor.district_id is None or actor.district_id != district_id:
        raise NotAllowed("Only a coordinator of the district manages its integrations.")


def _clean(name: str, role: str, scopes: list[str], rate_per_minute: int
           ) -> tuple[str, list[str]]:
    name, wanted = clean_name_and_scopes(
        name, scopes, thing="integration",
        empty_name="Name the integration (the system that will call the API).")
    if role not in SERVICE_ROLES:
        raise Invalid("Choose one of the roles offered.", field="role")
    if not MIN_RATE <= rate_per_minute <= MAX_RATE:
        raise Invalid(f"Give a limit from {MIN_RATE} to {MAX_RATE} requests a minute.",
                      field="rate_per_minute")
    return name, wanted


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def create_integration(actor: User, *, name: str, role: str, scopes: list[str],
                       rate_per_minute: int = DEFAULT_RATE,
                       request: HttpRequest | None = None) -> Credentials:
    """Register an integration of the actor's district: its OAuth client, its service
    account with ``role``, and its ``scopes``. The secret is returned once, never stored."""
    from allauth.idp.oidc.models import Client

    _check_coordinator_of(actor, actor.district_id)
    name, wanted = _clean(name, role, scopes, rate_per_minute)
    district = actor.district
    assert district is not None  # _check_coordinator_of
    secret = _new_secret()
    with transaction.atomic():
        service = accounts_actions.do_add_person(
            actor=actor, first_name=name, last_name="(integration)",
            email=f"integration-{secrets.token_hex(6)}@{district.slug}.integrations.invalid",
            roles=[accounts_actions.RoleGrant(role)], request=request, send_email=False)
        client = Client(name=name, type=Client.Type.CONFIDENTIAL, skip_consent=True)
        client.set_grant_types([GRANT])
        client.set_response_types([])
        client.set_scopes(wanted)
        client.set_default_scopes(wanted)
        client.set_secret(secret)
        client.save()
        integration = Integration.objects.create(
            district=district, name=name, client=client, service_account=service,
            scopes=wanted, rate_per_minute=rate_per_minute, created_by=actor)
        record("api_integration_created", actor=actor, request=request, obj=integration,
               summary=f"API integration “{name}” registered (client {client.pk})",
               details={"client_id": client.pk, "scopes": wanted, "role": role,
                        "rate_per_minute": rate_per_minute,
                        "service_account_id": service.pk})
    return Credentials(integration, client.pk, secret)


def _end_tokens(integration: Integration) -> None:
    from allauth.idp.oidc.models import Token

    Token.objects.filter(client_id=integration.client_id).delete()


def rotate_secret(integration: Integration, *, actor: User,
                  request: HttpRequest | None = None) -> Credentials:
    """A new secret; the old one stops working at once, and so do the tokens made with it."""
    _check_coordinator_of(actor, integration.district_id)
    if integration.revoked_at is not None:
        raise Conflict("This integration was revoked; register a new one instead.")
    secret = _new_secret()
    with transaction.atomic():
        client = integration.client
        client.set_secret(secret)
        client.save(update_fields=["secret"])
        _end_tokens(integration)
        integration.secret_rotated_at = timezone.now()
        integration.save(update_fields=["secret_rotated_at"])
        record("api_integration_secret_rotated", actor=actor, request=request,
               obj=integration, district=integration.district,
               summary=f"API integration “{integration.name}”: new client secret "
                       f"(client {client.pk})")
    return Credentials(integration, client.pk, secret)


def revoke_integration(integration: Integration, *, actor: User,
                       request: HttpRequest | None = None) -> Integration:
    """Revoke at once: no new tokens, the issued ones end, the service account closes."""
    _check_coordinator_of(actor, integration.district_id)
    if integration.revoked_at is not None:
        return integration
    with transaction.atomic():
        client = integration.client
        client.set_grant_types([])
        client.set_secret(_new_secret())  # a secret nobody keeps
        client.save(update_fields=["grant_types", "secret"])
        _end_tokens(integration)
        integration.revoked_at = timezone.now()
        integration.revoked_by = actor
        integration.save(update_fields=["revoked_at", "revoked_by"])
        accounts_actions.do_deactivate_person(actor=actor, person=integration.service_account,
                                              request=request)
        record("api_integration_revoked", actor=actor, request=request, obj=integration,
               district=integration.district,
               summary=f"API integration “{integration.name}” revoked "
                       f"(client {client.pk})")
    return integration


def client_credentials_token(request: HttpRequest, value: str) -> Principal | None:
    """The service account an OAuth access token acts for, or None (not such a token,
    expired, or its integration revoked). A closed service account is refused by the API's
    own check of ``is_active``."""
    from allauth.idp.oidc.models import Token

    if value.startswith("upt_"):  # a personal access token: not ours to answer
        return None
    token = Token.objects.lookup(Token.Type.ACCESS_TOKEN, value)
    if token is None or token.client_id is None:
        return None
    integration = (Integration.objects.select_related("service_account",
                                                      "service_account__district")
                   .filter(client_id=token.client_id).first())
    if integration is None or integration.revoked_at is not None:
        return None
    note_use(integration, request.META.get("REMOTE_ADDR") or None)
    granted = frozenset(token.get_scopes()) & frozenset(integration.scopes)
    return Principal(user=integration.service_account, via=OAUTH, scopes=granted,
                     label=f"integration {integration.name}",
                     client_key=f"client:{integration.pk}")
