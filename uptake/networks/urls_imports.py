"""The networks app's import pages (included by urls.py, namespace ``networks``)."""

from __future__ import annotations

urlpatterns: list = []
