"""This app's part of the JSON API (uptake/api):
Classes and their students by pseudonymous ID; OneRoster imports.
"""

from __future__ import annotations

from ninja import Router

router = Router()
