"""Starting and editing an inquiry, and walking a PDSA cycle through plan, do, study, act."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from uptake.inquiry.actions import do_share_inquiry
from uptake.inquiry.models import Cycle, Inquiry, Team


def test_it_starts_an_inquiry_with_its_first_cycle(world: Any, login: Any) -> None:
    client = login(world.people["teacher"])
    r = client.post(reverse("inquiry:create"), {
        "title": "Fractions", "problem_of_practice": "Students guess.", "question": "Q?",
        "change_idea": "Number lines", "prediction": "Scores rise", "status": "active",
        "team": ""})
    inquiry = Inquiry.objects.get(title="Fractions")
    assert r.status_code == 302 and r["Location"].endswith(f"/inquiries/{inquiry.pk}/")
    cycle = inquiry.cycles.get()
    assert (cycle.number, cycle.plan, cycle.prediction) == (1, "Number lines", "Scores rise")
    assert inquiry.owner == world.people["teacher"]


def test_it_explains_a_missing_title(world: Any, login: Any) -> None:
    r = login(world.people["teacher"]).post(reverse("inquiry:create"), {"status": "active"})
    assert r.status_code == 200 and b"This field is required" in r.content
    assert not Inquiry.objects.exists()


def test_it_refuses_a_team_the_teacher_is_not_on(world: Any, login: Any) -> None:
    other = Team.objects.create(district=world.district, name="Not mine")
    r = login(world.people["teacher"]).post(reverse("inquiry:create"), {
        "title": "X", "status": "active", "team": other.pk})
    assert r.status_code == 200 and b"Select a valid choice" in r.content


def test_it_creates_a_team_and_shares_an_inquiry_with_it(world: Any, login: Any,
                                                         inquiry: Any) -> None:
    client = login(world.people["teacher"])
    r = client.post(reverse("inquiry:teams"), {"name": "Grade 3", "kind": "grade_level",
                                               "members": [world.people["colleague"].pk]})
    assert r.status_code == 302
    team = Team.objects.get(name="Grade 3")
    assert set(team.members.all()) == {world.people["teacher"], world.people["colleague"]}
    r = client.post(reverse("inquiry:edit", args=[inquiry.pk]), {
        "title": inquiry.title, "status": "active", "team": team.pk})
    assert r.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.team == team


def test_it_offers_only_same_school_teachers_as_team_members(world: Any, login: Any) -> None:
    page = login(world.people["teacher"]).get(reverse("inquiry:teams")).content.decode()
    assert "Asha Patel" in page and "Miguel Garcia" not in page


def test_it_walks_a_cycle_from_plan_to_the_next_cycle(world: Any, login: Any,
                                                      inquiry: Any) -> None:
    client = login(world.people["teacher"])
    cycle = inquiry.cycles.get()
    r = client.post(reverse("inquiry:cycle_plan", args=[cycle.pk]), {
        "plan": "Talk moves daily", "prediction": "Half explain", "data_collection": "Tickets",
        "start_date": "2026-09-01", "end_date": "2026-10-30"})
    assert r.status_code == 302
    r = client.post(reverse("inquiry:cycle_log", args=[cycle.pk]),
                    {"when": "2026-09-03", "text": "Introduced stems"})
    assert r.status_code == 302
    r = client.post(reverse("inquiry:cycle_study", args=[cycle.pk]),
                    {"notes": "More than predicted explained."})
    assert r.status_code == 302
    # The next cycle needs a decision first.
    r = client.post(reverse("inquiry:cycle_next", args=[cycle.pk]), follow=True)
    assert b"Decide first" in r.content
    r = client.post(reverse("inquiry:cycle_act", args=[cycle.pk]),
                    {"decision": "adapt", "reason": "Works; add written stems"})
    assert r.status_code == 302
    r = client.post(reverse("inquiry:cycle_next", args=[cycle.pk]))
    nxt = Cycle.objects.get(inquiry=inquiry, number=2)
    assert r.status_code == 302 and r["Location"].endswith(f"/cycles/{nxt.pk}/")
    assert "Carried forward from cycle 1 (adapt): Works; add written stems" in nxt.plan
    assert nxt.prediction == "Half explain"
    page = client.get(reverse("inquiry:cycle", args=[cycle.pk])).content.decode()
    assert "Introduced stems" in page and "More than predicted explained." in page
    # Only the latest cycle may be followed.
    r = client.post(reverse("inquiry:cycle_next", args=[cycle.pk]), follow=True)
    assert b"Only the latest cycle" in r.content


def test_it_shows_form_errors_on_the_cycle_page(world: Any, login: Any, inquiry: Any) -> None:
    client = login(world.people["teacher"])
    cycle = inquiry.cycles.get()
    r = client.post(reverse("inquiry:cycle_plan", args=[cycle.pk]), {
        "start_date": "2026-10-01", "end_date": "2026-09-01"})
    assert r.status_code == 400 and b"cannot end before it starts" in r.content
    r = client.post(reverse("inquiry:cycle_act", args=[cycle.pk]), {"decision": "maybe"})
    assert r.status_code == 400
    cycle.refresh_from_db()
    assert cycle.decision == ""


def test_it_shows_a_shared_coach_the_cycle_without_forms(world: Any, login: Any,
                                                        inquiry: Any) -> None:
    do_share_inquiry(world.people["teacher"], inquiry, world.people["coach"], share=True)
    page = login(world.people["coach"]).get(
        reverse("inquiry:cycle", args=[inquiry.cycles.get().pk])).content.decode()
    assert "Save plan" not in page and "Half the class" in page


def test_it_adds_a_measure_on_the_teachers_own_classes_only(world: Any, login: Any,
                                                           inquiry: Any) -> None:
    client = login(world.people["teacher"])
    r = client.post(reverse("inquiry:measure_create", args=[inquiry.pk]), {
        "name": "Exit ticket", "kind": "score", "scale_min": "0", "scale_max": "4",
        "direction": "up", "change_date": "2026-10-01",
        "sections": [world.section.pk, world.other_section.pk]})
    assert r.status_code == 200 and b"Select a valid choice" in r.content
    r = client.post(reverse("inquiry:measure_create", args=[inquiry.pk]), {
        "name": "Exit ticket", "kind": "score", "scale_min": "4", "scale_max": "0",
        "direction": "up", "sections": [world.section.pk]})
    assert b"lowest value must be below" in r.content
    r = client.post(reverse("inquiry:measure_create", args=[inquiry.pk]), {
        "name": "Exit ticket", "kind": "score", "scale_min": "0", "scale_max": "4",
        "direction": "up", "change_date": "2026-10-01", "sections": [world.section.pk]})
    measure = inquiry.measures.get()
    assert r.status_code == 302 and list(measure.sections.all()) == [world.section]


def test_it_keeps_a_colleagues_class_when_a_team_member_edits_the_measure(
        world: Any, login: Any, inquiry: Any, measure: Any) -> None:
    from uptake.inquiry.actions import do_create_team, do_update_inquiry
    from uptake.roster.models import Section, TeacherAssignment

    team = do_create_team(world.people["teacher"], name="PLC", kind="plc", school=world.cedar,
                          members=[world.people["colleague"]])
    do_update_inquiry(world.people["teacher"], inquiry, team=team)
    hers = Section.objects.create(district=world.district, school=world.cedar,
                                  sourced_id="cls-3b", title="Grade 3 ELA - Room 14")
    TeacherAssignment.objects.create(section=hers, teacher=world.people["colleague"])
    r = login(world.people["colleague"]).post(
        reverse("inquiry:measure_edit", args=[measure.pk]), {
            "name": measure.name, "kind": "score", "scale_min": "0", "scale_max": "100",
            "direction": "up", "sections": [hers.pk]})
    assert r.status_code == 302
    assert set(measure.sections.all()) == {world.section, hers}


def test_it_refuses_to_change_the_kind_of_a_measure_with_data(world: Any, login: Any,
                                                             measure: Any) -> None:
    from uptake.inquiry.tests.conftest import fill

    fill(world.people["teacher"], measure, world.section, [50], world.students)
    r = login(world.people["teacher"]).post(reverse("inquiry:measure_edit", args=[measure.pk]), {
        "name": measure.name, "kind": "proportion", "direction": "up",
        "sections": [world.section.pk]})
    assert r.status_code == 200 and b"kind cannot change" in r.content


def test_it_studies_the_cycle_with_each_measures_chart_and_verdict(
        world: Any, login: Any, inquiry: Any, measure: Any) -> None:
    from uptake.inquiry.tests.conftest import fill

    fill(world.people["teacher"], measure, world.section,
         [50, 52, 49, 51, 50, 48, 52, 50, 60, 62, 61, 63, 60, 62, 61, 64, 63], world.students)
    page = login(world.people["teacher"]).get(
        reverse("inquiry:cycle", args=[inquiry.cycles.get().pk])).content.decode()
    study = page.split('id="study-h"', 1)[1].split('id="act-h"', 1)[0]
    assert "Half the class will explain" in study  # the prediction beside the result
    assert "<svg" in study and "Sustained improvement" in study
    assert "are all above the baseline median of 50" in study
