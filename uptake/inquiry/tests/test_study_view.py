"""The study view: chart, verdict with its reason, data table, paired change, growth,
results by student group (suppressed), classes side by side and together, audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.inquiry.demo import SERIES, load_demo_inquiries
from uptake.inquiry.tests.conftest import fill

LABEL_WORDS = {"sustained_improvement": "Sustained improvement",
               "change_not_sustained": "Change, not (yet) sustained",
               "got_worse": "Got worse", "no_signal": "No signal",
               "not_enough_data": "Not enough data"}


@pytest.fixture
def demo(world: Any) -> list[Any]:
    return load_demo_inquiries(world.people["teacher"], world.section,
                               coach=world.people["coach"])


def test_it_generates_demo_data_that_shows_each_verdict(world: Any, login: Any,
                                                        demo: list[Any]) -> None:
    client = login(world.people["teacher"])
    assert len(demo) == len(SERIES) == 5
    for inquiry, series in zip(demo, SERIES, strict=True):
        measure = inquiry.measures.get()
        page = client.get(reverse("inquiry:study", args=[measure.pk])).content.decode()
        verdict = page.split("Verdict: ", 1)[1][:200]
        assert LABEL_WORDS[series.verdict] in verdict, (series.verdict, verdict)


def test_it_loads_the_demo_inquiries_only_once(world: Any, demo: list[Any]) -> None:
    assert load_demo_inquiries(world.people["teacher"], world.section) == []


def test_it_draws_an_accessible_chart_with_a_text_alternative_and_data_table(
        world: Any, login: Any, demo: list[Any]) -> None:
    measure = demo[0].measures.get()
    page = login(world.people["teacher"]).get(
        reverse("inquiry:study", args=[measure.pk])).content.decode()
    assert '<svg' in page and 'role="img"' in page and "<desc>" in page
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "is above the baseline median" in page or "are all above the baseline median" in page
    assert "Data table for" in page and "<td>baseline</td>" in page
    assert "change starts" in page  # the change date marked in the table
    assert "Exit ticket: Grade 3 ELA - Room 12" in page


def test_it_reports_the_paired_change_with_its_interval_and_caveat(
        world: Any, login: Any, demo: list[Any]) -> None:
    measure = demo[0].measures.get()
    page = login(world.people["teacher"]).get(
        reverse("inquiry:study", args=[measure.pk])).content.decode()
    assert "mean change <strong>" in page and "95 % interval" in page
    assert "not an effect size comparable with a Hedges" in page and "caused it" in page


def test_it_audits_the_per_student_growth_it_shows(world: Any, login: Any,
                                                  demo: list[Any]) -> None:
    measure = demo[0].measures.get()
    coach = world.people["coach"]  # the first demo inquiry is shared with the coach
    page = login(coach).get(reverse("inquiry:study", args=[measure.pk])).content.decode()
    event = AuditEvent.objects.filter(action="student_data_read", actor=coach).get()
    assert set(event.subjects) == {s.pseudonym for s in world.students}
    assert world.students[0].pseudonym in page
    # The coach does not teach the class: pseudonyms only, never names.
    assert world.students[0].display_name not in page


def test_it_shows_names_beside_pseudonyms_to_the_classs_teacher(
        world: Any, login: Any, demo: list[Any]) -> None:
    page = login(world.people["teacher"]).get(
        reverse("inquiry:study", args=[demo[0].measures.get().pk])).content.decode()
    s = world.students[0]
    assert f"{s.pseudonym} ({s.display_name})" in page


def test_it_hides_student_groups_smaller_than_the_minimum(world: Any, login: Any,
                                                          demo: list[Any]) -> None:
    # 12 students: 4 English learners, 8 not: both below 10, so both are hidden.
    page = login(world.people["teacher"]).get(
        reverse("inquiry:study", args=[demo[0].measures.get().pk])).content.decode()
    groups = page.split("Growth by student group", 1)[1]
    hidden = '<td colspan="2">hidden to protect small groups</td>'
    assert f"English learners</th><td>Yes</td>{hidden}" in groups
    assert f"English learners</th><td>No</td>{hidden}" in groups
    assert "fewer than 10 students is never shown" in groups


def test_it_shows_groups_that_are_large_enough(world: Any, login: Any, inquiry: Any,
                                               measure: Any, settings: Any) -> None:
    settings.MIN_GROUP_SIZE = 5
    for s in world.students[1:3]:  # EL: 4 yes, 6 no, 2 not reported
        s.english_learner = None
        s.save()
    # Eight baseline weeks and eight after the change, so that the verdict has enough data.
    fill(world.people["teacher"], measure, world.section, [40] * 8 + [85] * 8, world.students)
    page = login(world.people["teacher"]).get(
        reverse("inquiry:study", args=[measure.pk])).content.decode()
    groups = page.split("Growth by student group", 1)[1]
    # 6 non-EL students, each grew by 45 (mean 40 + offset before, 85 + offset after); the
    # two small groups are both hidden, so neither can be worked out from the total.
    assert 'English learners</th><td>No</td><td class="num">6</td><td class="num">45</td>' \
        in groups
    hidden = '<td colspan="2">hidden to protect small groups</td>'
    assert f"English learners</th><td>Yes</td>{hidden}" in groups
    assert f"English learners</th><td>Not reported</td>{hidden}" in groups


def test_it_says_what_is_missing_without_a_change_date(world: Any, login: Any, inquiry: Any,
                                                       measure: Any) -> None:
    measure.change_date = None
    measure.save()
    fill(world.people["teacher"], measure, world.section, [50, 51, 52], world.students)
    page = login(world.people["teacher"]).get(
        reverse("inquiry:study", args=[measure.pk])).content.decode()
    assert "No verdict yet" in page and "Set the date the change started" in page


def test_it_shows_team_classes_side_by_side_and_together(world: Any, login: Any,
                                                          inquiry: Any, measure: Any) -> None:
    from uptake.inquiry.actions import do_create_team, do_update_inquiry, do_update_measure
    from uptake.roster.models import Enrollment, Section, Student, TeacherAssignment

    colleague = world.people["colleague"]
    team = do_create_team(world.people["teacher"], name="PLC", kind="plc", school=world.cedar,
                          members=[colleague])
    do_update_inquiry(world.people["teacher"], inquiry, team=team)
    hers = Section.objects.create(district=world.district, school=world.cedar,
                                  sourced_id="cls-3b", title="Grade 3 ELA - Room 14")
    TeacherAssignment.objects.create(section=hers, teacher=colleague)
    kids = []
    for i in range(4):
        kid = Student.objects.create(district=world.district, sourced_id=f"b-{i}",
                                     given_name=f"B{i}", family_name="Room14")
        Enrollment.objects.create(section=hers, student=kid)
        kids.append(kid)
    do_update_measure(colleague, measure, add_sections=[hers])
    fill(world.people["teacher"], measure, world.section, [50, 52], world.students)
    fill(colleague, measure, hers, [60, 62], kids)
    page = re.sub(r">\s+<", "><", login(colleague).get(
        reverse("inquiry:study", args=[measure.pk])).content.decode())
    assert 'id="study-together-h">All classes together' in page
    assert "Grade 3 ELA - Room 12</h2>" in page and "Grade 3 ELA - Room 14</h2>" in page
    # Together: (12 x 50 + 4 x 60) / 16 = 52.5 on the first date.
    assert '<td class="num">52.50</td><td class="num">16</td>' in page
    # The colleague sees names in her own class only.
    assert kids[0].display_name in page and world.students[0].display_name not in page


@pytest.mark.parametrize(("kind", "chart_name"), [("proportion", "p chart"),
                                                  ("count", "u chart")])
def test_it_draws_class_totals_on_an_attribute_chart_with_a_verdict(
        world: Any, login: Any, inquiry: Any, kind: str, chart_name: str) -> None:
    from uptake.inquiry.actions import do_create_measure
    from uptake.inquiry.tests.conftest import weekly

    measure = do_create_measure(world.people["teacher"], inquiry, sections=[world.section],
                                name="Explained", kind=kind, direction="up",
                                change_date=weekly(9)[8])
    # 3 of 12 students each baseline week, then 10 of 12: far above the p chart's limits.
    fill(world.people["teacher"], measure, world.section, [3] * 8 + [10] * 9, world.students)
    page = login(world.people["teacher"]).get(
        reverse("inquiry:study", args=[measure.pk])).content.decode()
    assert chart_name in page and "Sustained improvement" in page.split("Verdict: ", 1)[1][:300]
    assert "10 of 12" in page
    assert "Before and after" not in page  # class totals have no per-student analyses
