"""Sign-in with the school account: a district's SignInMethod as a django-allauth app, and
the rule that matches whoever the IdP vouches for to the district's people.

Each district's IdP lives in one ``accounts.SignInMethod`` row (written only by
``actions.do_set_sign_in_method``). The social-account adapter asks :func:`apps_for` for the
allauth ``SocialApp`` of a provider; the apps are built from those rows on each request and
never stored, so the coordinator's page is the only place an IdP is configured.

Matching (:func:`match`) is by verified e-mail only, inside the district whose IdP answered:

- OpenID Connect and Google: the IdP must say ``email_verified``;
- Microsoft Entra ID (one named tenant) and SAML 2.0: the district's own directory, trusted
  for the e-mail domains the coordinator listed;
- and, for every kind, the address must be at one of those domains.

An address that belongs to an active person of the district signs her in; one with a pending
invitation to join the district accepts it; anything else is refused and nobody is created.

References: OpenID Connect Core 1.0 §5.1 (``email_verified``), OpenID Connect Discovery 1.0
§4.3 (the issuer must match), SAML 2.0 Metadata (OASIS saml-metadata-2.0-os), and
django-allauth's social account adapter (docs.allauth.org, "Advanced usage").
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from uptake.accounts.models import District, Invitation, SignInMethod, User

if TYPE_CHECKING:
    from allauth.socialaccount.models import SocialApp, SocialLogin
    from django.http import HttpRequest

# Where the district a sign-in started for is kept between the button and the IdP's answer.
SESSION_KEY = "uptake_sso_district"
# The prefix of each kind's allauth provider_id (the slug follows).
PROVIDER_ID_PREFIX = {
    SignInMethod.Kind.GOOGLE: "google-",
    SignInMethod.Kind.MICROSOFT: "microsoft-",
    SignInMethod.Kind.OIDC: "uptake-",
    SignInMethod.Kind.SAML: "saml-",
}
ALLAUTH_PROVIDER = {
    SignInMethod.Kind.GOOGLE: "google",
    SignInMethod.Kind.MICROSOFT: "microsoft",
    SignInMethod.Kind.OIDC: "openid_connect",
    SignInMethod.Kind.SAML: "saml",
}
FIXED_ORIGINS = {
    SignInMethod.Kind.GOOGLE: "https://accounts.google.com",
    SignInMethod.Kind.MICROSOFT: "https://login.microsoftonline.com",
}
# Multi-tenant Entra endpoints let any organisation's accounts in: never a district's IdP.
SHARED_TENANTS = frozenset({"common", "organizations", "consumers"})
SAML_ATTRIBUTES = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
    "email": ["urn:oid:0.9.2342.19200300.100.1.3", "email", "mail",
              "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"],
    "first_name": ["urn:oid:2.5.4.42", "givenName",
                   "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"],
    "last_name": ["urn:oid:2.5.4.4", "sn", "surname",
                  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"],
}


# ------------------------------------------------------------------------------ lookups

def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def method_for_email(email: str) -> SignInMethod | None:
    """The sign-in method whose domains cover this address, if any district has one."""
    domain = domain_of(email)
    if not domain:
        return None
    for method in SignInMethod.objects.select_related("district").filter(
            domains__icontains=domain):
        if domain in method.domain_list:
            return method
    return None


def method_of_district(district: District) -> SignInMethod | None:
    return SignInMethod.objects.filter(district=district).select_related("district").first()


def password_refused_for(user: User) -> SignInMethod | None:
    """The method whose district turned password sign-in off for this person, or None.

    Coordinators keep their password (with MFA) as the break-glass way in, so that an IdP
    misconfigured or down never locks a district out of fixing it (docs/decisions.md).
    """
    if user.district_id is None or user.has_role("coordinator"):
        return None
    method = SignInMethod.objects.filter(district_id=user.district_id).select_related(
        "district").first()
    if method is None or method.password_allowed:
        return None
    return method


def provider_id(method: SignInMethod) -> str:
    return PROVIDER_ID_PREFIX[SignInMethod.Kind(method.kind)] + method.district.slug


def mask(secret: str) -> str:
    """A secret as the coordinator's page shows it: never in full."""
    if not secret:
        return ""
    return "••••••••" + (secret[-4:] if len(secret) >= 12 else "")


# ------------------------------------------------------------------ allauth's SocialApp

def social_app(method: SignInMethod) -> SocialApp:
    """The allauth app for a district's method (built each time, never saved)."""
    from allauth.socialaccount.models import SocialApp

    kind = SignInMethod.Kind(method.kind)
    app_settings: dict[str, Any] = {"uptake_district_id": method.district_id}
    client_id = method.client_id
    if kind == SignInMethod.Kind.OIDC:
        app_settings.update(server_url=method.issuer, oauth_pkce_enabled=True)
    elif kind == SignInMethod.Kind.MICROSOFT:
        app_settings["tenant"] = method.tenant
    elif kind == SignInMethod.Kind.SAML:
        client_id = method.district.slug
        idp: dict[str, Any] = {"entity_id": method.saml_entity_id}
        if method.saml_metadata_url:
            idp["metadata_url"] = method.saml_metadata_url
        else:
            idp.update(sso_url=method.saml_sso_url, x509cert=method.saml_x509cert)
        app_settings.update(idp=idp, attribute_mapping=SAML_ATTRIBUTES, advanced={
            "strict": True, "want_assertion_signed": True,
            "allow_single_label_domains": settings.SSO_ALLOW_LOCAL_IDP,
            "reject_deprecated_algorithm": True})
    return SocialApp(provider=ALLAUTH_PROVIDER[kind], provider_id=provider_id(method),
                     name=method.button_label, client_id=client_id,
                     secret=method.client_secret, settings=app_settings)


def _methods_for(provider: str | None, client_id: str | None) -> QuerySet[SignInMethod]:
    methods = SignInMethod.objects.select_related("district")
    if not provider:
        return methods
    by_provider = {v: k for k, v in ALLAUTH_PROVIDER.items()}
    if provider in by_provider:
        kind = by_provider[provider]
        methods = methods.filter(kind=kind)
        if kind == SignInMethod.Kind.SAML and client_id:
            return methods.filter(district__slug=client_id)
    else:
        for kind, prefix in PROVIDER_ID_PREFIX.items():
            if provider.startswith(prefix):
                methods = methods.filter(kind=kind, district__slug=provider[len(prefix):])
                break
        else:
            return methods.none()
    return methods.filter(client_id=client_id) if client_id else methods


def apps_for(request: HttpRequest | None, provider: str | None = None,
             client_id: str | None = None) -> list[SocialApp]:
    """The apps allauth may use: every district's, narrowed to the district this sign-in
    started for when the provider (Google, Microsoft) is shared by several districts."""
    methods = list(_methods_for(provider, client_id))
    started_for = request.session.get(SESSION_KEY) if request is not None and hasattr(
        request, "session") else None
    if len(methods) > 1 and started_for is not None:
        methods = [m for m in methods if m.district_id == started_for]
    if not provider:
        # Listing every provider (allauth's own pages do): only the visitor's district's,
        # so that no page lists which IdP each district uses.
        user = getattr(request, "user", None)
        mine = started_for or getattr(user, "district_id", None)
        methods = [m for m in methods if mine is not None and m.district_id == mine]
    return [social_app(m) for m in methods]


def idp_origin(method: SignInMethod) -> str:
    """Where the sign-in button's form ends up (its page's CSP form-action allows it)."""
    kind = SignInMethod.Kind(method.kind)
    url = method.issuer if kind == SignInMethod.Kind.OIDC else method.saml_sso_url
    if kind in FIXED_ORIGINS:
        return FIXED_ORIGINS[kind]
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# -------------------------------------------------------------------- fetching IdP URLs

class UnusableUrl(ValueError):
    """A URL Uptake will not fetch or could not use; the message says why."""


def check_fetchable(url: str) -> None:
    """Refuse URLs Uptake should not fetch for a coordinator: plain http, or an address
    inside the server's own network (unless SSO_ALLOW_LOCAL_IDP, for the tests' IdP)."""
    parts = urlsplit(url)
    if settings.SSO_ALLOW_LOCAL_IDP and parts.scheme in {"http", "https"} and parts.hostname:
        return
    if parts.scheme != "https" or not parts.hostname:
        raise UnusableUrl(f"{url} is not an https:// address; IdPs publish over https.")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443)
    except OSError:
        raise UnusableUrl(f"Uptake could not find the server {parts.hostname}.") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise UnusableUrl(f"{parts.hostname} is an address inside a private network; "
                              "give the IdP's public address.")


def fetch(url: str, *, what: str) -> bytes:
    import requests

    check_fetchable(url)
    try:
        response = requests.get(url, timeout=10, allow_redirects=False)
    except requests.RequestException as exc:
        raise UnusableUrl(f"Uptake could not reach {url} ({type(exc).__name__}); check the "
                          f"{what}.") from None
    if response.status_code != 200:
        raise UnusableUrl(f"{url} answered {response.status_code}, not the {what}.")
    return response.content[:1_000_000]


def check_issuer(issuer: str) -> dict[str, Any]:
    """The issuer's discovery document, after checking it names this very issuer."""
    import json

    check_fetchable(issuer)
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    body = fetch(url, what="OpenID Connect discovery document")
    try:
        document = json.loads(body)
    except ValueError:
        raise UnusableUrl(f"{url} is not an OpenID Connect discovery document (not JSON)."
                          ) from None
    if not isinstance(document, dict):
        raise UnusableUrl(f"{url} is not an OpenID Connect discovery document.")
    named = str(document.get("issuer", ""))
    if named.rstrip("/") != issuer.rstrip("/"):
        raise UnusableUrl(f"The discovery document at {url} names its issuer {named!r}, "
                          f"not {issuer!r}; give the issuer exactly as the IdP states it.")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not document.get(key):
            raise UnusableUrl(f"The discovery document at {url} has no {key}.")
    return document


@dataclass(frozen=True)
class SamlIdp:
    entity_id: str
    sso_url: str
    x509cert: str


def parse_saml_metadata(xml: str | bytes, entity_id: str = "") -> SamlIdp:
    """The IdP that SAML metadata describes, or UnusableUrl saying what is wrong with it."""
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
    from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

    try:  # python3-saml's parser: no DTDs, no entities, no network
        tree = OneLogin_Saml2_XML.to_etree(xml)
    except Exception as exc:  # lxml's syntax errors, and the refusal of a DTD
        first_line = (str(exc).splitlines() or [""])[0][:160] or type(exc).__name__
        raise UnusableUrl(f"The IdP metadata is not well-formed XML ({first_line}).") from None
    certificates = [c for c in tree.iter("{http://www.w3.org/2000/09/xmldsig#}X509Certificate")
                    if (c.text or "").strip()]
    if not certificates:
        raise UnusableUrl("The metadata gives no signing certificate for the IdP, so Uptake "
                          "could not check its assertions.")
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml, entity_id=entity_id or None)
    except Exception as exc:  # the parser's own errors: not IdP metadata it can use
        raise UnusableUrl("The metadata could not be read as SAML 2.0 IdP metadata "
                          f"({type(exc).__name__}).") from None
    idp = parsed.get("idp") or {}
    if not idp.get("entityId"):
        raise UnusableUrl("The metadata describes no IdP" + (
            f" with the entity ID {entity_id}." if entity_id else
            " (no IDPSSODescriptor with an entityID)."))
    sso = (idp.get("singleSignOnService") or {}).get("url", "")
    if not sso:
        raise UnusableUrl("The metadata gives no SingleSignOnService for the IdP.")
    cert = idp.get("x509cert") or ((idp.get("x509certMulti") or {}).get("signing") or [""])[0]
    if not cert:
        raise UnusableUrl("The metadata gives no signing certificate for the IdP, so Uptake "
                          "could not check its assertions.")
    return SamlIdp(entity_id=idp["entityId"], sso_url=sso, x509cert=cert)


# ------------------------------------------------------------------------------ matching

@dataclass(frozen=True)
class Match:
    """What a sign-in through a district's IdP comes to: a person, an invitation to accept,
    or a refusal (``reason`` for the audit log, ``message`` for the person)."""

    method: SignInMethod
    email: str
    person: User | None = None
    invitation: Invitation | None = None
    reason: str = ""
    message: str = ""

    @property
    def refused(self) -> bool:
        return bool(self.reason)


def method_of_login(request: HttpRequest, sociallogin: SocialLogin) -> SignInMethod | None:
    provider = sociallogin.account.get_provider(request)
    district_id = provider.app.settings.get("uptake_district_id") if provider.app else None
    if district_id is None:
        return None
    return SignInMethod.objects.select_related("district").filter(
        district_id=district_id).first()


def _vouched_email(method: SignInMethod, sociallogin: SocialLogin) -> tuple[str, bool]:
    """The address the IdP gives and whether it counts as verified for this district."""
    addresses = list(sociallogin.email_addresses)
    email = (addresses[0].email if addresses else sociallogin.user.email or "").strip().lower()
    kind = SignInMethod.Kind(method.kind)
    if kind in {SignInMethod.Kind.SAML, SignInMethod.Kind.MICROSOFT}:
        # The district's own directory, configured by its coordinator for these domains.
        return email, True
    return email, any(a.verified and a.email.lower() == email for a in addresses)


def match(method: SignInMethod, sociallogin: SocialLogin) -> Match:
    district = method.district
    email, verified = _vouched_email(method, sociallogin)
    roster_message = (f"No one with this address is in {district.name}'s roster; ask your "
                      "coordinator.")
    if not email:
        return Match(method, email, reason="no e-mail",
                     message=f"{method.button_label} did not tell Uptake your e-mail address, "
                             "so Uptake cannot tell who you are. Ask your coordinator.")
    if domain_of(email) not in method.domain_list:
        return Match(method, email, reason="domain not covered",
                     message=f"Addresses at {domain_of(email)} do not sign in to "
                             f"{district.name} with {method.button_label}. "
                             f"{roster_message}")
    if not verified:
        return Match(method, email, reason="e-mail not verified",
                     message=f"{method.button_label} has not verified {email}, so Uptake "
                             "cannot be sure it is yours. Verify it with your IdP, or ask "
                             "your coordinator.")
    hosted_domain = str((sociallogin.account.extra_data or {}).get("hd", "")).lower()
    if method.kind == SignInMethod.Kind.GOOGLE and hosted_domain not in method.domain_list:
        # Google vouches for personal Google accounts made with a school address too; only
        # the Workspace's own accounts carry its domain in "hd" (Google Identity, "OpenID
        # Connect": validate the hd claim).
        return Match(method, email, reason="not a Workspace account",
                     message=f"{email} is not an account of {district.name}'s Google "
                             "Workspace (it may be a personal Google account made with that "
                             "address). Sign in with your school Google account.")
    if sociallogin.is_existing and sociallogin.user.email.lower() != email:
        return Match(method, email, reason="account linked to someone else",
                     message="This school account is linked to another person in Uptake. "
                             "Ask your coordinator.")
    person = User.objects.filter(email__iexact=email, district=district).first()
    if person is not None:
        if not person.is_active:
            return Match(method, email, reason="account deactivated",
                         message=f"Your account in {district.name} is deactivated; ask your "
                                 "coordinator.")
        return Match(method, email, person=person)
    if not User.objects.filter(email__iexact=email).exists():
        invitation = (Invitation.objects.filter(
            district=district, email__iexact=email, purpose=Invitation.Purpose.JOIN_DISTRICT,
            accepted_at__isnull=True, revoked_at__isnull=True,
            expires_at__gt=timezone.now()).order_by("-created_at").first())
        if invitation is not None:
            return Match(method, email, invitation=invitation)
    return Match(method, email, reason="not in roster", message=roster_message)


# ---------------------------------------------------------------------- the home page

def home_panel(user: User) -> dict[str, Any] | None:
    """A coordinator's home: how her district signs in, and the week's refused sign-ins."""
    from datetime import timedelta

    from uptake.audit.models import AuditEvent

    if not user.has_role("coordinator") or not user.district_id:
        return None
    method = SignInMethod.objects.filter(district_id=user.district_id).first()
    refused = AuditEvent.objects.filter(
        district_id=user.district_id, action="sso_refused",
        at__gte=timezone.now() - timedelta(days=7)).count() if method else 0
    return {"school_sign_in": {"method": method, "refused": refused}}
