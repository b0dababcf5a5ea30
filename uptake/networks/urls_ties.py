"""The networks app's ties pages (included by urls.py, namespace networks)."""

from __future__ import annotations

urlpatterns: list = []
