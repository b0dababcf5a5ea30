"""The review side's pages for the access matrices (tests/test_access_matrix.py and
tests/test_access_lapses.py): Jamie's implementation tier, sent with two artifacts (one a
file), is read by the world's assessor (Alex) through an assessment grant; the district's
coordinator oversees it. Nobody else reaches any of it."""

from __future__ import annotations

from typing import Any

from uptake.credentials.tests import fixtures

ASSESSOR = {"assessor"}
COORDINATOR = {"coordinator"}
CREDENTIAL_REVIEW = "micro-credential review"
IMPLEMENTATION_REFLECTION = " ".join(
    ["The card of sentence starters moved pairs from turn-taking to building on ideas."] * 22)


def file_artifact(w: Any) -> Any:
    """Jamie's lesson plan, an uploaded file."""
    from django.core.files.base import ContentFile

    from uptake.evidence.models import Artifact

    found = Artifact.objects.filter(owner=w.people["teacher"], title="Talk-moves lesson plan"
                                    ).first()
    return found or Artifact.objects.create(
        district=w.district, owner=w.people["teacher"], kind="lesson_plan",
        title="Talk-moves lesson plan", guskey_level=3, identifies_students=False,
        content_type="text/plain", original_name="plan.txt",
        file=ContentFile(b"Warm-up, model, pairs, share.", name="plan.txt"))


def text_artifact(w: Any) -> Any:
    from uptake.evidence.actions import do_add_artifact
    from uptake.evidence.models import Artifact

    found = Artifact.objects.filter(owner=w.people["teacher"], title="Sentence starters"
                                    ).first()
    return found or do_add_artifact(w.people["teacher"], kind="text",
                                    title="Sentence starters", guskey_level=3,
                                    identifies_students=False, body="I agree with … because …")


def implementation_sent(w: Any) -> Any:
    """Jamie's implementation tier, sent with her two artifacts: being read by Alex."""
    from uptake.credentials.actions import (
        do_add_item,
        do_start_submission,
        do_submit,
        do_update_submission,
    )

    teacher = w.people["teacher"]
    submission = do_start_submission(fixtures.tier(w, "implementation"), actor=teacher)
    if submission.state == "draft":
        for artifact in (file_artifact(w), text_artifact(w)):
            do_add_item(submission, actor=teacher, kind="artifact", record_id=artifact.pk,
                        note="What the pairs used.")
        do_update_submission(submission, actor=teacher, reflection=IMPLEMENTATION_REFLECTION)
        submission = do_submit(submission, actor=teacher)
    submission.refresh_from_db()
    return submission


def open_review(w: Any) -> Any:
    return implementation_sent(w).rounds.get(outcome="").reviews.get(
        released_at__isnull=True, decided_at__isnull=True)


def review_id(w: Any) -> dict[str, Any]:
    return {"review_id": open_review(w).pk}


def review_file(w: Any) -> dict[str, Any]:
    return {"review_id": open_review(w).pk, "artifact_id": file_artifact(w).pk}


def submission_id(w: Any) -> dict[str, Any]:
    return {"submission_id": implementation_sent(w).pk}


def submission_reader(w: Any) -> dict[str, Any]:
    return {"submission_id": implementation_sent(w).pk, "review_id": open_review(w).pk}


URL_EXAMPLES = {
    "credentials:review": (review_id, ASSESSOR),
    "credentials:second_reader": (review_id, ASSESSOR),
    "credentials:review_artifact": (review_file, ASSESSOR),
    "credentials:assign": (submission_id, COORDINATOR),
    "credentials:unassign": (submission_reader, COORDINATOR),
}


# ------------------------------------------------------------------------ lapses

def lapse_ids(w: Any, ids: dict[Any, Any]) -> dict[Any, Any]:
    return {(CREDENTIAL_REVIEW, "review_id"): open_review(w).pk,
            (CREDENTIAL_REVIEW, "artifact_id"): file_artifact(w).pk,
            (CREDENTIAL_REVIEW, "submission_id"): implementation_sent(w).pk}


_READER = frozenset({CREDENTIAL_REVIEW})

LAPSE_EXAMPLES = {
    # A learning plan's review and a credential review share the name of their id.
    "types": {frozenset({"review_id"}): ("plan review", CREDENTIAL_REVIEW),
              frozenset({"review_id", "artifact_id"}): (CREDENTIAL_REVIEW,),
              frozenset({"submission_id", "review_id"}): (CREDENTIAL_REVIEW,)},
    "ids": lapse_ids,
    # The assessor reads only while she holds the role and a live grant; withdrawing a
    # grant is the actions' business (a decision, a withdrawal, a reassignment: tested in
    # test_review_access.py), not the owner's.
    "holders": {"assessor": {"role revoked": _READER, "account deactivated": _READER,
                             "grant expired": _READER}},
}
