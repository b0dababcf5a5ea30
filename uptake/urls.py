from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/", include("uptake.api.urls")),
    path("", include("uptake.accounts.urls")),
    path("roster/", include("uptake.roster.urls")),
    path("audit/", include("uptake.audit.urls")),
    path("learning/", include("uptake.learning.urls")),
    path("inquiries/", include("uptake.inquiry.urls")),
    path("evidence/", include("uptake.evidence.urls")),
    path("observations/", include("uptake.observation.urls")),
    path("student-work/", include("uptake.studentwork.urls")),
]
