"""The district app's examples for the project-wide access matrices: pages
(tests/test_access_matrix.py), lapses (tests/test_access_lapses.py: a program's dashboard
takes ``program_id``, which the programs app's examples declare and walk) and the API
(tests/test_api_access_matrix.py). The dashboard, its drill-down and its downloads take no
id: their audience is coordinators, researchers and school leaders (``allow``)."""

from __future__ import annotations

from typing import Any

from uptake.programs.tests import fixtures

# A program at Cedar: Cedar's principal, the district's coordinator and researcher.
PROGRAM_READERS = {"leader", "coordinator", "researcher"}
DASHBOARD_READERS = PROGRAM_READERS | {"other_coordinator"}


def program_id(w: Any) -> dict[str, Any]:
    return {"program_id": fixtures.program(w).pk}


URL_EXAMPLES = {
    "district:program": (program_id, PROGRAM_READERS),
}

API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/district/dashboard": [
        {"label": "each reader her own scope", "params": lambda w: (fixtures.program(w), {})[1],
         "allowed": DASHBOARD_READERS},
        {"label": "filtered to a program", "params": lambda w: {
            "program": fixtures.program(w).pk}, "allowed": DASHBOARD_READERS},
    ],
    "GET /api/v1/district/programs/{program_id}": [
        {"label": "a program at Cedar", "params": program_id, "allowed": PROGRAM_READERS},
    ],
}
