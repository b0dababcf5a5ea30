from __future__ import annotations

from django.urls import path

from uptake.studentwork import views

app_name = "studentwork"

urlpatterns = [
    path("", views.set_list, name="list"),
    path("inquiries/<int:inquiry_id>/new", views.set_new, name="new"),
    path("<int:set_id>/", views.set_detail, name="detail"),
    path("<int:set_id>/scores", views.set_scores, name="scores"),
    path("<int:set_id>/groups", views.group_add, name="group_add"),
    path("<int:set_id>/assign", views.set_assign, name="assign"),
    path("groups/<int:group_id>/interventions", views.intervention_add,
         name="intervention_add"),
    path("interventions/<int:intervention_id>/outcome", views.outcome, name="outcome"),
]
