"""The study results through the API are the study page's: the same verdict, reason,
centre line and limits from the same code, per-student rows only where the page shows
them (and that read audited), and nothing once a share has ended."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from uptake.audit.models import AuditAction, AuditEvent
from uptake.inquiry.tests.conftest import fill, weekly

# uptake.analysis.verdict's own example: eight baseline points around 5, then ten above.
SERIES = [5, 6, 4, 5, 6, 5, 4, 6, 8, 9, 8, 9, 9, 8, 9, 8, 9, 8]
# Montgomery, Introduction to Statistical Quality Control (6th ed.), Example 7.1, pinned in
# uptake/analysis/tests/test_control_chart_published_examples.py: 30 samples of 50.
ORANGE_JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20,
                18, 24, 15, 9, 12, 7, 13, 9, 6]


@pytest.fixture
def series(world: Any, inquiry: Any) -> Any:
    from uptake.inquiry.actions import do_create_measure, do_share_inquiry

    measure = do_create_measure(world.people["teacher"], inquiry, sections=[world.section],
                                name="Exit ticket", kind="score", scale_min=0,
                                scale_max=20, change_date=weekly(9)[8])
    fill(world.people["teacher"], measure, world.section, SERIES, world.students,
         spread=0.1)
    do_share_inquiry(world.people["teacher"], inquiry, world.people["coach"], share=True)
    return measure


def test_the_verdict_is_the_study_pages(world: Any, api: Any, series: Any) -> None:
    from uptake.inquiry.study import study_class

    response = api(world.people["teacher"]).get(f"/measures/{series.pk}/results")
    assert response.status_code == 200, response.content
    body = response.json()
    [block] = body["classes"]
    assert body["together"] is None
    page = study_class(series, [world.section], title=f"{series.name}: {world.section.title}",
                       cycles=list(series.inquiry.cycles.all()), student_rows=True)
    got = block["series"]
    assert got["label"] == page.series.label == "sustained_improvement"
    assert got["reason"] == page.series.reason
    assert got["verdict"]["centre"] == pytest.approx(5.0)
    assert got["centre_line"] == pytest.approx(5.0)
    assert got["baseline_n"] == 8 and got["verdict"]["n_followup"] == 10
    assert got["verdict"]["runs"]["signal"] is True
    assert [p["value"] for p in got["points"]] == pytest.approx(SERIES)
    assert got["second_lens"] == page.series.second_lens
    assert got["ihi"]["shift"] is True
    # The paired change and each student's row, as on the page (pseudonyms, no names).
    assert page.paired is not None
    assert block["paired"]["mean_difference"] == pytest.approx(page.paired.mean_difference)
    assert block["paired"]["ci_low"] < block["paired"]["mean_difference"] < \
        block["paired"]["ci_high"]
    assert {r["student"] for r in block["students"]} == {s.pseudonym for s in world.students}
    assert "Kid" not in response.content.decode()
    # The read of student rows is audited, with the token that read them.
    read = AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ).get()
    assert set(read.subjects) == {s.pseudonym for s in world.students}
    assert "credential" in read.details


def test_a_p_chart_gives_montgomerys_published_limits(world: Any, api: Any,
                                                      inquiry: Any) -> None:
    from uptake.inquiry.actions import OccasionData, do_create_measure, do_save_occasion

    days = [date(2026, 1, 5) + timedelta(days=7 * i) for i in range(30)]
    measure = do_create_measure(world.people["teacher"], inquiry, sections=[world.section],
                                name="Explains thinking", kind="proportion",
                                change_date=days[-1] + timedelta(days=1))
    for day, k in zip(days, ORANGE_JUICE, strict=True):
        do_save_occasion(world.people["teacher"], measure, world.section,
                         OccasionData(when=day, total=(k, 50)))
    body = api(world.people["teacher"]).get(f"/measures/{measure.pk}/results").json()
    got = body["classes"][0]["series"]
    assert got["chart"] == "p"
    assert got["centre_line"] == pytest.approx(0.2313, abs=5e-5)
    assert got["points"][0]["ucl"] == pytest.approx(0.4102, abs=5e-5)
    assert got["points"][0]["lcl"] == pytest.approx(0.0524, abs=5e-5)
    assert body["classes"][0]["students"] is None


def test_classes_together_pool_as_the_page_does(world: Any, api: Any, series: Any) -> None:
    from uptake.inquiry.study import study_class
    from uptake.roster.models import Enrollment, Section, Student, TeacherAssignment

    second = Section.objects.create(district=world.district, school=world.cedar,
                                    sourced_id="cls-3b", title="Grade 3 ELA - Room 14")
    TeacherAssignment.objects.create(section=second, teacher=world.people["teacher"])
    kids = [Student.objects.create(district=world.district, school=world.cedar,
                                   sourced_id=f"stu-b{i}", given_name="K", family_name="B")
            for i in range(12)]
    for kid in kids:
        Enrollment.objects.create(section=second, student=kid)
    series.sections.add(second)
    fill(world.people["teacher"], series, second, [x + 1 for x in SERIES], kids, spread=0.1)
    body = api(world.people["teacher"]).get(f"/measures/{series.pk}/results").json()
    assert [b["classes"][0]["id"] for b in body["classes"]] == [world.section.pk, second.pk]
    assert body["together_heading"] == "All classes together"
    pooled = study_class(series, [world.section, second], title="x", together=True)
    assert body["together"]["series"]["label"] == pooled.series.label
    assert body["together"]["series"]["reason"] == pooled.series.reason
    assert {c["id"] for c in body["together"]["classes"]} == {world.section.pk, second.pk}


def test_student_rows_only_for_readers_the_page_shows_them_to(world: Any, api: Any,
                                                               series: Any) -> None:
    from uptake.inquiry.actions import do_add_team_member, do_create_team, do_update_inquiry

    teacher = world.people["teacher"]
    team = do_create_team(teacher, name="PLC", kind="plc", school=world.cedar, members=[])
    do_add_team_member(teacher, team, world.people["outsider"])
    do_update_inquiry(teacher, series.inquiry, team=team)
    response = api(world.people["outsider"]).get(f"/measures/{series.pk}/results")
    block = response.json()["classes"][0]
    assert block["rows_withheld"] is True
    assert block["students"] is None and block["groups"] is None
    assert block["series"]["label"] == "sustained_improvement"
    assert block["paired"] is not None  # the class-level change stays, as on the page
    assert not AuditEvent.objects.filter(action=AuditAction.STUDENT_DATA_READ).exists()
    coach = api(world.people["coach"]).get(f"/measures/{series.pk}/results").json()
    assert coach["classes"][0]["students"] is not None


def test_a_coach_whose_share_ended_gets_404(world: Any, api: Any, series: Any) -> None:
    from uptake.inquiry.actions import do_share_inquiry

    coach = api(world.people["coach"])
    assert coach.get(f"/measures/{series.pk}/results").status_code == 200
    do_share_inquiry(world.people["teacher"], series.inquiry, world.people["coach"],
                     share=False)
    for path in (f"/measures/{series.pk}/results", f"/measures/{series.pk}",
                 f"/inquiries/{series.inquiry_id}", f"/measures/{series.pk}/occasions"):
        response = coach.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"


def test_results_answer_304_when_nothing_changed(world: Any, api: Any, series: Any) -> None:
    teacher = api(world.people["teacher"])
    first = teacher.get(f"/measures/{series.pk}/results")
    again = teacher.get(f"/measures/{series.pk}/results", If_None_Match=first["ETag"])
    assert again.status_code == 304
