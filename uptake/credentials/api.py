"""The JSON API's micro-credentials area (being written)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Micro-credentials"])
