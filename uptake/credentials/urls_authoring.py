from __future__ import annotations

from django.urls import path

from uptake.credentials import views_authoring as v

# Names other modules rely on: authoring, version_edit, policy.
urlpatterns: list = [
    path("authoring/", v.authoring, name="authoring"),
    path("authoring/new/", v.credential_new, name="credential_new"),
    path("authoring/credentials/<int:credential_id>/revise/", v.credential_revise,
         name="credential_revise"),
    path("authoring/credentials/<int:credential_id>/retire/", v.credential_retire,
         name="credential_retire"),
    path("authoring/versions/<int:version_id>/", v.version_edit, name="version_edit"),
    path("authoring/versions/<int:version_id>/image/", v.version_image_set,
         name="version_image_set"),
    path("authoring/versions/<int:version_id>/links/", v.version_links,
         name="version_links"),
    path("authoring/versions/<int:version_id>/publish/", v.version_publish,
         name="version_publish"),
    path("authoring/versions/<int:version_id>/discard/", v.version_discard,
         name="version_discard"),
    path("authoring/versions/<int:version_id>/tiers/new/", v.tier_new, name="tier_new"),
    path("authoring/tiers/<int:tier_id>/", v.tier_edit, name="tier_edit"),
    path("authoring/tiers/<int:tier_id>/move/", v.tier_move, name="tier_move"),
    path("authoring/tiers/<int:tier_id>/delete/", v.tier_delete, name="tier_delete"),
    path("authoring/tiers/<int:tier_id>/levels/", v.tier_levels, name="tier_levels"),
    path("authoring/tiers/<int:tier_id>/criteria/new/", v.criterion_new,
         name="criterion_new"),
    path("authoring/criteria/<int:criterion_id>/", v.criterion_edit, name="criterion_edit"),
    path("authoring/criteria/<int:criterion_id>/delete/", v.criterion_delete,
         name="criterion_delete"),
    path("authoring/versions/<int:version_id>/image.img", v.version_image,
         name="version_image"),
    path("authoring/policy/", v.policy, name="policy"),
]
