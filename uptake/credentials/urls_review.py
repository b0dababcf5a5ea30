from __future__ import annotations

from django.urls import path

from uptake.credentials import views_review as v

# Names other modules rely on: queue, review, oversight.
urlpatterns: list = [
    path("review/", v.placeholder, name="queue"),
    path("review/<int:review_id>/", v.placeholder, name="review"),
    path("submissions/", v.placeholder, name="oversight"),
]
