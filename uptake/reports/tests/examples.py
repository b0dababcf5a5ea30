"""The reports app's examples for the project-wide access matrices: pages
(tests/test_access_matrix.py), lapses (tests/test_access_lapses.py) and the API
(tests/test_api_access_matrix.py).

A case is read by the district's coordinators and researchers and by a school leader (her
school's figures); a program's case only by those who may see the program (the programs'
"Math talk at Cedar": Cedar's principal, not Birch's people, not another district). The
coordinator edits; the researcher and the principal are refused the edit (403 in the API,
the page's 404 since its audience is coordinators). The research export is for
coordinators and researchers. The district pages take no id: their audience is ``allow``'s,
which the matrix checks by itself (another district's coordinator reaches her own
district's case and export).

Lapses: a program's case URLs take ``program_id``, the programs app's object type
(``uptake.programs.tests.examples``), so they join its walk by themselves."""

from __future__ import annotations

from typing import Any

from uptake.programs.tests import fixtures

CASE_READERS = {"coordinator", "researcher", "leader"}
EDITORS = {"coordinator"}
EXPORTERS = {"coordinator", "researcher", "other_coordinator"}


def program_id(w: Any) -> dict[str, Any]:
    return {"program_id": fixtures.program(w).pk}


URL_EXAMPLES = {
    "reports:program_case": (program_id, CASE_READERS),
    "reports:program_case_pdf": (program_id, CASE_READERS),
    "reports:program_case_edit": (program_id, EDITORS),
    "reports:program_case_reset": (program_id, EDITORS),
}

LAPSE_EXAMPLES: dict[str, Any] = {}


def _words(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"challenge": "Grade 3 readers needed to explain their thinking.",
            "solution": "", "impact": ""}


API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/reports/case": [
        {"label": "the district's (a principal: her school's)", "params": lambda w: {},
         "allowed": CASE_READERS | {"other_coordinator"}},
        {"label": "a program at Cedar", "params": program_id, "allowed": CASE_READERS},
    ],
    "PUT /api/v1/reports/case": [
        {"label": "the district's words", "params": lambda w: {}, "body": _words,
         "allowed": EDITORS | {"other_coordinator"}, "refused": {"researcher", "leader"}},
        {"label": "a program's words", "params": program_id, "body": _words,
         "allowed": EDITORS, "refused": {"researcher", "leader"}},
    ],
    "POST /api/v1/reports/research-export": [
        {"label": "the district's, de-identified", "params": lambda w: {},
         "allowed": EXPORTERS},
    ],
}
