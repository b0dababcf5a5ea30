"""No illegal transition is possible: every write that can move a submission, in any
order, either makes a move the workflow's table holds or is refused and changes nothing.

The pages and the API call these same actions (their own tests show they add nothing of
their own), so what holds here holds through every interface. Hypothesis drives random
sequences of every write: selecting and removing records, writing the reflection,
submitting, withdrawing, deciding (award and return, right and wrong), asking for a
second reader, a coordinator assigning; after each, the invariants below are checked.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uptake.credentials import workflow
from uptake.credentials.tests import fixtures as f
from uptake.rules import RuleError

pytestmark = pytest.mark.django_db

OPERATIONS = ("select", "unselect", "write", "submit", "withdraw", "award", "award_low",
              "return", "return_silent", "second_reader", "assign", "edit_after")
# Sequences that get somewhere: getting the work ready, sending it and deciding come up
# more often than the rest, so most examples reach review, feedback and awards.
WEIGHTED = ("prepare",) * 3 + ("submit",) * 3 + ("award", "return") * 2 + OPERATIONS


class Rollback(Exception):
    pass


def _apply(op: str, w: Any, submission: Any) -> str:
    """Run one write; return the event it stands for."""
    from uptake.credentials.actions import (
        do_add_item,
        do_assign,
        do_decide,
        do_remove_item,
        do_request_second_reader,
        do_submit,
        do_update_submission,
        do_withdraw,
    )

    teacher = w.people["teacher"]
    open_review = (submission.rounds.filter(outcome="").first().reviews.filter(
        decided_at__isnull=True, released_at__isnull=True).first()
        if submission.rounds.filter(outcome="").exists() else None)
    if op == "prepare":
        _apply("select", w, submission)
        return _apply("write", w, submission)
    if op == "select":
        for source in f.sources(w):
            do_add_item(submission, actor=teacher, kind="source", record_id=source.pk)
        return "edit"
    if op == "unselect":
        item = submission.items.first()
        if item is not None:
            do_remove_item(item, actor=teacher)
        else:
            do_update_submission(submission, actor=teacher, reflection=submission.reflection)
        return "edit"
    if op in ("write", "edit_after"):
        do_update_submission(submission, actor=teacher, reflection=f.REFLECTION)
        return "edit"
    if op == "submit":
        do_submit(submission, actor=teacher)
        return "submit"
    if op == "withdraw":
        do_withdraw(submission, actor=teacher)
        return "withdraw"
    if op in ("award", "award_low", "return", "return_silent"):
        if open_review is None:
            # Nobody is reading it: an assessor who tries anyway is refused.
            from uptake.credentials.models import Review
            review = Review.objects.filter(round__submission=submission).last()
            if review is None:
                raise RuleError("No review to decide.")
            open_review = review
        level = 0 if op in ("award_low", "return", "return_silent") else 1
        do_decide(open_review, actor=open_review.assessor,
                  decision="award" if op.startswith("award") else "return",
                  scores=f.scores(submission, level),
                  comment="" if op == "return_silent" else "Cite the research source.")
        return "decide"
    if op == "second_reader":
        if open_review is None:
            raise RuleError("No review to extend.")
        do_request_second_reader(open_review, actor=open_review.assessor)
        return "assign"
    if op == "assign":
        do_assign(submission, f.second_assessor(w), actor=w.people["coordinator"],
                  replace=open_review)
        return "assign"
    raise AssertionError(op)


def _snapshot(submission: Any) -> tuple[Any, ...]:
    from uptake.credentials.models import Review, StipendEntry

    return (submission.state, submission.rounds.count(),
            tuple(submission.rounds.values_list("outcome", flat=True)),
            Review.objects.filter(round__submission=submission).count(),
            tuple(Review.objects.filter(round__submission=submission)
                  .values_list("decision", "released_at")),
            StipendEntry.objects.filter(submission=submission).count())


def _check_invariants(submission: Any) -> None:
    from uptake.accounts.models import Grant
    from uptake.credentials.models import Review, StipendEntry

    state = submission.state
    assert state in {workflow.DRAFT, workflow.SUBMITTED, workflow.IN_REVIEW,
                     workflow.RETURNED, workflow.AWARDED, workflow.WITHDRAWN}
    open_rounds = submission.rounds.filter(outcome="").count()
    assert open_rounds == (1 if state in workflow.OPEN_FOR_REVIEW else 0), state
    readers = set(Review.objects.filter(round__submission=submission, round__outcome="",
                                        decided_at__isnull=True, released_at__isnull=True)
                  .values_list("assessor_id", flat=True))
    granted = set(Grant.objects.filter(object_id=submission.pk, withdrawn_at__isnull=True,
                                       content_type__model="submission")
                  .values_list("grantee_id", flat=True))
    # Readers still to decide hold a grant; nobody holds one once the round is over.
    assert readers <= granted
    if state not in workflow.OPEN_FOR_REVIEW:
        assert not granted
    if state == workflow.SUBMITTED:
        assert not readers
    assert StipendEntry.objects.filter(submission=submission).count() == (
        1 if state == workflow.AWARDED else 0)
    assert submission.educator_id not in granted


def _legal(before: str, after: str, event: str) -> bool:
    if before == after:
        return event in ("edit", "decide", "assign")
    if event == "submit":
        # submit, then assign at once when an assessor is free
        return before in workflow.MOVES["submit"] and after in (workflow.SUBMITTED,
                                                                 workflow.IN_REVIEW)
    if event == "decide":
        return (before, after) in {(workflow.IN_REVIEW, workflow.AWARDED),
                                   (workflow.IN_REVIEW, workflow.RETURNED)}
    return workflow.MOVES.get(event, {}).get(before) == after


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(ops=st.lists(st.sampled_from(WEIGHTED), min_size=1, max_size=12))
def test_any_sequence_of_writes_moves_only_along_the_workflow(world: Any,
                                                              ops: list[str]) -> None:
    try:
        with transaction.atomic():
            f.second_assessor(world)
            submission = f.learning_draft(world, ready=False)
            for op in ops:
                submission.refresh_from_db()
                before = _snapshot(submission)
                try:
                    with transaction.atomic():
                        event = _apply(op, world, submission)
                except RuleError:
                    submission.refresh_from_db()
                    assert _snapshot(submission) == before, f"{op} was refused but changed"
                    continue
                submission.refresh_from_db()
                assert _legal(before[0], submission.state, event), (
                    f"{op}: {before[0]} -> {submission.state}")
                _check_invariants(submission)
            raise Rollback
    except Rollback:
        pass


@pytest.mark.parametrize("state", ["draft", "in_review", "returned", "awarded",
                                   "withdrawn"])
def test_each_state_refuses_exactly_what_the_table_refuses(world: Any, state: str) -> None:
    """From each state, each event either moves as the table says or is refused with the
    table's own words, and the submission is as it was."""
    from uptake.credentials.actions import do_withdraw

    build = {"draft": f.learning_draft, "in_review": f.submitted, "returned": f.returned,
             "awarded": f.awarded, "withdrawn": f.learning_draft}[state]
    submission = build(world)
    if state == "withdrawn":
        submission = do_withdraw(submission, actor=world.people["teacher"])
    assert submission.state == state
    for op, event in (("write", "edit"), ("submit", "submit"), ("withdraw", "withdraw")):
        before = _snapshot(submission)
        try:
            with transaction.atomic():
                _apply(op, world, submission)
                raise Rollback
        except Rollback:
            assert workflow.allowed(event, state), f"{event} from {state} went through"
        except RuleError as refused:
            assert not workflow.allowed(event, state) or op == "submit", (
                f"{event} from {state} refused: {refused}")
            if not workflow.allowed(event, state):
                assert refused.message == workflow.why_not(event, state)
        submission.refresh_from_db()
        assert _snapshot(submission) == before
