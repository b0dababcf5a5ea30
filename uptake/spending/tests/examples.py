"""The spending ledger's examples for the project-wide access matrices
(tests/test_access_matrix.py, tests/test_access_lapses.py, tests/test_api_access_matrix.py).

The ledger is the district's: its coordinators keep it, its researchers
read it; school leaders, teachers, coaches and assessors never reach it, nor another district's
coordinator (the same 404 as a missing line). Pages without ids (the ledger, its
downloads, adding a line, the import page) declare their audience with ``allow``, which
the matrix checks by itself.
"""

from __future__ import annotations

from typing import Any

from uptake.spending.tests import fixtures

KEEPERS = {"coordinator"}
READERS = {"coordinator", "researcher"}
# A reader who is not a coordinator sees the line but her write is refused (403).
REFUSED_WRITERS = {"researcher"}


def line(w: Any) -> dict[str, Any]:
    return {"entry_id": fixtures.entry(w).pk}


def a_year(w: Any) -> dict[str, Any]:
    fixtures.entry(w)  # FY2027
    return {"year": 2027}


def some_years(w: Any) -> dict[str, Any]:
    fixtures.entry(w)
    return {"years": [2026, 2027], "by": "source"}


def the_lines(w: Any) -> dict[str, Any]:
    fixtures.entry(w)
    return {}


def finance_import(w: Any) -> dict[str, Any]:
    from uptake.spending.actions import do_import_finance

    done = do_import_finance(w.people["coordinator"], file_name="finance.csv", content=(
        b"date,amount,fund,object,reference\n2026-09-01,500.00,Title II-A,Coaching,V-9\n"))
    return {"import_id": done.pk}


def body(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"spent_on": "2026-10-01", "amount": "250.00", "source": "title_ii_a",
            "use": "substitutes", "description": "Release days for the PLC"}


URL_EXAMPLES = {
    "spending:entry_edit": (line, KEEPERS),
    "spending:entry_delete": (line, KEEPERS),
    "spending:import_done": (finance_import, KEEPERS),
}

API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/spending/entries": [
        {"label": "the district's lines", "params": the_lines,
         "allowed": READERS | {"other_coordinator"}},
    ],
    "GET /api/v1/spending/entries/{entry_id}": [
        {"label": "a line of the district", "params": line, "allowed": READERS},
    ],
    "POST /api/v1/spending/entries": [
        {"label": "a new line", "params": lambda w: {}, "body": body,
         "allowed": KEEPERS | {"other_coordinator"}, "refused": REFUSED_WRITERS},
    ],
    "PUT /api/v1/spending/entries/{entry_id}": [
        {"label": "a line of the district", "params": line, "body": body,
         "allowed": KEEPERS, "refused": REFUSED_WRITERS},
    ],
    "DELETE /api/v1/spending/entries/{entry_id}": [
        {"label": "a line of the district", "params": line, "allowed": KEEPERS,
         "refused": REFUSED_WRITERS},
    ],
    "GET /api/v1/spending/ledger": [
        {"label": "a fiscal year", "params": a_year,
         "allowed": READERS | {"other_coordinator"}},
    ],
    "GET /api/v1/spending/totals": [
        {"label": "five years by source",
         "params": some_years,
         "allowed": READERS | {"other_coordinator"}},
    ],
}

# ``entry_id`` and ``import_id`` name the district's ledger, reached by a district-wide
# role: the access matrix covers each; tests/test_spending_access.py
# walks a role revoked and an account deactivated over every spending page.
LAPSE_EXAMPLES: dict[str, Any] = {"not_objects": {frozenset({"entry_id"})}}
