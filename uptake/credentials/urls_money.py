from __future__ import annotations

from django.urls import path

from uptake.credentials import views_money as v

# Names other modules rely on: stipends, transcript.
urlpatterns: list = [
    path("stipends/", v.placeholder, name="stipends"),
    path("transcript/<int:person_id>/", v.placeholder, name="transcript"),
]
