from __future__ import annotations

from django.urls import path

from uptake.library import views

app_name = "library"

urlpatterns = [
    path("", views.library, name="list"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("<int:practice_id>/", views.detail, name="detail"),
    path("<int:practice_id>/edit/", views.edit, name="edit"),
    path("<int:practice_id>/publish/", views.publish, name="publish"),
    path("<int:practice_id>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:practice_id>/delete/", views.delete, name="delete"),
    path("<int:practice_id>/tried/", views.try_it, name="try"),
    path("trials/<int:trial_id>/remove/", views.trial_remove, name="trial_remove"),
]
