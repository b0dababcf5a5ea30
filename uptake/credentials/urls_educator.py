from __future__ import annotations

from django.urls import path

from uptake.credentials import views_educator as v

# Names other modules rely on: catalog, credential, mine, submission.
urlpatterns: list = [
    path("", v.placeholder, name="catalog"),
    path("<int:version_id>/", v.placeholder, name="credential"),
    path("mine/", v.placeholder, name="mine"),
    path("work/<int:submission_id>/", v.placeholder, name="submission"),
]
