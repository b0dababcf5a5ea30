"""The networks app's map pages (included by urls.py, namespace ``networks``)."""

from __future__ import annotations

from django.urls import path

from uptake.networks import views_map as v

urlpatterns: list = [
    path("", v.home, name="home"),
    path("map/download", v.map_download, name="map_download"),
]
