from __future__ import annotations

from django.urls import include, path

from uptake.operations.health import health

urlpatterns = [
    # For the proxy and monitors: is this web process able to serve (docs/production.md).
    path("healthz", health, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("api/", include("uptake.api.urls")),
    # The OAuth 2.0 token endpoint for district integrations (allauth.idp.oidc).
    path("oauth/", include("allauth.idp.urls")),
    path("", include("uptake.api.page_urls")),
    path("", include("uptake.accounts.urls")),
    path("roster/", include("uptake.roster.urls")),
    path("audit/", include("uptake.audit.urls")),
    path("learning/", include("uptake.learning.urls")),
    path("inquiries/", include("uptake.inquiry.urls")),
    path("evidence/", include("uptake.evidence.urls")),
    path("observations/", include("uptake.observation.urls")),
    path("student-work/", include("uptake.studentwork.urls")),
    path("stories/", include("uptake.stories.urls")),
    # A family's view of a story, by its share link (no sign-in).
    path("s/", include("uptake.stories.share_urls")),
    path("library/", include("uptake.library.urls")),
    path("credentials/", include("uptake.credentials.urls")),
    path("programs/", include("uptake.programs.urls")),
    path("surveys/", include("uptake.surveys.urls")),
    path("spending/", include("uptake.spending.urls")),
    path("networks/", include("uptake.networks.urls")),
    path("district/", include("uptake.district.urls")),
    path("reports/", include("uptake.reports.urls")),
    path("notifications/", include("uptake.notifications.urls")),
    # Issuers' DID documents and status lists, achievements: public, for verifiers.
    path("", include("uptake.badges.urls")),
    # The Open Badges 3.0 REST API (discovery, credentials, profile; OAuth 2.0 bearer).
    path("ims/ob/v3p0/", include("uptake.badges.ob_urls")),
]

# A database outage or a full disk raised outside a view: 503/507, not a bare 500.
handler500 = "uptake.operations.faults.server_error"
