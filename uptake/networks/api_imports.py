"""The networks app's imports part of the JSON API (see api.py)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Networks"])
