from __future__ import annotations

from django.urls import path

from uptake.credentials import views_review as v

# Names other modules rely on: queue, review, oversight.
urlpatterns: list = [
    path("review/", v.queue, name="queue"),
    path("review/<int:review_id>/", v.review, name="review"),
    path("review/<int:review_id>/second-reader/", v.second_reader, name="second_reader"),
    path("review/<int:review_id>/artifact/<int:artifact_id>/", v.artifact_file,
         name="review_artifact"),
    path("submissions/", v.oversight, name="oversight"),
    path("submissions/<int:submission_id>/assign/", v.assign, name="assign"),
    path("submissions/<int:submission_id>/readers/<int:review_id>/take-off/", v.unassign,
         name="unassign"),
]
