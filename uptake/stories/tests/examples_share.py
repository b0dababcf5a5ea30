"""The share view's examples for the access matrices: anyone holding a live link reads the
family page and the files of the artifacts in the story, signed in or not."""

from __future__ import annotations

from typing import Any

from uptake.stories.tests import fixtures

EVERYONE = {"anonymous", "teacher", "colleague", "outsider", "coach", "assessor", "leader",
            "coordinator", "researcher", "other_coordinator"}

# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2e3d3c70000000049454e44ae426082")


def photo(w: Any, *, identifies: bool = False, title: str = "Our number talk") -> Any:
    """A photo of the story's inquiry (an image file), chosen for the published story and
    the story refreshed; with ``identifies``, consent is recorded first."""
    from django.core.files.base import ContentFile

    from uptake.evidence.models import Artifact
    from uptake.stories.actions import (
        ArtifactChoice,
        do_choose_artifacts,
        do_publish,
        do_record_consent,
    )

    teacher = w.people["teacher"]
    story = fixtures.story(w)
    made = Artifact.objects.create(
        district=w.district, owner=teacher, kind="photo", title=title,
        description="Chart paper with the class's strategies", guskey_level=4,
        identifies_students=identifies, inquiry=story.inquiry, content_type="image/png",
        original_name="talk.png", size=len(PNG), file=ContentFile(PNG, name="talk.png"))
    if identifies:
        do_record_consent(made, actor=teacher, given_by="The student's parent or guardian",
                          given_on=fixtures.START, scope="story_links")
    chosen = [ArtifactChoice(p.artifact, p.caption) for p in story.pieces.all()]
    do_choose_artifacts(story, [*chosen, ArtifactChoice(made, "Strategies we shared")],
                        actor=teacher)
    do_publish(story, actor=teacher)
    return made


def _artifact_kwargs(w: Any) -> dict[str, Any]:
    made = photo(w)
    return {"secret": fixtures.share_link(w)[1], "artifact_id": made.pk}


URL_EXAMPLES = {
    "share:story": (lambda w: {"secret": fixtures.share_link(w)[1]}, EVERYONE),
    "share:artifact": (_artifact_kwargs, EVERYONE),
}

LAPSE_EXAMPLES = {
    # A share link names a story by its secret, not by an id: it lapses by expiry and
    # revocation (tested in test_share_view.py), not by the walk's lapses.
    "not_objects": {frozenset({"secret"}), frozenset({"secret", "artifact_id"})},
}
