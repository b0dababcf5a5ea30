"""Objects for the access matrices (tests/test_access_matrix.py, tests/test_access_lapses.py,
tests/test_api_access_matrix.py): Jamie's practice, published or a draft, and Asha's own
inquiry that tried it."""

from __future__ import annotations

from typing import Any

# Everyone with a role in Jamie's district (not the other district's coordinator).
DISTRICT = {"teacher", "colleague", "outsider", "coach", "assessor", "leader", "coordinator",
            "researcher"}
TEACHERS = {"teacher", "colleague", "outsider"}


def practice(w: Any, *, published: bool = True, title: str = "Turn-and-talk with stems"
             ) -> Any:
    from uptake.library.actions import PracticeFields, do_create_practice

    return do_create_practice(w.people["teacher"], PracticeFields(
        title=title, overview="Partners explain their thinking with sentence stems.",
        steps="1. Pose the question. 2. Turn and talk. 3. Share out.", grades=["3"],
        subject="Mathematics", focus="discourse"), publish=published)


def colleagues_inquiry(w: Any, title: str = "Asha tries turn-and-talk") -> Any:
    from uptake.inquiry.actions import do_create_inquiry

    return do_create_inquiry(w.people["colleague"], title=title)


def trial(w: Any, made: Any = None, title: str = "Asha tries turn-and-talk") -> Any:
    from uptake.library.actions import do_add_trial

    return do_add_trial(made or practice(w), actor=w.people["colleague"],
                        inquiry=colleagues_inquiry(w, title))


def published(w: Any) -> dict[str, Any]:
    return {"practice_id": practice(w).pk}


def draft(w: Any) -> dict[str, Any]:
    return {"practice_id": practice(w, published=False).pk}


def published_with_asha_s_inquiry(w: Any) -> dict[str, Any]:
    colleagues_inquiry(w, "Asha's inquiry to link")
    return {"practice_id": practice(w).pk}


def asha_s_inquiry(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    from uptake.inquiry.models import Inquiry

    inquiry = Inquiry.objects.filter(owner=w.people["colleague"]).latest("pk")
    return {"inquiry_id": inquiry.pk, "note": "Used it in science too."}


URL_EXAMPLES = {
    "library:detail": (published, DISTRICT),
    "library:edit": (published, {"teacher"}),
    "library:publish": (draft, {"teacher"}),
    "library:unpublish": (published, {"teacher"}),
    "library:delete": (published, {"teacher"}),
    "library:try": (published, TEACHERS),
    "library:trial_remove": (lambda w: {"trial_id": trial(w).pk}, {"colleague"}),
}


def _lapse_ids(w: Any, ids: dict[Any, Any]) -> dict[Any, Any]:
    made = practice(w, title="Lapsing practice")
    return {"practice_id": made.pk, "trial_id": trial(w, made, "Asha's own trial").pk}


PRACTICE, TRIAL = "library practice", "library trial"
LAPSE_EXAMPLES = {
    "types": {frozenset({"practice_id"}): (PRACTICE,), frozenset({"trial_id"}): (TRIAL,)},
    "ids": _lapse_ids,
    "titles": {PRACTICE: "Lapsing practice"},
    # A teacher who loses her role, or whose account closes, no longer sees the library
    # (her own practices included); moving to another school of the district keeps it.
    "holders": {
        "teacher": {"role revoked": frozenset({PRACTICE}),
                    "account deactivated": frozenset({PRACTICE})},
        "colleague": {"role revoked": frozenset({PRACTICE, TRIAL}),
                      "account deactivated": frozenset({PRACTICE, TRIAL})},
        "coach": {"role revoked": frozenset({PRACTICE}),
                  "account deactivated": frozenset({PRACTICE})},
        "leader": {"role revoked": frozenset({PRACTICE}),
                   "account deactivated": frozenset({PRACTICE})},
        "outsider": {"account deactivated": frozenset({PRACTICE})},
    },
}

API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/library/practices": [
        {"label": "everyone with a role lists her district's library", "params": lambda w: {},
         "allowed": DISTRICT | {"other_coordinator"}},
    ],
    "GET /api/v1/library/practices/{practice_id}": [
        {"label": "published", "params": published, "allowed": DISTRICT},
        {"label": "draft", "params": draft, "allowed": {"teacher"}},
    ],
    "POST /api/v1/library/practices": [
        {"label": "a teacher shares", "params": lambda w: {},
         "body": lambda w, params: {"title": "Number talks", "grades": ["4"],
                                    "links": [{"title": "Talk moves",
                                               "url": "https://example.org/talk"}]},
         "allowed": TEACHERS},
    ],
    "PATCH /api/v1/library/practices/{practice_id}": [
        {"label": "published", "params": published,
         "body": lambda w, params: {"title": "Turn-and-talk with sentence stems"},
         "allowed": {"teacher"}},
        {"label": "draft", "params": draft,
         "body": lambda w, params: {"status": "published"}, "allowed": {"teacher"}},
    ],
    "POST /api/v1/library/practices/{practice_id}/publish": [
        {"label": "draft", "params": draft, "allowed": {"teacher"}},
    ],
    "GET /api/v1/library/practices/{practice_id}/trials": [
        {"label": "published", "params": published, "allowed": DISTRICT},
        {"label": "draft", "params": draft, "allowed": {"teacher"}},
    ],
    "POST /api/v1/library/practices/{practice_id}/trials": [
        {"label": "Asha links her own inquiry", "params": published_with_asha_s_inquiry,
         "body": asha_s_inquiry, "allowed": {"colleague"}},
    ],
    "DELETE /api/v1/library/trials/{trial_id}": [
        {"label": "Asha's trial", "params": lambda w: {"trial_id": trial(w).pk},
         "allowed": {"colleague"}},
    ],
}
