"""Uptake's adapter for ``allauth.idp.oidc`` (``IDP_OIDC_ADAPTER``): the consent screen
names the Open Badges API's scopes in words an educator reads, not as their URLs."""

from __future__ import annotations

from allauth.idp.oidc.adapter import DefaultOIDCAdapter

from uptake.badges.obapi import CREDENTIAL_READ, PROFILE_READ


class OIDCAdapter(DefaultOIDCAdapter):
    scope_display = {
        **DefaultOIDCAdapter.scope_display,
        CREDENTIAL_READ: "Read your Open Badges: the credentials you earned, as issued",
        PROFILE_READ: "Read your name",
    }
