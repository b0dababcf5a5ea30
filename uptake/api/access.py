"""Who may see and revoke which API credentials (the token and integration pages).

A person sees her own personal tokens; a coordinator also sees (never the secrets of) the
tokens of her district's people, and her district's integrations. Everyone else gets the
same 404 as for a token that does not exist.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from uptake.accounts.access import is_coordinator
from uptake.accounts.models import User
from uptake.api.models import Integration, PersonalToken


def own_tokens(user: User) -> QuerySet[PersonalToken]:
    return PersonalToken.objects.filter(user=user).select_related("revoked_by")


def district_tokens(user: User) -> QuerySet[PersonalToken]:
    """Every personal token of the coordinator's district's people (none for others)."""
    if not is_coordinator(user) or user.district_id is None:
        return PersonalToken.objects.none()
    return (PersonalToken.objects.filter(user__district_id=user.district_id)
            .select_related("user", "revoked_by"))


def access_token(user: User, token_id: int) -> PersonalToken:
    """A token its owner, or a coordinator of the owner's district, may revoke; else 404."""
    try:
        return (own_tokens(user) | district_tokens(user)).distinct().get(pk=token_id)
    except (PersonalToken.DoesNotExist, ValueError, TypeError):
        raise Http404("No such token.") from None


def access_own_token(user: User, token_id: int) -> PersonalToken:
    try:
        return own_tokens(user).get(pk=token_id)
    except (PersonalToken.DoesNotExist, ValueError, TypeError):
        raise Http404("No such token.") from None


def district_integrations(user: User) -> QuerySet[Integration]:
    if not is_coordinator(user) or user.district_id is None:
        return Integration.objects.none()
    return (Integration.objects.filter(district_id=user.district_id)
            .select_related("client", "service_account", "created_by", "revoked_by"))


def access_integration(user: User, integration_id: int) -> Integration:
    try:
        return district_integrations(user).get(pk=integration_id)
    except (Integration.DoesNotExist, ValueError, TypeError):
        raise Http404("No such integration.") from None
