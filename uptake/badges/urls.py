"""Open Badges pages. Mounted at the site's root: an issuer's DID document must be at
``/issuers/<uuid>/did.json`` for ``did:web`` to resolve it."""

from __future__ import annotations

from django.urls import path

import uptake.badges.views_verify as views_verify
from uptake.badges import views_issuer, views_public

app_name = "badges"

urlpatterns = [
    path("issuers/<uuid:issuer>/did.json", views_public.did_document, name="did"),
    path("issuers/<uuid:issuer>/status/<int:number>", views_public.status_list,
         name="status_list"),
    path("achievements/<int:version>", views_public.achievement, name="achievement"),
    path("verify/", views_verify.verify, name="verify"),
    path("achievements/<int:version>/image", views_public.achievement_image,
         name="achievement_image"),
    path("badges/issuer/", views_issuer.issuer, name="issuer"),
    path("badges/issuer/profile", views_issuer.issuer_profile, name="issuer_profile"),
    path("badges/issuer/keys/<str:kind>/new", views_issuer.issuer_rotate,
         name="issuer_rotate"),
    path("badges/issued/", views_issuer.issued, name="issued"),
    path("badges/issued/<int:badge_id>/revoke", views_issuer.revoke, name="revoke"),
    path("badges/problems/", views_issuer.problems, name="problems"),
    path("badges/problems/<int:award_id>/retry", views_issuer.retry, name="retry"),
]
