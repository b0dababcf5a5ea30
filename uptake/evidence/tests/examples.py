"""Objects for the access matrices (tests/test_access_matrix.py and
tests/test_api_access_matrix.py): Jamie's text evidence, private, shared with her school,
and shared while it can identify students (with Cedar's coach named, or nobody named)."""

from __future__ import annotations

from typing import Any


def artifact(w: Any, *, shared: bool = False, identifies: bool = False,
             coaches: tuple[str, ...] = ()) -> Any:
    from uptake.evidence.actions import do_add_artifact, do_share_artifact

    teacher = w.people["teacher"]
    made = do_add_artifact(teacher, kind="text", title="Exit-ticket notes", guskey_level=4,
                           identifies_students=identifies, body="Most explained their steps.")
    if shared:
        made = do_share_artifact(made, actor=teacher,
                                 coaches=[w.people[name] for name in coaches])
    return made


def private(w: Any) -> dict[str, Any]:
    return {"artifact_id": artifact(w).pk}


def shared_with_school(w: Any) -> dict[str, Any]:
    return {"artifact_id": artifact(w, shared=True).pk}


def identifying_with_coach(w: Any) -> dict[str, Any]:
    return {"artifact_id": artifact(w, shared=True, identifies=True, coaches=("coach",)).pk}


def identifying(w: Any) -> dict[str, Any]:
    return {"artifact_id": artifact(w, shared=True, identifies=True).pk}


VIEWERS = {"teacher", "colleague", "outsider", "coach", "leader", "coordinator",
           "other_coordinator"}
SCHOOL = {"teacher", "colleague", "coach", "leader", "coordinator"}

API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/evidence/artifacts": [
        {"label": "everyone the pages admit lists what she may see", "params": lambda w: {},
         "allowed": VIEWERS},
    ],
    "GET /api/v1/evidence/artifacts/{artifact_id}": [
        {"label": "private", "params": private, "allowed": {"teacher"}},
        {"label": "shared with her school", "params": shared_with_school, "allowed": SCHOOL},
        {"label": "identifies students, coach named", "params": identifying_with_coach,
         "allowed": {"teacher", "coach", "coordinator"}},
        {"label": "identifies students, nobody named", "params": identifying,
         "allowed": {"teacher", "coordinator"}},
    ],
    "PATCH /api/v1/evidence/artifacts/{artifact_id}": [
        {"label": "private", "params": private,
         "body": lambda w, params: {"title": "Exit-ticket notes, week 2"},
         "allowed": {"teacher"}},
        {"label": "shared with her school", "params": shared_with_school,
         "body": lambda w, params: {"guskey_level": 5}, "allowed": {"teacher"}},
    ],
}
