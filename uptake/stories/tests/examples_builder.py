"""The builder's pages for the access matrices (tests/test_access_matrix.py and
tests/test_access_lapses.py): Jamie's published story, a share link to it, her photo that
identifies students, and a consent she recorded for it. The story's inquiry is shared with
Cedar's coach, who reads the story page."""

from __future__ import annotations

from datetime import date
from typing import Any

from uptake.stories.tests import fixtures

READERS = {"teacher", "coach"}  # the inquiry's owner, and the coach she shared it with
EDITORS = {"teacher"}


def shared_story(w: Any) -> Any:
    """Jamie's published story; its inquiry is shared with Cedar's coach (the matrix's
    "Math talk" inquiry is, and ``fixtures`` reuses it when it exists: say so either way)."""
    from uptake.inquiry.access import inquiries_visible_to
    from uptake.inquiry.actions import do_share_inquiry

    made = fixtures.story(w)
    teacher, coach = w.people["teacher"], w.people["coach"]
    if not inquiries_visible_to(coach).filter(pk=made.inquiry_id).exists():
        do_share_inquiry(teacher, made.inquiry, coach, share=True)
    return made


def story_id(w: Any) -> dict[str, Any]:
    return {"story_id": shared_story(w).pk}


def link_ids(w: Any) -> dict[str, Any]:
    link, _secret = fixtures.share_link(w)
    return {"story_id": link.story_id, "link_id": link.pk}


def inquiry_id(w: Any) -> dict[str, Any]:
    return {"inquiry_id": fixtures.inquiry_with_data(w).pk}


def photo(w: Any) -> Any:
    """Jamie's photo of her class at the board: it identifies students."""
    from uptake.evidence.actions import do_add_artifact
    from uptake.evidence.models import Artifact

    inquiry = fixtures.inquiry_with_data(w)
    found = Artifact.objects.filter(inquiry=inquiry, title="Class at the board").first()
    return found or do_add_artifact(w.people["teacher"], kind="text",
                                    title="Class at the board", guskey_level=4,
                                    identifies_students=True, inquiry=inquiry,
                                    body="Pairs explain their number lines.")


def consent(w: Any, artifact: Any = None) -> Any:
    from uptake.stories.actions import do_record_consent

    return do_record_consent(artifact or photo(w), actor=w.people["teacher"],
                             given_by="Parent or guardian", given_on=date(2026, 9, 1),
                             scope="story_links")


URL_EXAMPLES = {
    "stories:start": (inquiry_id, EDITORS),
    "stories:detail": (story_id, READERS),
    "stories:edit": (story_id, EDITORS),
    "stories:charts": (story_id, EDITORS),
    "stories:artifacts": (story_id, EDITORS),
    "stories:preview": (story_id, EDITORS),
    "stories:publish": (story_id, EDITORS),
    "stories:unpublish": (story_id, EDITORS),
    "stories:delete": (story_id, EDITORS),
    "stories:link_new": (story_id, EDITORS),
    "stories:link_made": (link_ids, EDITORS),
    "stories:link_revoke": (link_ids, EDITORS),
    # Consent is recorded and withdrawn by the teacher whose evidence it is, only.
    "stories:consent_new": (lambda w: {"artifact_id": photo(w).pk}, EDITORS),
    "stories:consent_withdraw": (lambda w: {"consent_id": consent(w).pk}, EDITORS),
}


# ------------------------------------------------------------------------ lapses

STORY = "story"
CONSENT = "consent record"


def lapse_ids(w: Any, ids: dict[Any, Any]) -> dict[Any, Any]:
    """The lapse scene's team inquiry tells a published story (read by the coach and the
    principal it is shared with, edited by Jamie and her team), with a share link; Jamie
    recorded consent for her photo shared with the coach."""
    from uptake.evidence.models import Artifact
    from uptake.inquiry.models import Inquiry
    from uptake.stories.actions import (
        do_create_share_link,
        do_publish,
        do_start_story,
        do_update_story,
    )

    jamie = w.people["teacher"]
    inquiry = Inquiry.objects.get(pk=ids["inquiry_id"])
    made = do_start_story(inquiry, actor=jamie)
    do_update_story(made, actor=jamie, title="Lapsing story",
                    what_happened="More students explained their thinking.")
    do_publish(made, actor=jamie)
    link = do_create_share_link(made, actor=jamie, label="Families", days=30).link
    named = Artifact.objects.get(pk=ids[("evidence shared with a named coach", "artifact_id")])
    return {"story_id": made.pk, "link_id": link.pk, "consent_id": consent(w, named).pk}


_SHARED_READER = {lapse: frozenset({STORY}) for lapse in (
    "role revoked", "moved to another school", "account deactivated", "grant withdrawn",
    "grant expired")}

LAPSE_EXAMPLES = {
    "types": {
        frozenset({"story_id"}): (STORY,),
        frozenset({"story_id", "link_id"}): (STORY,),
        frozenset({"consent_id"}): (CONSENT,),
    },
    "ids": lapse_ids,
    "titles": {STORY: "Lapsing story"},
    "holders": {
        "teacher": {"role revoked": frozenset({STORY, CONSENT}),
                    "account deactivated": frozenset({STORY, CONSENT})},
        "colleague": {"removed from team": frozenset({STORY}),
                      "role revoked": frozenset({STORY}),
                      "account deactivated": frozenset({STORY})},
        "coach": _SHARED_READER,
        "leader": _SHARED_READER,
    },
}
