from __future__ import annotations

from django.urls import path

from uptake.stories import pdf_views, share_views

app_name = "share"

urlpatterns: list = [
    path("<str:secret>/", share_views.story, name="story"),
    path("<str:secret>/story.pdf", pdf_views.shared_pdf, name="pdf"),
    path("<str:secret>/artifacts/<int:artifact_id>", share_views.artifact, name="artifact"),
]
