"""The payroll CSV and the CEU transcript (CSV and PDF) hold what a payroll office and a
re-licensure reviewer need, checked against files written by hand from the scenario
(``money_scenario``: three awards in October and November 2026, Jamie's logged learning)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.credentials.tests import money_scenario
from uptake.stories.tests.pdf_reading import text_of

pytestmark = pytest.mark.django_db
EXPECTED = Path(__file__).parent / "money_expected"


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _expected(name: str) -> list[list[str]]:
    return _rows((EXPECTED / name).read_text(encoding="utf-8"))


@pytest.fixture
def scene(world: Any) -> Any:
    return money_scenario.build(world)


def test_the_payroll_export_for_a_month_and_a_school_lists_its_stipends_and_total(
        scene: Any, login: Any) -> None:
    client = login(scene.people["coordinator"])
    response = client.get(reverse("credentials:stipends_csv"),
                          {"month": "2026-10", "school": scene.cedar.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="stipends-2026-10-cedar-elementary.csv"' in response[
        "Content-Disposition"]
    assert _rows(response.content.decode()) == _expected("payroll-2026-10-cedar.csv")


def test_the_whole_ledger_exports_in_period_and_school_order_with_formulas_neutralised(
        scene: Any, login: Any) -> None:
    client = login(scene.people["coordinator"])
    response = client.get(reverse("credentials:stipends_csv"))
    assert _rows(response.content.decode()) == _expected("payroll-all.csv")


def test_a_school_year_selects_its_months(scene: Any, login: Any) -> None:
    client = login(scene.people["coordinator"])
    this_year = _rows(client.get(reverse("credentials:stipends_csv"),
                                 {"year": "2026"}).content.decode())
    last_year = _rows(client.get(reverse("credentials:stipends_csv"),
                                 {"year": "2025"}).content.decode())
    assert this_year[-1][-1] == "225.00"
    assert last_year[1:] == [["Total", "", "", "0 stipends", "", "", "", "", "0.00"]]


def test_a_payroll_export_is_audited_with_what_it_held(scene: Any, login: Any) -> None:
    client = login(scene.people["coordinator"])
    client.get(reverse("credentials:stipends_csv"), {"month": "2026-11"})
    event = AuditEvent.objects.get(action="stipends_exported")
    assert event.actor == scene.people["coordinator"]
    assert "1 stipend ($75.00)" in event.summary and "2026-11" in event.summary
    assert event.details["total"] == "75.00"


def test_a_month_outside_the_chosen_school_year_is_refused_with_a_reason(
        scene: Any, login: Any) -> None:
    client = login(scene.people["coordinator"])
    response = client.get(reverse("credentials:stipends_csv"),
                          {"month": "2026-10", "year": "2025"})
    assert response.status_code == 400
    assert "October 2026 is not in the school year 2025-26" in response.content.decode()
    assert not AuditEvent.objects.filter(action="stipends_exported").exists()


def test_her_transcript_csv_converts_her_hours_and_leaves_social_media_out(
        scene: Any, login: Any) -> None:
    jamie = scene.people["teacher"]
    response = login(jamie).get(reverse("credentials:transcript_csv", args=[jamie.pk]),
                                {"start_year": "2026", "end_year": "2026"})
    assert response.status_code == 200
    assert 'filename="ceu-transcript-jamie-nguyen-2026-27.csv"' in response[
        "Content-Disposition"]
    assert _rows(response.content.decode()) == _expected("transcript-jamie-2026-27.csv")
    event = AuditEvent.objects.get(action="transcript_exported")
    assert "her own CEU transcript (School year 2026-27) as CSV: 1.25 CEUs" in event.summary


def test_the_district_rule_decides_what_counts_and_at_what_rate(
        scene: Any, login: Any) -> None:
    from uptake.credentials.actions import do_update_policy

    do_update_policy(actor=scene.people["coordinator"], accept_social_media=True,
                     contact_hours_per_ceu="8")
    jamie = scene.people["teacher"]
    response = login(scene.people["coordinator"]).get(
        reverse("credentials:transcript_csv", args=[jamie.pk]))
    assert _rows(response.content.decode()) == _expected(
        "transcript-jamie-all-years-social-media.csv")
    event = AuditEvent.objects.get(action="transcript_exported")
    assert "Jamie Nguyen's CEU transcript" in event.summary


def test_self_directed_reading_and_logged_hours_count_only_where_accepted(
        scene: Any) -> None:
    from uptake.credentials import credit
    from uptake.credentials.actions import do_update_policy

    jamie = scene.people["teacher"]
    do_update_policy(actor=scene.people["coordinator"], accept_self_directed=False)
    t = credit.transcript(jamie, start_year=2026, end_year=2026)
    assert [s.title for s in t.learning] == [money_scenario.WEBINAR]
    assert (t.learning_hours, t.learning_ceus, t.total_ceus) == (
        Decimal("1.5"), Decimal("0.15"), Decimal("0.65"))
    assert {gap.reason.split(" ")[0] for gap in t.left_out} == {"Professional-network",
                                                               "Books"}
    do_update_policy(actor=scene.people["coordinator"], count_learning_hours=False)
    t = credit.transcript(jamie, start_year=2026, end_year=2026)
    assert (t.learning, t.total_ceus) == ((), Decimal("0.5"))
    assert [(g.sources, g.hours) for g in t.left_out] == [(3, Decimal("9.5"))]


def test_the_transcript_pdf_is_a_document_with_its_rows_and_totals(
        scene: Any, login: Any) -> None:
    from uptake.stories.tests.pdf_reading import open_pdf

    jamie = scene.people["teacher"]
    response = login(scene.people["coordinator"]).get(
        reverse("credentials:transcript_pdf", args=[jamie.pk]),
        {"start_year": "2026", "end_year": "2026"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert len(open_pdf(pdf).pages) == 1
    text = " ".join(text_of(pdf).split())
    for said in ("Maple Valley Unified", "Continuing education transcript", "Jamie Nguyen",
                 "E-1042", "School year 2026-27", "Academic conversations: Learning",
                 "The Teacher's Guide to Academic Conversations", money_scenario.WEBINAR,
                 "Learning hours converted (10 contact hours = 1 CEU) 7.5 0.75",
                 "Total for 2026-27 7.5 1.25", "Total 0.5 7.5 0.75 1.25",
                 "Professional-network and social-media threads are not accepted"):
        assert said in text, said
    assert money_scenario.THREAD not in text
    assert AuditEvent.objects.get(action="transcript_exported").details["what"] == "pdf"
