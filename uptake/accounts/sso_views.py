"""Pages for signing in with the school account, and the coordinator's page that sets it up."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP  # type: ignore[import-untyped,unused-ignore]
from django.views.decorators.http import require_POST

from uptake.accounts import actions, sso
from uptake.accounts.access import ANONYMOUS, allow, district_of
from uptake.accounts.models import Role, SignInMethod, User
from uptake.accounts.sso_forms import FindDistrictForm, SignInMethodForm
from uptake.views_support import showing_refusals


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def give_the_idp(district_slug: str) -> dict[str, dict[str, str]]:
    """What a coordinator gives her IdP, for each kind: the URLs Uptake answers at."""
    oidc_id = sso.PROVIDER_ID_PREFIX[SignInMethod.Kind.OIDC] + district_slug
    return {
        SignInMethod.Kind.GOOGLE: {
            "Authorized redirect URI": _absolute(reverse("google_callback"))},
        SignInMethod.Kind.MICROSOFT: {
            "Redirect URI (Web)": _absolute(reverse("microsoft_callback"))},
        SignInMethod.Kind.OIDC: {
            "Redirect URI": _absolute(reverse("openid_connect_callback",
                                              kwargs={"provider_id": oidc_id}))},
        SignInMethod.Kind.SAML: {
            "Assertion Consumer Service (ACS) URL, HTTP-POST": _absolute(
                reverse("saml_acs", args=[district_slug])),
            "Service provider entity ID and metadata": _absolute(
                reverse("saml_metadata", args=[district_slug]))},
    }


@allow(Role.COORDINATOR)
def sso_settings(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    district = district_of(user)
    method = sso.method_of_district(district)
    form = SignInMethodForm(request.POST or None, method=method)
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Sign-in with the school account "
                                                        "saved.") as attempt:
            actions.do_set_sign_in_method(actor=user, given=actions.SignInSettings(
                **{k: v for k, v in form.cleaned_data.items()
                   if k in actions.SignInSettings.__dataclass_fields__}), request=request)
        if attempt.ok:
            return redirect("sso_settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/sso/settings.html", {
        "form": form, "method": method, "district": district,
        "secret_shown": sso.mask(method.client_secret) if method else "",
        "give_the_idp": give_the_idp(district.slug),
        "start_url": _absolute(reverse("sso_start", kwargs={"district_slug": district.slug})),
    }, status=status)


@allow(Role.COORDINATOR)
@require_POST
def sso_remove(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    with showing_refusals(request, done="Sign-in with the school account removed; everyone "
                                        "signs in with a password."):
        actions.do_remove_sign_in_method(actor=user, request=request)
    return redirect("sso_settings")


@allow(ANONYMOUS)
def sso_find(request: HttpRequest) -> HttpResponse:
    """From an address typed on the sign-in page to its district's sign-in button."""
    form = FindDistrictForm(request.GET or None)
    message = ""
    if form.is_valid():
        method = sso.method_for_email(form.cleaned_data["email"])
        if method is not None:
            return redirect("sso_start", district_slug=method.district.slug)
        message = (f"No district signs in with a school account for addresses at "
                   f"{sso.domain_of(form.cleaned_data['email'])}. Sign in with your password, "
                   "or ask your coordinator.")
    return render(request, "accounts/sso/find.html", {"form": form, "message": message},
                  status=200 if not request.GET or form.is_valid() else 400)


@allow(ANONYMOUS)
def sso_start(request: HttpRequest, district_slug: str) -> HttpResponse:
    """The district's "Sign in with …" button; pressing it goes to the district's IdP."""
    method = SignInMethod.objects.select_related("district").filter(
        district__slug=district_slug).first()
    if method is None:
        raise Http404("No such district sign-in.")
    if request.method == "POST":
        request.session[sso.SESSION_KEY] = method.district_id
        provider = sso.social_app(method).get_provider(request)
        return provider.redirect_from_request(request)
    response = render(request, "accounts/sso/start.html", {
        "method": method, "district": method.district,
        "next": request.GET.get("next", "")})
    # The button's form ends at the IdP (after Uptake's redirect), which form-action
    # governs: allow that one origin on this page only.
    origin = sso.idp_origin(method)
    if origin:
        config: dict[str, Any] = dict(settings.SECURE_CSP)
        config["form-action"] = [CSP.SELF, origin]
        response._csp_config = config  # type: ignore[attr-defined]
    return response

