"""The networks app's community pages (included by urls.py under communities/, namespace
networks)."""

from __future__ import annotations

from django.urls import path

from uptake.networks import views_community as views

urlpatterns: list = [
    path("", views.communities, name="communities"),
    path("new/", views.community_new, name="community_new"),
    path("<int:community_id>/", views.community, name="community"),
    path("<int:community_id>/coding/", views.community_coding, name="community_coding"),
    path("<int:community_id>/delete/", views.community_delete, name="community_delete"),
    path("<int:community_id>/retry/", views.community_retry, name="community_retry"),
    path("<int:community_id>/measures.csv", views.community_csv, name="community_csv"),
    path("<int:community_id>/measures.xlsx", views.community_xlsx, name="community_xlsx"),
]
