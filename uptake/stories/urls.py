from __future__ import annotations

from django.urls import path

from uptake.stories import pdf_views, views

app_name = "stories"

urlpatterns: list = [
    path("", views.mine, name="mine"),
    path("inquiry/<int:inquiry_id>/start/", views.start, name="start"),
    path("<int:story_id>/", views.detail, name="detail"),
    path("<int:story_id>/story.pdf", pdf_views.story_pdf, name="pdf"),
    path("<int:story_id>/edit/", views.edit, name="edit"),
    path("<int:story_id>/charts/", views.charts, name="charts"),
    path("<int:story_id>/artifacts/", views.artifacts, name="artifacts"),
    path("<int:story_id>/preview/", views.preview, name="preview"),
    path("<int:story_id>/publish/", views.publish, name="publish"),
    path("<int:story_id>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:story_id>/delete/", views.delete, name="delete"),
    path("<int:story_id>/links/", views.link_new, name="link_new"),
    path("<int:story_id>/links/<int:link_id>/", views.link_made, name="link_made"),
    path("<int:story_id>/links/<int:link_id>/revoke/", views.link_revoke, name="link_revoke"),
    path("consent/", views.consents, name="consents"),
    path("consent/artifact/<int:artifact_id>/", views.consent_new, name="consent_new"),
    path("consent/<int:consent_id>/withdraw/", views.consent_withdraw,
         name="consent_withdraw"),
]
