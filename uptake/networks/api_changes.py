"""The networks app's changes part of the JSON API (see api.py)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Knowledge mobilisation"])
