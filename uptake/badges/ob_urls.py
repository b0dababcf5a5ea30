"""The Open Badges 3.0 REST API, mounted at ``/ims/ob/v3p0/`` (``uptake.badges.obapi``)."""

from __future__ import annotations

from django.urls import path

from uptake.badges import obapi

app_name = "openbadges_api"

urlpatterns = [
    path("discovery", obapi.discovery, name="discovery"),
    path("credentials", obapi.credentials, name="credentials"),
    path("profile", obapi.profile, name="profile"),
]
