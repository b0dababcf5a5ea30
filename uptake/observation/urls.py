from __future__ import annotations

from django.urls import path

from uptake.observation import views

app_name = "observation"

urlpatterns = [
    path("", views.observation_list, name="list"),
    path("protocols/", views.protocols, name="protocols"),
    path("protocols/<int:protocol_id>/prompts/add", views.prompt_add, name="prompt_add"),
    path("prompts/<int:prompt_id>/edit", views.prompt_edit, name="prompt_edit"),
    path("inquiries/<int:inquiry_id>/new", views.request_new, name="request_new"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/tallies", views.tallies, name="tallies"),
    path("<int:request_id>/submit", views.submit, name="submit"),
    path("<int:request_id>/cancel", views.cancel, name="cancel"),
]
