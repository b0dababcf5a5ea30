"""The micro-credentials API's examples for tests/test_api_access_matrix.py (and the schema
fuzzing, write attacks and list-leak tests that read them): the district's published
credential, Jamie's work on it (a draft, sent, being read by the world's assessor), and
the ledger and transcript that awards fill."""

from __future__ import annotations

from typing import Any

from uptake.credentials.tests import fixtures

EDUCATORS = {"teacher", "colleague", "outsider", "coach", "leader"}
CATALOG = EDUCATORS | {"assessor", "coordinator"}
COORDINATORS = {"coordinator", "other_coordinator"}


def version(w: Any) -> dict[str, Any]:
    return {"version_id": fixtures.credential(w).pk}


def draft(w: Any) -> dict[str, Any]:
    return {"submission_id": fixtures.learning_draft(w, ready=False).pk}


def ready(w: Any) -> dict[str, Any]:
    return {"submission_id": fixtures.learning_draft(w).pk}


def sent(w: Any) -> dict[str, Any]:
    return {"submission_id": fixtures.submitted(w).pk}


def with_item(w: Any) -> dict[str, Any]:
    submission = fixtures.learning_draft(w)
    return {"submission_id": submission.pk, "item_id": submission.items.first().pk}


def review(w: Any) -> dict[str, Any]:
    return {"review_id": fixtures.open_review(w).pk}


def review_with_a_colleague(w: Any) -> dict[str, Any]:
    fixtures.second_assessor(w)
    return review(w)


def a_source(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "source", "record_id": fixtures.sources(w)[0].pk,
            "note": "The book the talk moves come from."}


def award_body(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    from uptake.credentials.models import Review

    found = Review.objects.get(pk=params["review_id"])
    return {"decision": "award", "comment": "Clear and well sourced.",
            "scores": [{"criterion_id": c.pk, "level": 1, "comment": ""}
                       for c in found.round.submission.tier.criteria.all()]}


def reassign_body(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"assessor_id": fixtures.second_assessor(w).pk,
            "replace_review_id": fixtures.open_review(w).pk}


def awarded_teacher(w: Any) -> dict[str, Any]:
    fixtures.awarded(w)
    return {"person_id": w.people["teacher"].pk}


API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/credentials/catalog": [
        {"label": "the district's published credentials", "params": lambda w: (
            fixtures.credential(w), {})[1], "allowed": CATALOG | {"other_coordinator"}},
    ],
    "GET /api/v1/credentials/catalog/{version_id}": [
        {"label": "published in the district", "params": version, "allowed": CATALOG},
    ],
    "GET /api/v1/credentials/mine": [
        {"label": "each educator her own", "params": lambda w: (draft(w), {})[1],
         "allowed": EDUCATORS},
        {"label": "filtered by state", "params": lambda w: (draft(w), {"state": "draft"})[1],
         "allowed": EDUCATORS},
    ],
    "POST /api/v1/credentials/mine": [
        {"label": "start a tier of the catalog", "params": lambda w: {},
         "body": lambda w, params: {"tier_id": fixtures.tier(w).pk}, "allowed": EDUCATORS},
    ],
    "GET /api/v1/credentials/mine/{submission_id}": [
        {"label": "her draft", "params": draft, "allowed": {"teacher"}},
        {"label": "her work being read", "params": sent, "allowed": {"teacher"}},
    ],
    "PATCH /api/v1/credentials/mine/{submission_id}": [
        {"label": "her draft", "params": draft,
         "body": lambda w, params: {"reflection": fixtures.REFLECTION},
         "allowed": {"teacher"}},
    ],
    "POST /api/v1/credentials/mine/{submission_id}/items": [
        {"label": "one of her sources", "params": draft, "body": a_source,
         "allowed": {"teacher"}},
    ],
    "DELETE /api/v1/credentials/mine/{submission_id}/items/{item_id}": [
        {"label": "a selected source", "params": with_item, "allowed": {"teacher"}},
    ],
    "GET /api/v1/credentials/mine/{submission_id}/precheck": [
        {"label": "her draft", "params": draft, "allowed": {"teacher"}},
    ],
    "POST /api/v1/credentials/mine/{submission_id}/submit": [
        {"label": "every check passes", "params": ready, "allowed": {"teacher"}},
    ],
    "POST /api/v1/credentials/mine/{submission_id}/withdraw": [
        {"label": "being read", "params": sent, "allowed": {"teacher"}},
    ],
    "GET /api/v1/credentials/reviews": [
        {"label": "her queue", "params": lambda w: (review(w), {})[1],
         "allowed": {"assessor"}},
    ],
    "GET /api/v1/credentials/reviews/{review_id}": [
        {"label": "assigned to her", "params": review, "allowed": {"assessor"}},
    ],
    "POST /api/v1/credentials/reviews/{review_id}/decision": [
        {"label": "award", "params": review, "body": award_body, "allowed": {"assessor"}},
    ],
    "POST /api/v1/credentials/reviews/{review_id}/second-reader": [
        {"label": "another assessor is free", "params": review_with_a_colleague,
         "allowed": {"assessor"}},
    ],
    "GET /api/v1/credentials/submissions": [
        {"label": "the district's sent work", "params": lambda w: (sent(w), {})[1],
         "allowed": COORDINATORS},
    ],
    "POST /api/v1/credentials/submissions/{submission_id}/assign": [
        {"label": "hand the reading to another assessor", "params": sent,
         "body": reassign_body, "allowed": {"coordinator"}},
    ],
    "GET /api/v1/credentials/stipends": [
        {"label": "the district's ledger or her own", "params": lambda w: (
            fixtures.awarded(w), {})[1], "allowed": EDUCATORS | COORDINATORS},
        {"label": "one payroll month", "params": lambda w: (
            fixtures.awarded(w), {"period": "2026-11"})[1],
         "allowed": EDUCATORS | COORDINATORS},
    ],
    "GET /api/v1/credentials/transcripts/{person_id}": [
        {"label": "hers, with an awarded tier", "params": awarded_teacher,
         "allowed": {"teacher", "coordinator"}},
    ],
}
