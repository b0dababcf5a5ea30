"""The Open Badges API's examples for tests/test_api_access_matrix.py (and the schema
fuzzing, write attacks and list-leak tests that read them): Jamie's (``teacher``) award of
the district's credential, issued as an Open Badge."""

from __future__ import annotations

import json
from typing import Any

from uptake.badges.tests import fixtures

EVERYONE = {"teacher", "colleague", "outsider", "coach", "assessor", "leader", "coordinator",
            "researcher", "other_coordinator"}


def badge(w: Any) -> dict[str, Any]:
    return {"uuid": str(fixtures.issued(w).uuid)}


def issued_first(w: Any) -> dict[str, Any]:
    fixtures.issued(w)
    return {}


def reason(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"reason": "Awarded in error: the wrong educator's work was read."}


def credential(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"credential": json.loads(fixtures.issued(w).document)}


API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/badges": [
        {"label": "each person her own (Jamie has one)", "params": issued_first,
         "allowed": EVERYONE},
    ],
    "GET /api/v1/badges/district": [
        {"label": "the district's issued badges", "params": issued_first,
         "allowed": {"coordinator", "other_coordinator"}},
    ],
    "GET /api/v1/badges/{uuid}": [
        {"label": "hers", "params": badge, "allowed": {"teacher"}},
    ],
    "POST /api/v1/badges/{uuid}/revoke": [
        {"label": "issued in her district", "params": badge, "body": reason,
         "allowed": {"coordinator"}},
    ],
    "POST /api/v1/badges/verify": [
        {"label": "Jamie's signed credential", "params": lambda w: {}, "body": credential,
         "allowed": EVERYONE},
    ],
}
