"""This app's part of the JSON API (uptake/api):
Inquiries, cycles, measures, occasions and scores; study results of a series.
"""

from __future__ import annotations

from ninja import Router

router = Router()
