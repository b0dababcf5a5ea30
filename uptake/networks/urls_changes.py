"""The networks app's changes pages (included by urls.py under changes/, namespace
networks): the knowledge-mobilisation log, a change, its form, and the reports."""

from __future__ import annotations

from django.urls import path

from uptake.networks import views_changes as views

urlpatterns: list = [
    path("", views.log, name="changes"),
    path("new/", views.change_new, name="change_new"),
    path("<int:change_id>/", views.change, name="change"),
    path("<int:change_id>/edit/", views.change_edit, name="change_edit"),
    path("<int:change_id>/delete/", views.change_delete, name="change_delete"),
    path("reports/", views.reports, name="change_reports"),
    path("reports.csv", views.reports_csv, name="change_reports_csv"),
    path("reports.xlsx", views.reports_xlsx, name="change_reports_xlsx"),
]
