from __future__ import annotations

from django.urls import path

from uptake.credentials import views_educator as v

# Names other modules rely on: catalog, credential, mine, submission.
urlpatterns: list = [
    path("", v.catalog, name="catalog"),
    path("<int:version_id>/", v.credential, name="credential"),
    path("<int:version_id>/image/", v.credential_image, name="credential_image"),
    path("<int:version_id>/start/", v.start, name="start"),
    path("mine/", v.mine, name="mine"),
    path("work/<int:submission_id>/", v.submission, name="submission"),
    path("work/<int:submission_id>/add/", v.add_item, name="add_item"),
    path("work/<int:submission_id>/remove/", v.remove_item, name="remove_item"),
    path("work/<int:submission_id>/save/", v.save, name="save"),
    path("work/<int:submission_id>/submit/", v.submit, name="submit"),
    path("work/<int:submission_id>/withdraw/", v.withdraw, name="withdraw"),
]
