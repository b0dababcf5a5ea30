"""The story PDFs in the access matrices: the teacher's PDF of Jamie's published story
(her inquiry is shared with nobody, so only she reads it) and the family's PDF by a live
share link (anyone who holds it, signed in or not)."""

from __future__ import annotations

from typing import Any

from uptake.stories.tests import fixtures

EVERYONE = {"anonymous", "teacher", "colleague", "outsider", "coach", "assessor", "leader",
            "coordinator", "researcher", "other_coordinator"}

URL_EXAMPLES: dict[str, Any] = {
    # The story page's readers (its inquiry is shared with the coach: examples_builder.py).
    "stories:pdf": (lambda w: {"story_id": fixtures.story(w).pk}, {"teacher", "coach"}),
    "share:pdf": (lambda w: {"secret": fixtures.share_link(w)[1]}, EVERYONE),
}

# A share link's secret names no object a person holds: the link lapses by expiry and
# revocation (tests/test_pdf_views.py), not by a person's access.
LAPSE_EXAMPLES: dict[str, Any] = {"not_objects": {frozenset({"secret"})}}
