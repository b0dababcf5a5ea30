"""The networks app's import pages (included by urls.py under ``imports/``, namespace
``networks``)."""

from __future__ import annotations

from django.urls import path

from uptake.networks import views_imports as views

urlpatterns: list = [
    path("", views.imports, name="imports"),
    path("survey/", views.bring_in_survey, name="import_survey"),
    path("edges/", views.upload_edges, name="import_edges"),
    path("edges/template.csv", views.template, name="import_template"),
    path("<int:import_id>/", views.import_detail, name="import_detail"),
    path("<int:import_id>/delete/", views.delete_import, name="import_delete"),
]
