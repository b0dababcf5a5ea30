"""This app's part of the JSON API (uptake/api):
Learning plans, goals and learning sources.
"""

from __future__ import annotations

from ninja import Router

router = Router()
