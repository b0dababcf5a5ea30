"""This app's part of the JSON API (uptake/api):
Looking-at-Student-Work sets, groups and next steps.
"""

from __future__ import annotations

from ninja import Router

router = Router()
