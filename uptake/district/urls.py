from __future__ import annotations

from django.urls import path

from uptake.district import views

app_name = "district"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("records/", views.records, name="records"),
    path("download/", views.export, name="export"),
    path("programs/<int:program_id>/", views.program, name="program"),
]
