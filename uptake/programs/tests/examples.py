"""The programs app's examples for the project-wide access matrices: pages
(tests/test_access_matrix.py), lapses (tests/test_access_lapses.py) and the API
(tests/test_api_access_matrix.py). The scene is ``fixtures``: a program at Cedar only."""

from __future__ import annotations

from typing import Any

from uptake.programs.tests import fixtures

# Who sees a program that runs at Cedar: Cedar's teachers, coach and principal, and the
# district's coordinator and researcher; not Birch's teacher, the assessor, another district.
READERS = {"teacher", "colleague", "coach", "leader", "coordinator", "researcher"}
MANAGERS = {"coordinator"}
LINKERS = {"teacher", "colleague", "outsider", "coach"}


def program_id(w: Any) -> dict[str, Any]:
    return {"program_id": fixtures.program(w).pk}


def session_id(w: Any) -> dict[str, Any]:
    return {"session_id": fixtures.session(w).pk}


def link_id(w: Any) -> dict[str, Any]:
    return {"link_id": fixtures.link(w).pk}


def participant(w: Any) -> dict[str, Any]:
    found = fixtures.program(w).participants.get(person=w.people["teacher"])
    return {"program_id": found.program_id, "participant_id": found.pk}


URL_EXAMPLES = {
    "programs:detail": (program_id, READERS),
    "programs:edit": (program_id, MANAGERS),
    "programs:archive": (program_id, MANAGERS),
    "programs:session_new": (program_id, MANAGERS),
    "programs:participants": (program_id, MANAGERS),
    "programs:attendance": (program_id, MANAGERS),
    "programs:import": (program_id, MANAGERS),
    "programs:export": (program_id, MANAGERS),
    "programs:session_edit": (session_id, MANAGERS),
    "programs:session_delete": (session_id, MANAGERS),
    "programs:unlink": (link_id, {"teacher"}),
}


def _program_body(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"name": "Writing workshop", "kind": "course", "starts_on": "2026-10-01",
            "funding_source": "title_ii_a"}


def _session_body(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"held_on": "2026-11-09", "title": "Feedback", "hours": "1.5"}


API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/programs": [
        {"label": "the programs each may see", "params": lambda w: (fixtures.program(w), {})[1],
         "allowed": READERS | {"outsider", "other_coordinator"}},
    ],
    "GET /api/v1/programs/{program_id}": [
        {"label": "a program at Cedar", "params": program_id, "allowed": READERS},
    ],
    "POST /api/v1/programs": [
        {"label": "in her own district", "params": lambda w: {}, "body": _program_body,
         "allowed": {"coordinator", "other_coordinator"}},
    ],
    "PUT /api/v1/programs/{program_id}": [
        {"label": "her district's", "params": program_id, "body": _program_body,
         "allowed": MANAGERS},
    ],
    "POST /api/v1/programs/{program_id}/archive": [
        {"label": "her district's", "params": program_id, "allowed": MANAGERS},
    ],
    "GET /api/v1/programs/{program_id}/sessions": [
        {"label": "a program at Cedar", "params": program_id, "allowed": READERS},
    ],
    "POST /api/v1/programs/{program_id}/sessions": [
        {"label": "her district's", "params": program_id, "body": _session_body,
         "allowed": MANAGERS},
    ],
    "PUT /api/v1/programs/sessions/{session_id}": [
        {"label": "her district's", "params": session_id, "body": _session_body,
         "allowed": MANAGERS},
    ],
    "DELETE /api/v1/programs/sessions/{session_id}": [
        {"label": "her district's", "params": session_id, "allowed": MANAGERS},
    ],
    "GET /api/v1/programs/{program_id}/participants": [
        {"label": "her district's", "params": program_id, "allowed": MANAGERS},
    ],
    "POST /api/v1/programs/{program_id}/participants": [
        {"label": "a colleague of the district", "params": program_id,
         "body": lambda w, p: {"person_id": w.people["colleague"].pk}, "allowed": MANAGERS},
    ],
    "PATCH /api/v1/programs/{program_id}/participants/{participant_id}": [
        {"label": "Jamie completes", "params": participant,
         "body": lambda w, p: {"status": "completed", "completed_on": "2027-05-31"},
         "allowed": MANAGERS},
    ],
    "PUT /api/v1/programs/{program_id}/attendance": [
        {"label": "the whole grid", "params": program_id,
         "body": lambda w, p: {"present": [[fixtures.session(w).pk, w.people["teacher"].pk]]},
         "allowed": MANAGERS},
    ],
    "POST /api/v1/programs/{program_id}/participation": [
        {"label": "rows of her district's people", "params": program_id,
         "body": lambda w, p: {"rows": [{"email": "asha@maple.test", "session": "2026-09-14",
                                         "attended": "yes"}]},
         "allowed": MANAGERS},
    ],
    "GET /api/v1/programs/links/mine": [
        {"label": "each educator her own", "params": lambda w: (fixtures.link(w), {})[1],
         "allowed": LINKERS},
    ],
    "POST /api/v1/programs/links/mine": [
        {"label": "Jamie's inquiry to a Cedar program", "params": lambda w: {},
         "body": lambda w, p: {"program_id": fixtures.program(w).pk, "kind": "inquiry",
                               "record_id": fixtures.inquiry(w).pk},
         "allowed": {"teacher"}, "refused": {"colleague", "coach"}},
    ],
    "DELETE /api/v1/programs/links/mine/{link_id}": [
        {"label": "her own link", "params": link_id, "allowed": {"teacher"}},
    ],
}

# ------------------------------------------------------------------------ lapses

PROGRAM = "program at her school"
LINK = "her link to a program"
SESSION = "program session"
LAPSING_TITLE = "Lapsing program at Cedar"


def lapse_ids(w: Any, ids: dict[Any, Any]) -> dict[Any, Any]:
    program = fixtures.program(w, name=LAPSING_TITLE, enrol=False)
    link = fixtures.link(w)
    return {(PROGRAM, "program_id"): program.pk, (LINK, "link_id"): link.pk,
            (SESSION, "session_id"): program.sessions.first().pk}  # type: ignore[union-attr]


_SCHOOL = {"role revoked": frozenset({PROGRAM}), "moved to another school": frozenset({PROGRAM}),
           "account deactivated": frozenset({PROGRAM})}

LAPSE_EXAMPLES = {
    "types": {frozenset({"program_id"}): (PROGRAM,), frozenset({"link_id"}): (LINK,),
              frozenset({"session_id"}): (SESSION,)},
    "ids": lapse_ids,
    "titles": {PROGRAM: LAPSING_TITLE},
    "holders": {
        "teacher": {"role revoked": frozenset({PROGRAM, LINK}),
                    "moved to another school": frozenset({PROGRAM}),
                    "account deactivated": frozenset({PROGRAM, LINK})},
        "colleague": _SCHOOL, "coach": _SCHOOL, "leader": _SCHOOL,
        "researcher": {"role revoked": frozenset({PROGRAM}),
                       "account deactivated": frozenset({PROGRAM})},
    },
}
