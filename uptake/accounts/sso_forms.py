"""The coordinator's form for her district's sign-in. It parses; actions check and save."""

from __future__ import annotations

from typing import Any

from django import forms

from uptake.accounts.models import SignInMethod


class SignInMethodForm(forms.Form):
    kind = forms.ChoiceField(label="Your district's identity provider (IdP)",
                             choices=SignInMethod.Kind.choices, widget=forms.RadioSelect)
    domains = forms.CharField(
        label="E-mail domains", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The domains of your people's addresses, one a line (cedar.k12.us). "
                  "Only addresses at these domains sign in with this IdP.")
    password_allowed = forms.BooleanField(
        label="People may also sign in with a password", required=False,
        help_text="Off: everyone but coordinators signs in with the school account. "
                  "Coordinators keep their password, with two-step verification, as the way "
                  "in when the IdP is down.")
    label = forms.CharField(label="Button name (optional)", required=False, max_length=80,
                            help_text="Shown as 'Sign in with …'. Empty: the IdP's kind.")
    client_id = forms.CharField(label="Client ID", required=False, max_length=255,
                                help_text="Google, Microsoft and OpenID Connect.")
    client_secret = forms.CharField(
        label="Client secret", required=False, max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Google, Microsoft and OpenID Connect.")
    tenant = forms.CharField(label="Microsoft Entra tenant ID", required=False,
                             max_length=100, help_text="Microsoft only: a GUID or the "
                                                       "tenant's primary domain.")
    issuer = forms.URLField(label="Issuer URL", required=False, max_length=500,
                            assume_scheme="https",
                            help_text="OpenID Connect only: Uptake reads "
                                      "<issuer>/.well-known/openid-configuration.")
    saml_metadata_url = forms.URLField(label="IdP metadata URL", required=False,
                                       max_length=500, assume_scheme="https",
                                       help_text="SAML only; or paste the metadata below.")
    saml_metadata_xml = forms.CharField(label="IdP metadata XML", required=False,
                                        widget=forms.Textarea(attrs={"rows": 4}),
                                        max_length=200_000)
    saml_entity_id = forms.CharField(label="IdP entity ID (optional)", required=False,
                                     max_length=500,
                                     help_text="SAML only: which IdP of the metadata, when "
                                               "it describes several.")

    def __init__(self, *args: Any, method: SignInMethod | None = None, **kwargs: Any) -> None:
        if method is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": method.kind, "domains": method.domains,
                "password_allowed": method.password_allowed, "label": method.label,
                "client_id": method.client_id, "tenant": method.tenant,
                "issuer": method.issuer, "saml_metadata_url": method.saml_metadata_url,
                "saml_entity_id": method.saml_entity_id}
        elif "initial" not in kwargs:
            kwargs["initial"] = {"password_allowed": True}
        super().__init__(*args, **kwargs)
        if method is not None and method.client_secret:
            self.fields["client_secret"].help_text = (
                "Stored; leave empty to keep it. Google, Microsoft and OpenID Connect.")


class FindDistrictForm(forms.Form):
    email = forms.EmailField(label="Your school e-mail address",
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
