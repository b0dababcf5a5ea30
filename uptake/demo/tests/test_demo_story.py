"""The demo teacher's first inquiry tells the whole loop: cycles planned, logged, studied and
acted on, student voice beside her scores, a peer-observation share, the learning that
informed it, evidence, and a team inquiry with a common assessment in two classes."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from uptake.demo.inquiries import SERIES
from uptake.demo.story import OBSERVED, STORY_INQUIRY, SURVEY_ITEM, TEAM_INQUIRY
from uptake.inquiry.models import Inquiry
from uptake.inquiry.study import study_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def story() -> Inquiry:
    call_command("demo", stdout=StringIO())
    return Inquiry.objects.get(title=STORY_INQUIRY)


def _verdict(measure: Any) -> str | None:
    return study_series(measure, list(measure.sections.all()), title=measure.name,
                        together=True, render=False).label


def test_the_first_cycle_was_planned_logged_studied_and_adapted(story: Inquiry) -> None:
    first, second = story.cycles.order_by("number")
    assert first.decision == "adapt" and "written stem" in first.decision_reason
    assert first.log_entries.count() == 3 and first.study_notes
    assert first.start_date is not None and first.end_date is not None
    assert second.start_date is not None and second.start_date > first.end_date
    assert second.plan.startswith("Carried forward from cycle 1 (adapt)")


def test_student_voice_and_peer_observation_sit_beside_the_exit_ticket(
        story: Inquiry) -> None:
    survey = story.measures.get(name=SURVEY_ITEM)
    assert survey.kind == "likert" and survey.likert_labels.splitlines()[0] == "Not yet"
    observed = story.measures.get(name=OBSERVED)
    assert observed.kind == "proportion"
    assert _verdict(story.measures.get(name=SERIES[0].measure)) == "sustained_improvement"
    assert _verdict(survey) == "sustained_improvement"
    assert _verdict(observed) == "sustained_improvement"


def test_the_learning_and_evidence_behind_the_inquiry_are_linked(story: Inquiry) -> None:
    assert story.learning_sources.count() >= 3
    assert story.artifacts.filter(kind="text").exists()
    assert story.artifacts.filter(kind="link").exists()


def test_a_team_shares_a_common_assessment_across_two_teachers_classes() -> None:
    call_command("demo", stdout=StringIO())
    team_inquiry = Inquiry.objects.get(title=TEAM_INQUIRY)
    assert team_inquiry.team is not None and team_inquiry.team.members.count() == 2
    measure = team_inquiry.measures.get()
    sections = list(measure.sections.all())
    assert len(sections) == 2
    entered_by = set(measure.occasions.values_list("entered_by", flat=True))
    assert entered_by == set(team_inquiry.team.members.values_list("pk", flat=True))
    for section in sections:
        assert measure.occasions.filter(section=section).count() == 17
    assert _verdict(measure) == "sustained_improvement"


def test_a_colleague_observed_once_and_can_observe_again_now(story: Inquiry) -> None:
    from uptake.observation.models import ObservationRequest

    observed = story.measures.get(name=OBSERVED)
    team = Inquiry.objects.get(title=TEAM_INQUIRY).team
    assert team is not None
    colleague = team.members.exclude(pk=story.owner_id).get()
    done = ObservationRequest.objects.get(inquiry=story, status="submitted")
    assert done.observer == colleague and done.measure == observed
    assert done.prompt.text == "A student explains their thinking"
    assert done.occasion is not None and done.occasion.total.numerator == 15
    assert done.occasion.total.denominator == done.students_present
    assert done.tally_events.count() >= 15  # the phone's taps, kept
    waiting = ObservationRequest.objects.get(inquiry=story, status="open", observer=colleague)
    assert waiting.window_state() == "open"


def test_loading_the_demo_sends_no_email(django_capture_on_commit_callbacks: Any,
                                         mailoutbox: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=StringIO())
    assert [m.subject for m in mailoutbox] == []


def test_student_work_was_scored_grouped_and_followed_up(story: Inquiry) -> None:
    from uptake.demo.practice import NEEDS_FRAME, READY, WORK_SET
    from uptake.studentwork.models import GroupMember, Intervention

    work = story.work_sets.get()
    assert work.title == WORK_SET and work.levels.count() == 4
    scored = work.scores.exclude(level=None).count()
    assert scored >= 15 and work.scores.filter(level=None).count() == 1
    assert sorted(work.groups.values_list("name", flat=True)) == sorted([NEEDS_FRAME, READY])
    assert GroupMember.objects.filter(sample_set=work).count() == scored
    helped = Intervention.objects.get(group__sample_set=work, group__name=NEEDS_FRAME)
    assert helped.outcome and helped.outcome_date is not None
    assert helped.outcome_date >= helped.when
    first = dict(work.scores.values_list("student_id", "level__position"))
    moved_up = [m for m in helped.group.members.select_related("rescore")
                if m.rescore is not None and m.rescore.position > first[m.student_id]]
    assert moved_up  # the tracking table has something to show
    pending = Intervention.objects.get(group__sample_set=work, group__name=READY)
    assert pending.outcome == "" and pending.outcome_date is None


def test_loading_the_demo_again_adds_no_second_observation_or_work_set(
        story: Inquiry) -> None:
    from uptake.observation.models import ObservationRequest
    from uptake.studentwork.models import WorkSampleSet

    call_command("demo", stdout=StringIO())
    assert ObservationRequest.objects.filter(inquiry=story).count() == 3  # peer observer
    assert WorkSampleSet.objects.filter(inquiry=story).count() == 1
