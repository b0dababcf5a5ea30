"""The assessor's queue and review page, and the coordinators' oversight, through HTTP:
what each shows, and that a decision goes through the form whole or not at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from uptake.credentials.tests import examples_review as ex
from uptake.credentials.tests import fixtures as f

pytestmark = pytest.mark.django_db


def _form(submission: Any, level: int, **more: str) -> dict[str, Any]:
    data: dict[str, Any] = {f"level_{c.pk}": str(level) for c in submission.tier.criteria.all()}
    data.update(more)
    return data


def test_the_assessor_s_home_opens_on_her_queue(world: Any, login: Any) -> None:
    review = f.open_review(world)
    page = login(world.people["assessor"]).get(reverse("home")).content.decode()
    main = page[page.index("<main"):]
    first_heading = main[main.index("<h2"):].split(">", 1)[1]
    assert first_heading.startswith("Your review queue")
    assert reverse("credentials:review", args=[review.pk]) in main


def test_the_queue_lists_open_work_oldest_first_and_her_past_decisions(
        world: Any, login: Any) -> None:
    older = f.open_review(world)
    newer = ex.open_review(world)
    client = login(world.people["assessor"])
    rows = client.get(reverse("credentials:queue")).context["rows"]
    assert [r["review"] for r in rows] == [older, newer]
    assert rows[0]["round"] == 1 and rows[0]["age"] == 0
    f.awarded(world)
    page = client.get(reverse("credentials:queue"))
    assert [r["review"] for r in page.context["rows"]] == [newer]
    assert [r.pk for r in page.context["past"]] == [older.pk]
    assert "Award" in page.content.decode()


def test_the_review_page_shows_what_was_sent_and_records_the_read(
        world: Any, login: Any) -> None:
    from uptake.audit.models import AuditEvent

    review = f.open_review(world)
    page = login(world.people["assessor"]).get(
        reverse("credentials:review", args=[review.pk])).content.decode()
    assert "The Teacher&#x27;s Guide to Academic Conversations" in page
    assert "Research-based" in page and "Zwiers" in page
    assert "550 words (the tier asks for 500 to 600)" in page
    assert "The pre-check, as sent" in page and "At least 2 learning sources" in page
    for c in review.round.submission.tier.criteria.all():
        assert escape(c.text) in page and escape(c.descriptors[0]) in page
    assert "Ask for a second reader" in page
    assert AuditEvent.objects.filter(action="submission_read").count() == 1


def test_the_review_page_shows_artifacts_inline_and_files_through_the_review(
        world: Any, login: Any) -> None:
    review = ex.open_review(world)
    page = login(world.people["assessor"]).get(
        reverse("credentials:review", args=[review.pk])).content.decode()
    assert "I agree with … because …" in page  # the text artifact, inline
    assert reverse("credentials:review_artifact",
                   args=[review.pk, ex.file_artifact(world).pk]) in page


def test_returning_without_feedback_is_refused_and_nothing_is_saved(
        world: Any, login: Any) -> None:
    review = f.open_review(world)
    submission = review.round.submission
    response = login(world.people["assessor"]).post(
        reverse("credentials:review", args=[review.pk]),
        _form(submission, 0, decision="return", comment=""))
    assert response.status_code == 400
    assert "Write the feedback she needs to resubmit." in response.content.decode()
    review.refresh_from_db()
    assert review.decided_at is None and not review.scores.exists()


def test_an_award_below_on_track_is_refused_on_the_form(world: Any, login: Any) -> None:
    review = f.open_review(world)
    data = _form(review.round.submission, 1, decision="award")
    first = review.round.submission.tier.criteria.first()
    data[f"level_{first.pk}"] = "0"
    response = login(world.people["assessor"]).post(
        reverse("credentials:review", args=[review.pk]), data)
    assert response.status_code == 400
    assert "every criterion must be at least “On track”" in response.content.decode()
    review.refresh_from_db()
    assert review.decided_at is None


def test_a_criterion_left_unscored_is_named(world: Any, login: Any) -> None:
    review = f.open_review(world)
    response = login(world.people["assessor"]).post(
        reverse("credentials:review", args=[review.pk]),
        {"decision": "award", "comment": "Fine."})
    first = review.round.submission.tier.criteria.first()
    assert f"Choose a level for “{first.text}”" in response.content.decode()


def test_returning_with_feedback_tells_her_and_is_audited(world: Any, login: Any) -> None:
    from uptake.audit.models import AuditEvent
    from uptake.notifications.models import Notice

    review = f.open_review(world)
    submission = review.round.submission
    response = login(world.people["assessor"]).post(
        reverse("credentials:review", args=[review.pk]),
        _form(submission, 0, decision="return", comment="Cite the research source."))
    assert response.status_code == 302 and response["Location"] == reverse("credentials:queue")
    submission.refresh_from_db()
    assert submission.state == "returned"
    assert submission.rounds.get().feedback == "Cite the research source."
    assert AuditEvent.objects.filter(action="review_decided").count() == 1
    assert Notice.objects.filter(recipient=world.people["teacher"],
                                 kind="submission_returned").exists()


def test_a_resubmission_shows_the_earlier_round_s_feedback(world: Any, login: Any) -> None:
    from uptake.credentials.actions import do_submit

    submission = do_submit(f.returned(world), actor=world.people["teacher"])
    review = submission.rounds.get(number=2).reviews.get()
    page = login(world.people["assessor"]).get(
        reverse("credentials:review", args=[review.pk])).content.decode()
    assert "Earlier rounds" in page and "Say how the talk moves fit" in page
    assert "Not yet on track" in page


def test_asking_for_a_second_reader_adds_one(world: Any, login: Any) -> None:
    blair = f.second_assessor(world)
    review = f.open_review(world)
    client = login(world.people["assessor"])
    client.post(reverse("credentials:second_reader", args=[review.pk]))
    assert review.round.reviews.filter(assessor=blair, reader="second").exists()
    page = client.get(reverse("credentials:review", args=[review.pk])).content.decode()
    assert "Ask for a second reader" not in page and "Blair Reader" in page


def test_oversight_puts_waiting_work_first_and_assigns_it(world: Any, login: Any) -> None:
    from uptake.accounts.models import RoleAssignment
    from uptake.credentials.models import Submission

    RoleAssignment.objects.filter(user=world.people["assessor"]).delete()
    submission = f.submitted(world)  # nobody may read it: it waits
    assert submission.state == "submitted"
    blair = f.second_assessor(world)
    client = login(world.people["coordinator"])
    page = client.get(reverse("credentials:oversight"))
    groups = page.context["groups"]
    assert groups[0]["state"] == "submitted"
    assert [r["submission"] for r in groups[0]["rows"]] == [submission]
    assert groups[0]["rows"][0]["assessors"] == [blair]
    assert "1 submission waiting for an assessor" in page.content.decode()
    assert f.REFLECTION[:40] not in page.content.decode()  # never her records
    client.post(reverse("credentials:assign", args=[submission.pk]), {"assessor": blair.pk})
    assert Submission.objects.get(pk=submission.pk).state == "in_review"
    assert submission.rounds.get().reviews.get().assessor == blair


def test_oversight_warns_of_a_reader_who_can_no_longer_read_and_reassigns(
        world: Any, login: Any) -> None:
    from uptake.accounts.models import Role, RoleAssignment

    review = f.open_review(world)
    blair = f.second_assessor(world)
    alex = world.people["assessor"]
    RoleAssignment.objects.create(user=alex, school=world.cedar, district=world.district,
                                  role=Role.COACH)  # now Jamie's coach
    client = login(world.people["coordinator"])
    page = client.get(reverse("credentials:oversight")).content.decode()
    assert "Can no longer read it: She coaches at a school where the educator works" in page
    client.post(reverse("credentials:assign", args=[review.round.submission_id]),
                {"assessor": blair.pk, "replace": review.pk})
    review.refresh_from_db()
    assert review.released_at is not None
    assert review.round.reviews.get(released_at__isnull=True).assessor == blair


def test_assigning_someone_ineligible_says_why(world: Any, login: Any) -> None:
    review = f.open_review(world)
    client = login(world.people["coordinator"])
    response = client.post(reverse("credentials:assign", args=[review.round.submission_id]),
                           {"assessor": world.people["teacher"].pk, "replace": review.pk},
                           follow=True)
    assert "Choose one of the eligible assessors listed." in response.content.decode()
    review.refresh_from_db()
    assert review.open


def test_coordinators_see_waiting_work_on_their_home(world: Any, login: Any) -> None:
    from uptake.accounts.models import RoleAssignment

    RoleAssignment.objects.filter(user=world.people["assessor"]).delete()
    f.submitted(world)
    page = login(world.people["coordinator"]).get(reverse("home")).content.decode()
    assert "1 submission waiting for an assessor." in page
    assert reverse("credentials:oversight") in page


def test_the_impact_evidence_is_class_level_charts_and_verdicts_without_names(
        world: Any, login: Any) -> None:
    from uptake.credentials.actions import (
        do_add_item,
        do_start_submission,
        do_submit,
        do_update_submission,
    )
    from uptake.stories.tests.fixtures import inquiry_with_data

    jamie = world.people["teacher"]
    inquiry = inquiry_with_data(world)
    submission = do_start_submission(f.tier(world, "impact"), actor=jamie)
    do_add_item(submission, actor=jamie, kind="measure", record_id=inquiry.measures.get().pk)
    do_add_item(submission, actor=jamie, kind="inquiry", record_id=inquiry.pk,
                note="Where the data comes from.")
    do_update_submission(submission, actor=jamie,
                         reflection=ex.IMPLEMENTATION_REFLECTION)
    do_submit(submission, actor=jamie)
    review = submission.rounds.get().reviews.get()
    page = login(world.people["assessor"]).get(
        reverse("credentials:review", args=[review.pk])).content.decode()
    assert "The verdict for each class" in page and "Sustained improvement" in page
    assert "Mean change" in page and "<svg" in page
    assert "Will talk moves help?" in page and "Four talk moves every lesson" in page
    assert "Where the data comes from." in page
    assert "Kid0" not in page and "Cedar, Kid" not in page  # no student names


def test_a_coordinator_takes_a_reader_off_and_the_work_waits_again(
        world: Any, login: Any) -> None:
    """An assessor away: the coordinator takes her off; her access ends at once, she is
    told, and the work is back among those waiting for an assessor."""
    from django.urls import reverse

    from uptake.credentials.access import submissions_to_review
    from uptake.credentials.tests import fixtures as fx
    from uptake.notifications.models import Notice

    review = fx.open_review(world)
    submission = review.round.submission
    page = login(world.people["coordinator"]).post(
        reverse("credentials:unassign", args=[submission.pk, review.pk]),
        {"reason": "Away until next month"}, follow=True)
    assert "no longer reads" in page.content.decode()
    submission.refresh_from_db()
    assert submission.state == "submitted"
    assert not submissions_to_review(world.people["assessor"]).exists()
    notice = Notice.objects.get(recipient=world.people["assessor"], kind="review_released")
    assert "Away until next month" in notice.body
    assert "Take off, back to waiting" not in page.content.decode()
