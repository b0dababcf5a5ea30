"""The audit log's operation for the API's access matrix (tests/test_api_access_matrix.py):
each district's coordinators read their own district's log; nobody else reads any."""

from __future__ import annotations

from typing import Any


def _an_event(w: Any) -> dict[str, Any]:
    from uptake.audit.actions import record
    from uptake.audit.models import AuditAction

    record(AuditAction.ROLE_GRANTED, actor=w.people["coordinator"], obj=w.people["teacher"],
           summary="Granted coach to Jamie Nguyen")
    return {}


API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/audit/events": [
        {"label": "each coordinator's own district's log", "params": _an_event,
         "allowed": {"coordinator", "other_coordinator"}},
    ],
}
