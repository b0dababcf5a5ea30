"""This app's part of the JSON API (uptake/api):
Peer observations: requests, prompts and tallies.
"""

from __future__ import annotations

from ninja import Router

router = Router()
