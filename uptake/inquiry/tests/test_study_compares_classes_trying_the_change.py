"""The comparison design on a team inquiry: a colleague marks her class as a comparison
class, and the study sets the classes trying the change against it, with the WWC's
rules for baseline equivalence, the improvement index, the interval and the correction
for classes (issue 10, seen 3)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from uptake.inquiry.models import Measure
from uptake.inquiry.tests.conftest import fill


@pytest.fixture
def team_measure(world: Any, inquiry: Any, measure: Any) -> Any:
    """Jamie's class tries the change; her colleague's class of six collects the measure
    too, and the colleague marks it a comparison class through the measure form."""
    from uptake.inquiry.actions import do_create_team, do_update_inquiry
    from uptake.roster.models import Enrollment, Section, Student, TeacherAssignment

    colleague = world.people["colleague"]
    team = do_create_team(world.people["teacher"], name="Grade 3 PLC", kind="plc",
                          school=world.cedar, members=[colleague])
    do_update_inquiry(world.people["teacher"], inquiry, team=team)
    hers = Section.objects.create(district=world.district, school=world.cedar,
                                  sourced_id="cls-3c", title="Grade 3 ELA - Room 16")
    TeacherAssignment.objects.create(section=hers, teacher=colleague)
    kids = []
    for i in range(6):
        kid = Student.objects.create(district=world.district, sourced_id=f"c-{i}",
                                     given_name=f"C{i}", family_name="Room16")
        Enrollment.objects.create(section=hers, student=kid)
        kids.append(kid)
    return measure, team, hers, kids


def _mark_comparison(client: Any, measure: Any, section: Any) -> Any:
    return client.post(reverse("inquiry:measure_edit", args=[measure.pk]), {
        "name": measure.name, "kind": "score", "scale_min": "0", "scale_max": "100",
        "direction": "up", "change_date": measure.change_date.isoformat(), "chart": "run",
        "sections": [section.pk], "comparison": [section.pk]})


def _study(client: Any, measure: Any) -> str:
    html = client.get(reverse("inquiry:study", args=[measure.pk])).content.decode()
    return re.sub(r"\s+", " ", html)


def test_it_sets_the_classes_trying_the_change_against_the_comparison_class(
        world: Any, login: Any, team_measure: Any, settings: Any) -> None:
    settings.MIN_GROUP_SIZE = 5
    measure, _, hers, kids = team_measure
    colleague = login(world.people["colleague"])
    assert _mark_comparison(colleague, measure, hers).status_code == 302
    assert list(Measure.objects.get(pk=measure.pk).comparison_sections.all()) == [hers]
    fill(world.people["teacher"], measure, world.section, [50] * 8 + [56] * 8,
         world.students, spread=2)
    fill(world.people["colleague"], measure, hers, [50] * 8 + [51] * 8, kids, spread=2)
    page = _study(colleague, measure)
    block = page.split("Classes trying the change against comparison classes", 1)[1]
    assert ('<th scope="row">Trying the change</th><td>Grade 3 ELA - Room 12</td>'
            '<td class="num">12</td><td class="num">50.00</td><td class="num">56.00</td>'
            ) in block.replace("> <", "><")
    assert ('<th scope="row">Comparison classes</th><td>Grade 3 ELA - Room 16</td>'
            '<td class="num">6</td>') in block.replace("> <", "><")
    # Both groups start at a mean of 50: g = 0 before the change.
    assert "Hedges' g = 0.00: The groups started within 0.00 standard deviations" in block
    assert "baseline equivalence is satisfied" in block
    assert "(corrected for classes)" in block and "improvement index" in block
    assert "95 % interval" in block and "1 class trying the change and 1 comparison class" \
        in block
    assert "does not show that the change caused it" in block


def test_it_hides_the_comparison_when_a_group_is_small(
        world: Any, login: Any, team_measure: Any, settings: Any) -> None:
    settings.MIN_GROUP_SIZE = 10
    measure, _, hers, kids = team_measure
    colleague = login(world.people["colleague"])
    _mark_comparison(colleague, measure, hers)
    fill(world.people["teacher"], measure, world.section, [50] * 8 + [56] * 8,
         world.students, spread=2)
    fill(world.people["colleague"], measure, hers, [50] * 8 + [51] * 8, kids, spread=2)
    block = _study(colleague, measure).split(
        "Classes trying the change against comparison classes", 1)[1].split("</section>")[0]
    assert "hidden to protect small groups" in block
    assert "Hedges' g =" not in block and '<td class="num">12</td>' not in block


def test_it_refuses_a_comparison_class_that_does_not_collect_the_measure(
        world: Any, login: Any, team_measure: Any) -> None:
    measure, _, hers, _ = team_measure
    r = login(world.people["colleague"]).post(
        reverse("inquiry:measure_edit", args=[measure.pk]), {
            "name": measure.name, "kind": "score", "scale_min": "0", "scale_max": "100",
            "direction": "up", "change_date": measure.change_date.isoformat(),
            "chart": "run", "sections": [], "comparison": [hers.pk]})
    assert r.status_code == 200 and "must be one of the classes" in r.content.decode()
    assert not Measure.objects.get(pk=measure.pk).comparison_sections.exists()


def test_it_refuses_the_comparison_to_a_colleague_whose_team_access_lapsed(
        world: Any, login: Any, team_measure: Any, settings: Any) -> None:
    from uptake.inquiry.actions import do_remove_team_member

    settings.MIN_GROUP_SIZE = 5
    measure, team, hers, _ = team_measure
    _mark_comparison(login(world.people["colleague"]), measure, hers)
    do_remove_team_member(world.people["teacher"], team, world.people["colleague"])
    for who in ("colleague", "outsider"):
        r = login(world.people[who]).get(reverse("inquiry:study", args=[measure.pk]))
        assert r.status_code == 404, who


def test_the_pooled_chart_leaves_the_comparison_class_out(
        world: Any, login: Any, team_measure: Any, settings: Any) -> None:
    """Pooling a class that does not try the change would dilute the pooled verdict: with a
    comparison class, the pooled block is the classes trying the change, named so."""
    settings.MIN_GROUP_SIZE = 5
    measure, _, hers, kids = team_measure
    colleague = login(world.people["colleague"])
    _mark_comparison(colleague, measure, hers)
    fill(world.people["teacher"], measure, world.section, [50] * 8 + [56] * 8,
         world.students, spread=2)
    fill(world.people["colleague"], measure, hers, [50] * 8 + [51] * 8, kids, spread=2)
    page = _study(colleague, measure)
    assert "All classes together" not in page
    pooled = page.split("Classes trying the change, together", 1)[1]
    # The trying class alone: its class means, 50 then 56, not pooled with Room 16's 51.
    assert "Values range from 50 to 56." in pooled
    assert "Exit ticket: classes trying the change" in pooled
    assert "Classes trying the change against comparison classes" in pooled


def test_without_a_comparison_class_all_classes_are_pooled(
        world: Any, login: Any, team_measure: Any) -> None:
    measure, _, hers, kids = team_measure
    measure.sections.add(hers)
    fill(world.people["colleague"], measure, hers, [50] * 8 + [51] * 8, kids, spread=2)
    page = _study(login(world.people["colleague"]), measure)
    assert "All classes together" in page and "Classes trying the change, together" not in page
