"""The pages of API credentials: a person's personal access tokens, and her district's API
access (people's tokens and the integrations) for a coordinator.

A secret is shown once: the action that makes it returns it, the view keeps it in the
person's own session only until the next page (the "made" page) takes it out and shows it;
it is stored nowhere else, and that page shown again says it is gone.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from uptake.accounts.access import ANY_ROLE, allow, is_coordinator
from uptake.accounts.models import Role, User
from uptake.api import access, actions, oauth
from uptake.api.forms import IntegrationForm, TokenForm, scope_groups
from uptake.api.models import Integration, PersonalToken
from uptake.idempotency import once
from uptake.views_support import showing_refusals

LIVE, EXPIRED, REVOKED = "live", "expired", "revoked"


def token_status(token: PersonalToken) -> str:
    if token.revoked_at is not None:
        return REVOKED
    return EXPIRED if token.expires_at <= timezone.now() else LIVE


def _rows(tokens: Any) -> list[dict[str, Any]]:
    return [{"token": t, "status": token_status(t)} for t in tokens]


def _keep_secret(request: HttpRequest, kind: str, pk: int, secret: str) -> None:
    request.session[f"api-secret:{kind}:{pk}"] = secret


def _take_secret(request: HttpRequest, kind: str, pk: int) -> str:
    return str(request.session.pop(f"api-secret:{kind}:{pk}", ""))


def _me(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# ----------------------------------------------------------------- personal access tokens

@allow(ANY_ROLE)
def tokens(request: HttpRequest) -> HttpResponse:
    """My personal access tokens: what each may do, when it was last used, its status."""
    me = _me(request)
    return render(request, "api/tokens.html", {
        "rows": _rows(access.own_tokens(me)), "coordinator": is_coordinator(me)})


@allow(ANY_ROLE)
@once
def token_new(request: HttpRequest) -> HttpResponse:
    """Make a token: name, scopes, expiry. Its secret is shown on the next page, once."""
    me = _me(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expires_at = timezone.make_aware(datetime.combine(data["expires_on"], time(23, 59)))
        with showing_refusals(request, form=form) as attempt:
            made = actions.create_token(me, name=data["name"], scopes=data["scopes"],
                                        expires_at=expires_at, request=request)
        if attempt.ok:
            _keep_secret(request, "token", made.token.pk, made.secret)
            return redirect("api_tokens:token_made", token_id=made.token.pk)
    chosen = form["scopes"].value() or [] if form.is_bound else []
    return render(request, "api/token_new.html", {
        "form": form, "groups": scope_groups(list(chosen), me.role_set())},
        status=400 if request.method == "POST" else 200)


@allow(ANY_ROLE)
def token_made(request: HttpRequest, token_id: int) -> HttpResponse:
    """The new token's secret, this once; shown again, the page says it is gone."""
    token = access.access_own_token(_me(request), token_id)
    secret = _take_secret(request, "token", token.pk)
    response = render(request, "api/token_made.html", {
        "token": token, "secret": secret, "status": token_status(token),
        "me_url": request.build_absolute_uri("/api/v1/me")})
    response["Cache-Control"] = "no-store"
    return response


@allow(ANY_ROLE)
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke a token (its owner, or a coordinator of her district): asks, then does it."""
    me = _me(request)
    token = access.access_token(me, token_id)
    back = "api_tokens:tokens" if token.user_id == me.pk else "api_tokens:district"
    if request.method == "POST":
        with showing_refusals(request, done=f"Revoked the token “{token.name}”: it opens "
                                             "nothing from now on."):
            actions.revoke_token(token, actor=me, request=request)
        return redirect(back)
    return render(request, "api/token_revoke.html", {
        "token": token, "status": token_status(token), "back": reverse(back),
        "owner_is_me": token.user_id == me.pk})


# ------------------------------------------------------------------ district API access

@allow(Role.COORDINATOR)
def district(request: HttpRequest) -> HttpResponse:
    """A coordinator's view of her district's API access: its integrations, and every
    personal token its people made (never their secrets), each revocable."""
    me = _me(request)
    return render(request, "api/district.html", {
        "integrations": access.district_integrations(me),
        "rows": _rows(access.district_tokens(me).order_by("user__last_name",
                                                           "user__first_name", "-created_at"))})


@allow(Role.COORDINATOR)
@once
def integration_new(request: HttpRequest) -> HttpResponse:
    """Register an integration: its client id and secret are shown on the next page, once."""
    me = _me(request)
    form = IntegrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with showing_refusals(request, form=form) as attempt:
            made = oauth.create_integration(
                me, name=data["name"], role=data["role"], scopes=data["scopes"],
                rate_per_minute=data["rate_per_minute"], request=request)
        if attempt.ok:
            _keep_secret(request, "integration", made.integration.pk, made.secret)
            return redirect("api_tokens:integration", integration_id=made.integration.pk)
    chosen = form["scopes"].value() or [] if form.is_bound else []
    return render(request, "api/integration_new.html", {
        "form": form, "groups": scope_groups(list(chosen))},
        status=400 if request.method == "POST" else 200)


def _integration_page(request: HttpRequest, integration: Integration,
                      status: int = 200) -> HttpResponse:
    secret = _take_secret(request, "integration", integration.pk)
    response = render(request, "api/integration.html", {
        "integration": integration, "secret": secret,
        "token_url": request.build_absolute_uri(reverse("idp:oidc:token")),
        "me_url": request.build_absolute_uri("/api/v1/me"),
        "scope_text": " ".join(integration.scopes)}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@allow(Role.COORDINATOR)
def integration(request: HttpRequest, integration_id: int) -> HttpResponse:
    """One integration: client id, role, scopes, limit, last use; a new secret shown once."""
    return _integration_page(request, access.access_integration(_me(request), integration_id))


@allow(Role.COORDINATOR)
def integration_rotate(request: HttpRequest, integration_id: int) -> HttpResponse:
    """A new client secret (POST); the old one and its tokens stop working at once."""
    me = _me(request)
    found = access.access_integration(me, integration_id)
    if request.method == "POST":
        with showing_refusals(request) as attempt:
            made = oauth.rotate_secret(found, actor=me, request=request)
        if attempt.ok:
            _keep_secret(request, "integration", found.pk, made.secret)
            messages.success(request, "New secret made; the old one no longer works.")
        return redirect("api_tokens:integration", integration_id=found.pk)
    return render(request, "api/integration_confirm.html", {
        "integration": found, "action": "rotate"})


@allow(Role.COORDINATOR)
def integration_revoke(request: HttpRequest, integration_id: int) -> HttpResponse:
    """Revoke an integration (POST): no new tokens, its tokens end, its account closes."""
    me = _me(request)
    found = access.access_integration(me, integration_id)
    if request.method == "POST":
        with showing_refusals(request, done=f"Revoked “{found.name}”: it opens nothing "
                                             "from now on."):
            oauth.revoke_integration(found, actor=me, request=request)
        return redirect("api_tokens:integration", integration_id=found.pk)
    return render(request, "api/integration_confirm.html", {
        "integration": found, "action": "revoke"})
