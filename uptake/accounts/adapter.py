from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html

if TYPE_CHECKING:
    from allauth.socialaccount.models import SocialApp, SocialLogin


class AccountAdapter(DefaultAccountAdapter):
    """Districts add people; nobody signs themselves up (invitations aside)."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> Any:
        return "/"

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        """A right password is still refused when the person's district turned password
        sign-in off (coordinators excepted: uptake.accounts.sso.password_refused_for)."""
        from uptake.accounts import actions, sso

        user = super().authenticate(request, **credentials)
        if user is None or "password" not in credentials:
            return user
        method = sso.password_refused_for(user)
        if method is None:
            return user
        actions.do_record_password_refused(person=user, request=request)
        url = reverse("sso_start", kwargs={"district_slug": method.district.slug})
        raise forms.ValidationError(format_html(
            '{} signs in with {}, not a password. <a href="{}">Sign in with {}</a>.',
            method.district.name, method.button_label, url, method.button_label))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Each district's IdP comes from its SignInMethod; accounts are matched to the
    district's people by verified e-mail, and nobody is ever signed up (docs/sso.md)."""

    def list_apps(self, request: HttpRequest | None, provider: str | None = None,
                  client_id: str | None = None) -> list[SocialApp]:
        from uptake.accounts import sso

        return sso.apps_for(request, provider, client_id)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        from allauth.socialaccount.providers.base import AuthProcess

        from uptake.accounts import actions, sso

        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            # Accounts are linked by the district's IdP and the roster, never by hand.
            raise ImmediateHttpResponse(render(request, "accounts/sso/refused.html", {
                "message": "School accounts are linked by signing in with them; there is "
                           "nothing to connect by hand."}, status=403))
        method = sso.method_of_login(request, sociallogin)
        if method is None:
            raise ImmediateHttpResponse(render(request, "accounts/sso/refused.html", {
                "message": "This sign-in is not set up for any district any more. Ask your "
                           "coordinator."}, status=403))
        found = sso.match(method, sociallogin)
        if found.refused:
            actions.do_record_sso_refusal(district=method.district, email=found.email,
                                          kind=method.kind, reason=found.reason,
                                          request=request)
            raise ImmediateHttpResponse(render(request, "accounts/sso/refused.html", {
                "message": found.message, "district": method.district, "method": method},
                status=403))
        person = found.person
        if person is None and found.invitation is not None:
            person = actions.do_accept_invitation_by_sso(
                invitation=found.invitation, first_name=sociallogin.user.first_name or "",
                last_name=sociallogin.user.last_name or "", request=request)
        assert person is not None
        if not sociallogin.is_existing:
            sociallogin.connect(request, person)
        # Recorded once she is signed in (record_sso_sign_in), after any second step.


def record_sso_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """allauth's ``user_logged_in`` receiver: a sign-in through a district's IdP is audited
    as such (Django's own signal has already recorded it as a sign-in)."""
    from uptake.accounts import actions, sso

    sociallogin = kwargs.get("sociallogin")
    if sociallogin is None:
        return
    provider = sociallogin.account.provider
    kind = next((k for k, prefix in sso.PROVIDER_ID_PREFIX.items()
                 if provider.startswith(prefix)), provider)
    actions.do_record_sso_sign_in(person=user, kind=str(kind), request=request)
