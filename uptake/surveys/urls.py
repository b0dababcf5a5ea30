from __future__ import annotations

from django.urls import path

from uptake.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_new, name="new"),
    path("<int:survey_id>/", views.builder, name="builder"),
    path("<int:survey_id>/preview/", views.preview, name="preview"),
    path("<int:survey_id>/answer/", views.respond, name="respond"),
    path("<int:survey_id>/answer/thanks/", views.thanks, name="thanks"),
    path("<int:survey_id>/results/", views.results, name="results"),
    path("<int:survey_id>/export/", views.export, name="export"),
]
