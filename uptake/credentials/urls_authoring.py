from __future__ import annotations

from django.urls import path

from uptake.credentials import views_authoring as v

# Names other modules rely on: authoring, version_edit, policy.
urlpatterns: list = [
    path("authoring/", v.placeholder, name="authoring"),
    path("authoring/versions/<int:version_id>/", v.placeholder, name="version_edit"),
    path("authoring/policy/", v.placeholder, name="policy"),
]
