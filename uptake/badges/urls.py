"""Open Badges pages. Mounted at the site's root: an issuer's DID document must be at
``/issuers/<uuid>/did.json`` for ``did:web`` to resolve it."""

from __future__ import annotations

from django.urls import path

from uptake.badges import views_public

app_name = "badges"

urlpatterns = [
    path("issuers/<uuid:issuer>/did.json", views_public.did_document, name="did"),
    path("issuers/<uuid:issuer>/status/<int:number>", views_public.status_list,
         name="status_list"),
    path("achievements/<int:version>", views_public.achievement, name="achievement"),
    path("achievements/<int:version>/image", views_public.achievement_image,
         name="achievement_image"),
]
