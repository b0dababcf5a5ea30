from __future__ import annotations

from django.urls import path

from uptake.programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("new/", views.program_new, name="new"),
    path("<int:program_id>/", views.program_detail, name="detail"),
    path("<int:program_id>/edit/", views.program_edit, name="edit"),
    path("<int:program_id>/archive/", views.program_archive, name="archive"),
    path("<int:program_id>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/delete/", views.session_delete, name="session_delete"),
    path("<int:program_id>/participants/", views.participants, name="participants"),
    path("<int:program_id>/attendance/", views.attendance, name="attendance"),
    path("<int:program_id>/import/", views.participation_import, name="import"),
    path("<int:program_id>/participation.csv", views.participation_csv, name="export"),
    path("link/", views.link, name="link"),
    path("links/<int:link_id>/unlink/", views.unlink, name="unlink"),
]
