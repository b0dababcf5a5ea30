"""The make-your-case page: what a coordinator, a researcher and a school leader read, the
words the coordinator edits and resets, and who gets nothing at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.reports.models import CaseReport
from uptake.reports.tests import fixtures

pytestmark = pytest.mark.django_db


def _program_url(w: Any, name: str = "reports:program_case") -> str:
    return reverse(name, kwargs={"program_id": fixtures.scene(w).pk})


def test_the_coordinator_reads_the_district_its_spending_and_the_three_parts(
        world: Any, login: Any) -> None:
    fixtures.scene(world)
    page = login(world.people["coordinator"]).get(reverse("reports:case"))
    assert page.status_code == 200
    html = page.content.decode()
    for heading in ("Who the district serves", "What we invested", "The numbers",
                    "Challenge", "Solution", "Impact"):
        assert heading in html
    assert "Maple Valley Unified serves 12 students in 2 schools" in html
    assert "$12,500" in html, "this year's Title II-A coaching line"
    assert 'role="img"' in html and "<desc" in html, "the chart has a text alternative"
    assert "Federal Title II-A" in html and "Coaching" in html
    assert "Save the words" in html


def test_a_program_s_case_prints_its_numbers_and_the_cost_caveat(world: Any,
                                                               login: Any) -> None:
    page = login(world.people["coordinator"]).get(_program_url(world))
    assert page.status_code == 200
    case = page.context["case"]
    numbers = {h.key: h for h in case.headlines}
    assert numbers["participants"].value == "1"
    assert numbers["classes"].value == "5"
    assert numbers["improvements"].value == "1", "one demo inquiry per verdict"
    impact = case.paragraphs[2].text
    assert "5 classes measured students' learning before and after the change; 1 showed " \
           "a sustained improvement." in impact
    cost = numbers["cost_per_improvement"]
    assert cost.value == "$12,500", "one line of spending, one improvement"
    assert "does not say the money caused" in cost.note
    assert "$12,500 of professional-learning spending per demonstrated improvement" in impact


def test_percentages_of_small_groups_are_not_shown(world: Any, login: Any) -> None:
    """Four English learners of twelve: under the minimum of ten, the share is hidden."""
    page = login(world.people["coordinator"]).get(reverse("reports:case"))
    described = dict(page.context["case"].described)
    assert described["Students"] == "12"
    assert described["English learners"].startswith("not shown")
    assert "33" not in described["English learners"]


def test_the_coordinator_edits_the_words_and_resets_them_to_the_figures(
        world: Any, login: Any) -> None:
    client = login(world.people["coordinator"])
    url = _program_url(world)
    draft = client.get(url).context["case"].paragraphs
    answer = client.post(_program_url(world, "reports:program_case_edit"), {
        "challenge": "Our grade 3 readers needed to talk about their thinking.",
        "solution": draft[1].draft, "impact": ""})
    assert answer.status_code == 302
    report = CaseReport.objects.get()
    assert report.challenge.startswith("Our grade 3 readers")
    assert report.solution == "" and report.impact == "", "unchanged drafts follow figures"
    case = client.get(url).context["case"]
    assert case.paragraphs[0].text.startswith("Our grade 3 readers")
    assert not case.paragraphs[0].from_figures and case.paragraphs[1].from_figures
    assert AuditEvent.objects.filter(action="case_report_edited").count() == 1
    client.post(_program_url(world, "reports:program_case_reset"))
    case = client.get(url).context["case"]
    assert all(p.from_figures for p in case.paragraphs)
    assert AuditEvent.objects.filter(action="case_report_reset").count() == 1


def test_a_paragraph_too_long_for_one_page_is_refused_on_its_field(world: Any,
                                                                   login: Any) -> None:
    answer = login(world.people["coordinator"]).post(
        reverse("reports:case_edit"), {"challenge": "x" * 1001, "solution": "", "impact": ""})
    assert answer.status_code == 200
    assert answer.context["form"].errors["challenge"]
    assert not CaseReport.objects.exists()


def test_a_researcher_reads_without_the_form_and_a_leader_reads_her_school(
        world: Any, login: Any) -> None:
    fixtures.scene(world)
    researcher = login(world.people["researcher"]).get(reverse("reports:case"))
    assert researcher.status_code == 200 and researcher.context["form"] is None
    leader = login(world.people["leader"]).get(reverse("reports:case"))
    case = leader.context["case"]
    assert case.school == world.cedar
    assert "Cedar Elementary serves 12 students in 1 school" in case.paragraphs[0].text
    assert case.by_source is None, "spending is for district-wide roles"
    assert "cost_per_improvement" not in {h.key for h in case.headlines}
    other = login(world.people["leader"]).get(reverse("reports:case"),
                                              {"school": world.birch.pk})
    assert other.status_code == 404


@pytest.mark.parametrize("persona", ["teacher", "coach", "assessor", "other_coordinator"])
def test_everyone_else_gets_the_404_of_a_missing_page(world: Any, login: Any,
                                                      persona: str) -> None:
    """(Another district's coordinator reads her own district's case, never this one's.)"""
    client = login(world.people[persona])
    if persona != "other_coordinator":
        assert client.get(reverse("reports:case")).status_code == 404
    assert client.get(_program_url(world)).status_code == 404
    assert client.get(_program_url(world, "reports:program_case_pdf")).status_code == 404


def test_a_revoked_role_closes_the_case(world: Any, login: Any) -> None:
    from uptake.accounts.actions import do_revoke_role

    leader = world.people["leader"]
    client = login(leader)
    assert client.get(_program_url(world)).status_code == 200
    do_revoke_role(actor=world.people["coordinator"], assignment=leader.roles.get())
    assert client.get(_program_url(world)).status_code == 404
