from __future__ import annotations

from django.urls import path

from uptake.reports import views

app_name = "reports"

urlpatterns = [
    path("case/", views.case, name="case"),
    path("case/edit/", views.case_edit, name="case_edit"),
    path("case/reset/", views.case_reset, name="case_reset"),
    path("case.pdf", views.case_pdf, name="case_pdf"),
    path("programs/<int:program_id>/case/", views.program_case, name="program_case"),
    path("programs/<int:program_id>/case/edit/", views.program_case_edit,
         name="program_case_edit"),
    path("programs/<int:program_id>/case/reset/", views.program_case_reset,
         name="program_case_reset"),
    path("programs/<int:program_id>/case.pdf", views.program_case_pdf,
         name="program_case_pdf"),
    path("research/", views.research, name="research"),
    path("research/export/", views.research_export, name="research_export"),
]
