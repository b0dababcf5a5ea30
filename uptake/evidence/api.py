"""This app's part of the JSON API (uptake/api):
Evidence metadata (files stay on the pages).
"""

from __future__ import annotations

from ninja import Router

router = Router()
