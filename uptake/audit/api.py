"""This app's part of the JSON API (uptake/api):
The district's audit log (district coordinators).
"""

from __future__ import annotations

from ninja import Router

router = Router()
