"""Open Badges pages. Mounted at the site's root: an issuer's DID document must be at
``/issuers/<uuid>/did.json`` for ``did:web`` to resolve it."""

from __future__ import annotations

from django.urls import path

import uptake.badges.views_verify as views_verify
from uptake.badges import views_educator, views_issuer, views_public, views_share

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
    path("badges/award/<int:award_id>/", views_educator.award, name="award"),
    path("badges/award/<int:award_id>/share", views_educator.share, name="award_share"),
    path("badges/award/<int:award_id>/badge.json", views_educator.download_json,
         name="award_json"),
    path("badges/award/<int:award_id>/badge.jwt", views_educator.download_jwt,
         name="award_jwt"),
    path("badges/award/<int:award_id>/badge.png", views_educator.download_png,
         name="award_png"),
    path("badges/award/<int:award_id>/badge.svg", views_educator.download_svg,
         name="award_svg"),
    path("badges/award/<int:award_id>/ob2.png", views_educator.download_ob2_png,
         name="award_ob2_png"),
    path("badges/<uuid:badge>/", views_share.public, name="public"),
    path("badges/<uuid:badge>/credential.json", views_share.public_json, name="public_json"),
    path("badges/<uuid:badge>/image.png", views_share.public_image, name="public_image"),
    path("ob2/issuers/<uuid:issuer>", views_share.ob2_issuer, name="ob2_issuer"),
    path("ob2/badgeclasses/<int:version>", views_share.ob2_badgeclass, name="ob2_badgeclass"),
    path("ob2/badgeclasses/<int:version>/image.png", views_share.ob2_badgeclass_image,
         name="ob2_badgeclass_image"),
    path("ob2/assertions/<uuid:badge>", views_share.ob2_assertion, name="ob2_assertion"),
]
