"""The knowledge-mobilisation reports against a hand-built log: real and soft changes by
school, by kind of source and by month, the counterfactual answers; the page's charts and
tables; the downloads; who reads which reports."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.networks.models import Change
from uptake.networks.queries_changes import (
    ReportScope,
    change_report,
    in_scope,
    program_changes,
)

pytestmark = pytest.mark.django_db

# The hand-built log (school, depth, source kind, day, answer):
#   Cedar  real  social_media  2026-09-10  no
#   Cedar  real  course        2026-09-25  probably_not
#   Cedar  soft  social_media  2026-11-02  yes
#   Birch  real  coaching      2026-11-20  unsure
#   Birch  soft  colleagues    2026-11-21  probably_not
#   (district-wide) real library 2026-12-01 no
#   Elm (another district) real course 2026-10-01 no   -- never counted
LOG = [
    ("cedar", "real", "social_media", date(2026, 9, 10), "no"),
    ("cedar", "real", "course", date(2026, 9, 25), "probably_not"),
    ("cedar", "soft", "social_media", date(2026, 11, 2), "yes"),
    ("birch", "real", "coaching", date(2026, 11, 20), "unsure"),
    ("birch", "soft", "colleagues", date(2026, 11, 21), "probably_not"),
    (None, "real", "library", date(2026, 12, 1), "no"),
]


def _log(w: Any) -> None:
    for n, (school, depth, source_kind, day, answer) in enumerate(LOG):
        Change.objects.create(
            district=w.district, school=getattr(w, school) if school else None,
            kind="other", depth=depth, title=f"Change {n}", happened_on=day,
            source_kind=source_kind, source_note="hand-built", counterfactual=answer,
            recorded_by=w.people["coordinator"])
    Change.objects.create(district=w.other_district, school=w.elm, kind="other",
                          depth="real", title="Elsewhere", happened_on=date(2026, 10, 1),
                          source_kind="course", counterfactual="no")


def _rows(rows: Any) -> list[tuple[str, int, int]]:
    return [(r.label, r.real, r.soft) for r in rows]


def test_the_whole_district_by_school_source_month_and_answer(world):
    _log(world)
    report = change_report(in_scope(ReportScope(world.district.pk, None)))
    assert (report.count, report.real, report.soft) == (6, 4, 2)
    assert _rows(report.by_school) == [("Birch Middle", 1, 1), ("Cedar Elementary", 2, 1),
                                       ("Across the district", 1, 0)]
    assert _rows(report.by_source) == [
        ("PLN and social media", 1, 1), ("Courses, workshops and conferences", 1, 0),
        ("Coaching", 1, 0), ("Colleagues", 0, 1), ("The practice library", 1, 0)]
    # Every month from the first change to the last, October (none) included.
    assert _rows(report.by_month) == [("September 2026", 2, 0), ("October 2026", 0, 0),
                                      ("November 2026", 1, 2), ("December 2026", 1, 0)]
    assert [(r.key, r.real, r.soft) for r in report.counterfactual] == [
        ("yes", 0, 1), ("probably", 0, 0), ("unsure", 1, 0), ("probably_not", 1, 1),
        ("no", 2, 0)]


def test_a_leaders_scope_counts_her_schools_only(world):
    _log(world)
    report = change_report(in_scope(ReportScope(world.district.pk,
                                                frozenset({world.cedar.pk}))))
    assert (report.count, report.real, report.soft) == (3, 2, 1)
    assert _rows(report.by_school) == [("Cedar Elementary", 2, 1)]


def test_program_changes_counts_real_and_soft(world):
    from uptake.programs.tests import fixtures as programs

    math = programs.program(world)
    for depth, school in (("real", world.cedar), ("real", world.birch),
                          ("soft", world.birch)):
        Change.objects.create(district=world.district, school=school, kind="other",
                              depth=depth, title="From the program", program=math,
                              happened_on=date(2026, 10, 1), source_kind="coaching",
                              counterfactual="no")
    assert program_changes(math.pk) == {"real": 2, "soft": 1}
    assert program_changes(math.pk, school_ids=[world.birch.pk]) == {"real": 1, "soft": 1}
    assert program_changes(math.pk, school_ids=[]) == {"real": 0, "soft": 0}


def test_the_reports_page_draws_each_table_as_a_chart_with_its_data(world, login):
    _log(world)
    page = login(world.people["coordinator"]).get(reverse("networks:change_reports"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "6 changes: 4 real, 2 soft." in html
    assert html.count('role="img"') == 4
    assert "<title id=" in html and "Cedar Elementary: 2 real, 1 soft" in html
    assert "Would this have happened without it?" in html
    # The period narrows every table.
    narrowed = login(world.people["coordinator"]).get(
        reverse("networks:change_reports"), {"since": "2026-11-01", "until": "2026-11-30"})
    assert "3 changes: 1 real, 2 soft." in narrowed.content.decode()
    wrong = login(world.people["coordinator"]).get(
        reverse("networks:change_reports"), {"since": "2026-12-01", "until": "2026-11-01"})
    assert wrong.status_code == 400
    assert "The end of the period comes after its start." in wrong.content.decode()


def test_the_leader_sees_her_school_and_a_teacher_no_reports(world, login):
    _log(world)
    page = login(world.people["leader"]).get(reverse("networks:change_reports"))
    assert "3 changes: 2 real, 1 soft." in page.content.decode()
    assert "Birch Middle" not in page.content.decode()
    for persona in ("teacher", "coach", "assessor"):
        response = login(world.people[persona]).get(reverse("networks:change_reports"))
        assert response.status_code == 404


def test_the_downloads_carry_every_table_and_are_audited(world, login):
    _log(world)
    client = login(world.people["researcher"])
    response = client.get(reverse("networks:change_reports_csv"))
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Table", "Row", "Real", "Soft", "Total"]
    assert ["Real and soft changes by school", "Cedar Elementary", "2", "1", "3"] in rows
    assert ["Would this have happened without it?", "No, not without it", "2", "0", "2"] \
        in rows
    xlsx = client.get(reverse("networks:change_reports_xlsx"))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert ("Real and soft changes by month", "October 2026", 0, 0, 0) in values
    assert AuditEvent.objects.filter(action="network_downloaded").count() == 2
