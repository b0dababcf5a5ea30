"""Objects for the access matrices (tests/test_access_matrix.py and
tests/test_api_access_matrix.py): Jamie's learning plan with one goal, kept private or
shared with Cedar's coach, and a source of learning of hers linked to the goal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any


def plan(w: Any, *, shared: bool = False) -> Any:
    from uptake.learning import actions
    from uptake.learning.tests.conftest import element, goal_fields, this_year

    jamie = w.people["teacher"]
    made = actions.do_create_plan(owner=jamie, title="Math talk", start_year=this_year(),
                                  end_year=this_year() + 2, focus="Talk moves")
    actions.do_add_goal(made, actor=jamie, fields=goal_fields(
        elements=(element(w.district, "DA"),)))
    if shared:
        actions.do_share_plan(made, actor=jamie, reviewer=w.people["coach"])
    return made


def source(w: Any) -> Any:
    from uptake.learning import actions

    jamie = w.people["teacher"]
    goal = plan(w).goals.get()
    return actions.do_add_source(owner=jamie, fields=actions.SourceFields(
        kind="book", title="Intentional Talk", learned_on=date(2026, 9, 1),
        hours=Decimal("6.5"), reflection="Revoicing works.",
        goals=(goal,)))


def private_plan(w: Any) -> dict[str, Any]:
    return {"plan_id": plan(w).pk}


def shared_plan(w: Any) -> dict[str, Any]:
    return {"plan_id": plan(w, shared=True).pk}


def goal_of(w: Any) -> dict[str, Any]:
    made = plan(w, shared=True)
    return {"plan_id": made.pk, "goal_id": made.goals.get().pk}


def source_id(w: Any) -> dict[str, Any]:
    return {"source_id": source(w).pk}


def new_goal(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    from uptake.learning.tests.conftest import this_year

    return {"statement": "Students ask each other questions.", "measure": "Tallies",
            "steps": "Model question stems.", "relevance": "Talk builds reasoning.",
            "target_date": date(this_year() + 1, 3, 1).isoformat()}


def new_source(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "webinar", "title": "Number talks", "learned_on": "2026-10-01",
            "hours": "1.5"}


def aligned_inquiry(w: Any) -> dict[str, Any]:
    """Jamie's inquiry (shared with the coach, who reads it but may not align it)."""
    from uptake.inquiry.tests.examples import inquiry_id

    return inquiry_id(w)


# Pages: aligning an inquiry to framework elements is for those who may edit it.
URL_EXAMPLES = {
    "learning:inquiry_alignment": (aligned_inquiry, {"teacher"}),
}

READERS = {"teacher", "coach"}  # the owner and the coach she shared it with
PLAN_READERS = {"teacher", "colleague", "outsider", "coach", "leader", "coordinator",
                "other_coordinator"}
PLAN_KEEPERS = {"teacher", "colleague", "outsider", "coach"}

API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/learning/plans": [
        {"label": "readers list theirs", "params": lambda w: {}, "allowed": PLAN_READERS},
    ],
    "POST /api/v1/learning/plans": [
        {"label": "teachers and coaches keep plans", "params": lambda w: {},
         "body": lambda w, p: {"title": "Reading", "start_year": 2026, "end_year": 2027},
         "allowed": PLAN_KEEPERS},
    ],
    "GET /api/v1/learning/plans/{plan_id}": [
        {"label": "not shared", "params": private_plan, "allowed": {"teacher"}},
        {"label": "shared with the coach", "params": shared_plan, "allowed": READERS},
    ],
    "PATCH /api/v1/learning/plans/{plan_id}": [
        {"label": "shared with the coach", "params": shared_plan,
         "body": lambda w, p: {"focus": "Talk moves and questions"}, "allowed": {"teacher"}},
    ],
    "GET /api/v1/learning/plans/{plan_id}/goals": [
        {"label": "not shared", "params": private_plan, "allowed": {"teacher"}},
        {"label": "shared with the coach", "params": shared_plan, "allowed": READERS},
    ],
    "POST /api/v1/learning/plans/{plan_id}/goals": [
        {"label": "shared with the coach", "params": shared_plan, "body": new_goal,
         "allowed": {"teacher"}},
    ],
    "PATCH /api/v1/learning/plans/{plan_id}/goals/{goal_id}": [
        {"label": "shared with the coach", "params": goal_of,
         "body": lambda w, p: {"status": "in_progress"}, "allowed": {"teacher"}},
    ],
    "DELETE /api/v1/learning/plans/{plan_id}/goals/{goal_id}": [
        {"label": "shared with the coach", "params": goal_of, "allowed": {"teacher"}},
    ],
    "GET /api/v1/learning/sources": [
        {"label": "teachers and coaches list theirs", "params": lambda w: {},
         "allowed": PLAN_KEEPERS},
    ],
    "POST /api/v1/learning/sources": [
        {"label": "teachers and coaches record theirs", "params": lambda w: {},
         "body": new_source, "allowed": PLAN_KEEPERS},
    ],
    "GET /api/v1/learning/sources/{source_id}": [
        {"label": "hers", "params": source_id, "allowed": {"teacher"}},
    ],
    "PATCH /api/v1/learning/sources/{source_id}": [
        {"label": "hers", "params": source_id,
         "body": lambda w, p: {"hours": "7.25"}, "allowed": {"teacher"}},
    ],
    "DELETE /api/v1/learning/sources/{source_id}": [
        {"label": "hers", "params": source_id, "allowed": {"teacher"}},
    ],
}
