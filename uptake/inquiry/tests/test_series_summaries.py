"""Per-series summaries say what the study page says, and follow the data as it changes."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from uptake.analysis.pooling import standardized_mean_change
from uptake.inquiry.actions import (
    OccasionData,
    do_create_inquiry,
    do_create_measure,
    do_delete_occasion,
    do_save_occasion,
    do_set_inquiry_status,
    do_update_measure,
)
from uptake.inquiry.demo import SERIES, load_demo_inquiries
from uptake.inquiry.models import Inquiry, Occasion, SeriesSummary
from uptake.inquiry.queries import series_summaries, together_summaries
from uptake.inquiry.study import study_measure
from uptake.inquiry.summaries import refresh_measure


@pytest.fixture
def demo(world: Any) -> list[Any]:
    return load_demo_inquiries(world.people["teacher"], world.section)


def _row(measure: Any, section: Any = None) -> SeriesSummary:
    return SeriesSummary.objects.get(measure=measure, section=section)


def test_each_summary_says_what_the_study_page_says(world: Any, demo: list[Any]) -> None:
    rows = {r.measure_id: r for r in series_summaries(world.district.pk)}
    assert len(rows) == len(SERIES)
    for inquiry, series in zip(demo, SERIES, strict=True):
        measure = inquiry.measures.get()
        page = study_measure(world.people["teacher"], measure, names=False, render=False)
        (_, block), = page.blocks
        row = rows[measure.pk]
        assert block.paired is not None
        assert row.verdict == block.series.label == series.verdict
        assert row.reason == block.series.reason
        assert row.n_points == len(block.series.points)
        assert row.n_students == len(world.students)
        assert (row.school_id, row.grade, row.kind) == (world.cedar.pk, "03", "score")
        if block.held_back:  # "not enough data": counts, never a change
            assert row.paired_n == block.paired.n and row.mean_change is None
            continue
        assert row.paired_n == block.paired.n == len(world.students)
        assert row.mean_change == pytest.approx(block.paired.mean_difference)
        assert (row.ci_low, row.ci_high) == pytest.approx((block.paired.ci_low,
                                                           block.paired.ci_high))
        assert row.d_av == pytest.approx(block.paired.d_av)
        # The standardized mean change for pooling, from the same phase means.
        assert block.growth is not None
        kept = [g for g in block.growth.students if g.change is not None]
        effect = standardized_mean_change([g.first_score for g in kept],
                                          [g.last_score for g in kept])
        assert effect.yi is not None
        assert (row.smc, row.smc_variance) == pytest.approx((effect.yi, effect.vi))


def test_the_together_row_of_one_class_repeats_the_class(world: Any, demo: list[Any]) -> None:
    measure = demo[0].measures.get()
    series_summaries(world.district.pk)
    one, together = _row(measure, world.section), _row(measure)
    for field in ("verdict", "reason", "n_students", "paired_n", "mean_change", "groups"):
        assert getattr(one, field) == getattr(together, field)
    assert together_summaries(world.district.pk).filter(measure=measure).get() == together


def test_groups_hold_each_groups_count_and_mean_change_unsuppressed(
        world: Any, demo: list[Any]) -> None:
    measure = demo[0].measures.get()
    row = series_summaries(world.district.pk).get(measure=measure)
    learners = row.groups["english_learner"]
    assert learners["Yes"]["n"] == 4 and learners["No"]["n"] == 8  # every third student
    assert set(row.groups) == {"english_learner", "special_education",
                               "economically_disadvantaged", "race_ethnicity", "sex"}
    page = study_measure(world.people["teacher"], measure, names=False, render=False)
    (_, block), = page.blocks
    changes = block.group_changes["English learners"]["Yes"]
    assert learners["Yes"]["mean_change"] == pytest.approx(sum(changes) / len(changes))


def test_entering_data_marks_the_measure_stale_and_queues_its_refresh(
        world: Any, demo: list[Any], django_capture_on_commit_callbacks: Any) -> None:
    from uptake.operations.testing import task_results

    measure = demo[3].measures.get()  # no signal yet
    series_summaries(world.district.pk)
    assert not _row(measure).stale
    last = measure.occasions.order_by("-date").first()
    teacher = world.people["teacher"]
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(1, 4):
            do_save_occasion(teacher, measure, world.section, OccasionData(
                when=last.date + timedelta(days=i),
                values={s.pk: 70.0 + (j % 3) for j, s in enumerate(world.students)}))
    assert _row(measure).stale and _row(measure, world.section).stale
    task = [r for r in task_results() if r.task.name == "refresh_summaries"][-1]
    assert measure.pk in task.args[0]
    row = series_summaries(world.district.pk).get(measure=measure)
    (_, block), = study_measure(teacher, measure, names=False, render=False).blocks
    assert block.paired is not None
    assert not row.stale and row.n_points == len(SERIES[3].means) + 3
    assert row.verdict == block.series.label and row.reason == block.series.reason
    assert row.mean_change == pytest.approx(block.paired.mean_difference)


def test_the_queued_task_refreshes_what_was_marked(world: Any, demo: list[Any]) -> None:
    from uptake.inquiry.tasks import refresh_summaries

    measure = demo[0].measures.get()
    series_summaries(world.district.pk)
    do_update_measure(world.people["teacher"], measure, direction="down")
    assert _row(measure).stale
    assert refresh_summaries.call([measure.pk]) == 1
    row = _row(measure, world.section)
    assert not row.stale and row.verdict == "got_worse" and row.direction == "down"
    # The same rise is a change for the worse: the standardized change turns negative.
    assert row.smc is not None and row.smc < 0 and row.mean_change is not None
    assert row.mean_change > 0


def test_deleting_an_occasion_or_moving_the_change_date_updates_the_summary(
        world: Any, demo: list[Any]) -> None:
    measure = demo[1].measures.get()  # change, not sustained: the last three fall back
    teacher = world.people["teacher"]
    assert series_summaries(world.district.pk).get(measure=measure).verdict == \
        "change_not_sustained"
    for occasion in measure.occasions.order_by("-date")[:3]:
        do_delete_occasion(teacher, occasion)
    row = series_summaries(world.district.pk).get(measure=measure)
    assert row.verdict == "sustained_improvement"
    assert row.n_points == len(SERIES[1].means) - 3
    do_update_measure(teacher, measure, change_date=None)
    row = series_summaries(world.district.pk).get(measure=measure)
    assert row.verdict == "" and row.mean_change is None and row.paired_n is None
    assert "Set the date the change started" in row.reason


def test_a_draft_inquirys_measures_are_left_out(world: Any, demo: list[Any]) -> None:
    teacher = world.people["teacher"]
    do_set_inquiry_status(teacher, demo[0], status=Inquiry.Status.DRAFT)
    measures = {r.measure_id for r in series_summaries(world.district.pk)}
    assert demo[0].measures.get().pk not in measures and len(measures) == len(SERIES) - 1
    do_set_inquiry_status(teacher, demo[0], status=Inquiry.Status.ACTIVE)
    assert len(series_summaries(world.district.pk)) == len(SERIES)


def test_a_school_sees_its_classes_only(world: Any, demo: list[Any]) -> None:
    assert len(series_summaries(world.district.pk, school_id=world.cedar.pk)) == len(SERIES)
    assert not series_summaries(world.district.pk, school_id=world.birch.pk).exists()
    assert not series_summaries(world.other_district.pk).exists()


def test_a_class_total_measure_counts_the_classs_current_students(world: Any) -> None:
    teacher = world.people["teacher"]
    inquiry = do_create_inquiry(teacher, title="Homework returned")
    measure = do_create_measure(teacher, inquiry, sections=[world.section], name="Returned",
                                kind="proportion", direction="up")
    do_save_occasion(teacher, measure, world.section,
                     OccasionData(when=demo_day(), total=(6, 12)))
    row = series_summaries(world.district.pk).get(measure=measure)
    assert row.kind == "proportion" and row.n_students == 12 and row.n_points == 1
    assert row.mean_change is None and row.groups == {}


def demo_day() -> Any:
    from uptake.inquiry.tests.conftest import START

    return START


def test_comparison_classes_are_marked_and_left_out_of_the_together_row(world: Any) -> None:
    from uptake.inquiry.tests.conftest import fill
    from uptake.roster.models import Enrollment, Section, Student, TeacherAssignment

    teacher = world.people["teacher"]
    other = Section.objects.create(district=world.district, school=world.cedar,
                                   sourced_id="cls-3b", title="Grade 3 ELA - Room 14",
                                   grades="03")
    TeacherAssignment.objects.create(section=other, teacher=teacher)
    kids = []
    for i in range(6):
        kid = Student.objects.create(district=world.district, school=world.cedar,
                                     sourced_id=f"stu-b{i}", given_name=f"B{i}",
                                     family_name="Cedar", grade="03")
        Enrollment.objects.create(section=other, student=kid)
        kids.append(kid)
    inquiry = do_create_inquiry(teacher, title="Talk moves, with a comparison class")
    from uptake.inquiry.tests.conftest import weekly

    measure = do_create_measure(teacher, inquiry, sections=[world.section, other],
                                comparison=[other], name="Exit ticket", kind="score",
                                direction="up", change_date=weekly(9)[8])
    fill(teacher, measure, world.section, [50, 52, 49, 51, 50, 48, 52, 50, 60, 62, 61, 63,
                                           60, 62, 61, 64, 63], world.students)
    fill(teacher, measure, other, [50, 52, 49, 51, 50, 48, 52, 50, 51, 49, 52, 48, 51, 49,
                                   52, 48, 51], kids)
    rows = series_summaries(world.district.pk)
    assert [r.section_id for r in rows.filter(measure=measure)] == [world.section.pk]
    marked = series_summaries(world.district.pk, include_comparison=True).get(section=other)
    assert marked.comparison and marked.verdict == "no_signal"
    together = _row(measure)
    page = study_measure(teacher, measure, names=False, render=False)
    assert page.together is not None and page.together.paired is not None
    assert together.verdict == page.together.series.label == "sustained_improvement"
    assert together.n_students == len(world.students)  # the comparison class left out
    assert together.mean_change == pytest.approx(page.together.paired.mean_difference)


def test_refresh_replaces_the_rows_and_the_command_rebuilds_all(
        world: Any, demo: list[Any]) -> None:
    measure = demo[0].measures.get()
    refresh_measure(measure)
    refresh_measure(measure)
    assert SeriesSummary.objects.filter(measure=measure).count() == 2  # class + together
    SeriesSummary.objects.all().delete()
    out = StringIO()
    call_command("refresh_summaries", "--district", str(world.district.pk), stdout=out)
    assert "5 measures" in out.getvalue()
    assert SeriesSummary.objects.filter(section=None).count() == len(SERIES)
    assert not Occasion.objects.filter(measure__summaries__stale=True).exists()
