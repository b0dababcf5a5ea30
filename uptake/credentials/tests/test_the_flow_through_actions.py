"""The micro-credential workflow end to end through the actions: a draft is refused until
its pre-check passes, an assessor is assigned and reads through a grant that lapses when
the round is decided, feedback comes back, the resubmission goes to the same reader, and
the award leaves a stipend and (after every tier) the earned credential."""

from __future__ import annotations

from typing import Any

import pytest

from uptake.credentials.tests import fixtures as f

pytestmark = pytest.mark.django_db


def test_a_draft_without_its_evidence_is_refused_with_what_is_missing(world: Any) -> None:
    from uptake.credentials.actions import do_submit
    from uptake.rules import Invalid

    draft = f.learning_draft(world, ready=False)
    with pytest.raises(Invalid) as refused:
        do_submit(draft, actor=world.people["teacher"])
    assert "0 selected; select 2 more learning sources" in refused.value.message
    assert "write your reflection" in refused.value.message.lower()
    draft.refresh_from_db()
    assert draft.state == "draft" and not draft.rounds.exists()


def test_submit_return_resubmit_award(world: Any, mailoutbox: Any) -> None:
    from uptake.credentials.access import submissions_to_review
    from uptake.credentials.actions import do_decide, do_submit
    from uptake.credentials.models import StipendEntry
    from uptake.notifications.models import Notice

    assessor, teacher = world.people["assessor"], world.people["teacher"]
    submission = f.submitted(world)
    assert submission.state == "in_review"
    assert list(submissions_to_review(assessor)) == [submission]
    assert Notice.objects.filter(recipient=assessor, kind="review_assigned").exists()

    submission = f.returned(world)
    assert submission.state == "returned"
    assert not submissions_to_review(assessor).exists()  # the grant lapsed with the round
    assert Notice.objects.filter(recipient=teacher, kind="submission_returned").exists()
    assert submission.rounds.get(number=1).feedback.startswith("Say how the talk moves")

    submission = do_submit(submission, actor=teacher)
    review = submission.rounds.get(number=2).reviews.get()
    assert review.assessor == assessor  # back to the same reader
    do_decide(review, actor=assessor, decision="award", scores=f.scores(submission, 1),
              comment="")
    submission.refresh_from_db()
    assert submission.state == "awarded"
    entry = StipendEntry.objects.get(submission=submission)
    assert entry.amount == 75 and entry.school == world.cedar
    assert [r.outcome for r in submission.rounds.all()] == ["returned", "awarded"]


def test_an_award_needs_every_criterion_on_track(world: Any) -> None:
    from uptake.credentials.actions import do_decide
    from uptake.rules import Invalid

    review = f.open_review(world)
    scores = f.scores(review.round.submission, 1)
    first = next(iter(scores))
    scores[first] = (0, "")
    with pytest.raises(Invalid, match="every criterion must be at least “On track”"):
        do_decide(review, actor=review.assessor, decision="award", scores=scores, comment="")
    review.refresh_from_db()
    assert review.decided_at is None and not review.scores.exists()


def test_two_readers_who_disagree_call_a_deciding_reader(world: Any) -> None:
    from uptake.credentials.actions import do_decide, do_request_second_reader
    from uptake.credentials.models import Review

    blair = f.second_assessor(world)
    first = f.open_review(world)
    second = do_request_second_reader(first, actor=first.assessor)
    assert second is not None and second.assessor == blair
    submission = first.round.submission
    do_decide(first, actor=first.assessor, decision="award", scores=f.scores(submission, 1),
              comment="")
    do_decide(second, actor=blair, decision="return", scores=f.scores(submission, 0),
              comment="The research source is not cited.")
    submission.refresh_from_db()
    assert submission.state == "in_review"  # nobody left to decide: coordinators are told
    assert not Review.objects.filter(reader="deciding").exists()
    from uptake.notifications.models import Notice
    assert Notice.objects.filter(recipient=world.people["coordinator"],
                                 kind="assessor_needed").exists()
