"""The stories API's examples for tests/test_api_access_matrix.py (and the schema fuzzing,
write attacks and list-leak tests that read them): Jamie's story, a draft or published,
kept to herself, shared with her coach, or told by her team; her evidence and the consent
she recorded for a photo that shows her students."""

from __future__ import annotations

from datetime import date
from typing import Any

from uptake.stories.tests import fixtures

READERS = {"teacher", "colleague", "outsider", "coach", "leader"}  # the pages' audience
TEACHERS = {"teacher", "colleague", "outsider"}


def draft(w: Any) -> dict[str, Any]:
    return {"story_id": fixtures.story(w, publish=False).pk}


def published(w: Any) -> dict[str, Any]:
    return {"story_id": fixtures.story(w).pk}


def shared_with_coach(w: Any) -> dict[str, Any]:
    from uptake.inquiry.actions import do_share_inquiry

    made = fixtures.story(w)
    do_share_inquiry(w.people["teacher"], made.inquiry, w.people["coach"], share=True)
    return {"story_id": made.pk}


def told_by_team(w: Any) -> dict[str, Any]:
    """The story of an inquiry of Jamie's team with Asha: both edit it."""
    from uptake.inquiry.actions import do_create_team, do_update_inquiry

    made = fixtures.story(w, publish=False)
    if made.inquiry.team_id is None:
        team = do_create_team(w.people["teacher"], name="Grade 3 PLC", kind="plc",
                              school=w.cedar, members=[w.people["colleague"]])
        do_update_inquiry(w.people["teacher"], made.inquiry, team=team)
    return {"story_id": made.pk}


def new_inquiry(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"inquiry": fixtures.inquiry_with_data(w).pk}


def charts(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    measure = fixtures.inquiry_with_data(w).measures.get()
    return {"charts": [{"measure": measure.pk, "section": None},
                       {"measure": measure.pk, "section": w.section.pk}]}


def card(w: Any) -> Any:
    """Her talk-moves card, evidence of the story's inquiry (identifies nobody)."""
    from uptake.evidence.actions import do_add_artifact
    from uptake.evidence.models import Artifact

    inquiry = fixtures.inquiry_with_data(w)
    found = Artifact.objects.filter(inquiry=inquiry, title="Talk-moves card").first()
    return found or do_add_artifact(w.people["teacher"], kind="text", title="Talk-moves card",
                                    guskey_level=3, identifies_students=False,
                                    inquiry=inquiry, body="I agree with … because …")


def photo(w: Any) -> Any:
    """A photo of her students at work: it identifies them."""
    from uptake.evidence.actions import do_add_artifact
    from uptake.evidence.models import Artifact

    inquiry = fixtures.inquiry_with_data(w)
    found = Artifact.objects.filter(inquiry=inquiry, title="Pairs at the board").first()
    return found or do_add_artifact(w.people["teacher"], kind="text",
                                    title="Pairs at the board", guskey_level=4,
                                    identifies_students=True, inquiry=inquiry,
                                    body="Two pairs explain their number lines.")


def artifacts(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"artifacts": [{"artifact": card(w).pk, "caption": "The card on every table."}]}


def consent_body(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"artifact": photo(w).pk, "given_by": "The students' parents or guardians",
            "given_on": "2026-11-02", "scope": "story_links", "note": "Forms in the office."}


def consent(w: Any) -> dict[str, Any]:
    from uptake.stories.actions import do_record_consent

    made = do_record_consent(photo(w), actor=w.people["teacher"],
                             given_by="The students' parents or guardians",
                             given_on=date(2026, 11, 2), scope="story_links")
    return {"consent_id": made.pk}


API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/stories": [
        {"label": "the inquiry pages' audience lists what she may read",
         "params": lambda w: {}, "allowed": READERS},
        {"label": "filtered to one inquiry's published story",
         "params": lambda w: {"inquiry": fixtures.story(w).inquiry_id, "published": True},
         "allowed": READERS},
    ],
    "GET /api/v1/stories/{story_id}": [
        {"label": "a draft of her own", "params": draft, "allowed": {"teacher"}},
        {"label": "published, shared with her coach", "params": shared_with_coach,
         "allowed": {"teacher", "coach"}},
        {"label": "told by her team", "params": told_by_team,
         "allowed": {"teacher", "colleague"}},
    ],
    "POST /api/v1/stories": [
        {"label": "from an inquiry she may edit", "params": lambda w: {},
         "body": new_inquiry, "allowed": {"teacher"}},
    ],
    "PATCH /api/v1/stories/{story_id}": [
        {"label": "her own", "params": draft,
         "body": lambda w, params: {"what_happened": "Most pairs explained their thinking.",
                                    "language": "es"},
         "allowed": {"teacher"}},
        {"label": "told by her team", "params": told_by_team,
         "body": lambda w, params: {"title": "Talk moves in room 12"},
         "allowed": {"teacher", "colleague"}},
        {"label": "shared with her coach (who reads, never edits)",
         "params": shared_with_coach,
         "body": lambda w, params: {"whats_next": "A written stem first."},
         "allowed": {"teacher"}},
    ],
    "PUT /api/v1/stories/{story_id}/charts": [
        {"label": "her own", "params": draft, "body": charts, "allowed": {"teacher"}},
    ],
    "PUT /api/v1/stories/{story_id}/artifacts": [
        {"label": "her own", "params": draft, "body": artifacts, "allowed": {"teacher"}},
    ],
    "POST /api/v1/stories/{story_id}/publish": [
        {"label": "a draft of her own", "params": draft, "allowed": {"teacher"}},
        {"label": "refresh, shared with her coach", "params": shared_with_coach,
         "allowed": {"teacher"}},
    ],
    "POST /api/v1/stories/{story_id}/unpublish": [
        {"label": "published", "params": published, "allowed": {"teacher"}},
    ],
    "DELETE /api/v1/stories/{story_id}": [
        {"label": "a draft of her own", "params": draft, "allowed": {"teacher"}},
        {"label": "told by her team", "params": told_by_team,
         "allowed": {"teacher", "colleague"}},
    ],
    "GET /api/v1/stories/consents": [
        {"label": "each teacher her own records", "params": lambda w: {},
         "allowed": TEACHERS},
        {"label": "one artifact's, in force", "params": lambda w: {
            "artifact": photo(w).pk, "in_force": True}, "allowed": TEACHERS},
    ],
    "POST /api/v1/stories/consents": [
        {"label": "for her own photo", "params": lambda w: {}, "body": consent_body,
         "allowed": {"teacher"}},
    ],
    "POST /api/v1/stories/consents/{consent_id}/withdraw": [
        {"label": "her own record", "params": consent, "allowed": {"teacher"}},
    ],
}
