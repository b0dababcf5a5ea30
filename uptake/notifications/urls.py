from __future__ import annotations

from django.urls import path

from uptake.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notices, name="list"),
    path("<int:notice_id>/", views.open_notice, name="open"),
    path("read-all/", views.mark_all_read, name="read_all"),
]
