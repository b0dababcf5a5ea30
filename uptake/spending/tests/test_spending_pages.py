"""The ledger's pages: who reaches them (and no longer once her role lapses), what the
ledger shows, adding, correcting and deleting a line, importing, and safe downloads."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uptake.accounts.models import Role
from uptake.audit.models import AuditEvent
from uptake.spending.models import SpendingEntry
from uptake.spending.tests import fixtures

pytestmark = pytest.mark.django_db

READERS = {"coordinator", "researcher"}
NOBODY = ("teacher", "colleague", "outsider", "coach", "assessor")


def _line(w: Any, **kwargs: Any) -> SpendingEntry:
    return fixtures.entry(w, program_id=fixtures.program(w).pk, **kwargs)


@pytest.mark.parametrize("persona", [*sorted(READERS), *NOBODY, "other_coordinator"])
def test_who_reaches_the_ledger(world: Any, login: Any, persona: str) -> None:
    entry = _line(world, reference="V-77")
    client = login(world.people[persona])
    ledger = client.get(reverse("spending:ledger"), {"year": 2027})
    edit = client.get(reverse("spending:entry_edit", args=[entry.pk]))
    new = client.get(reverse("spending:entry_new"))
    if persona in READERS:
        assert ledger.status_code == 200
        assert b"V-77" in ledger.content and b"$1,200.00" in ledger.content
        assert b"Spending" in ledger.content
    elif persona == "other_coordinator":  # her own ledger, never Maple Valley's lines
        assert ledger.status_code == 200 and b"V-77" not in ledger.content
    else:
        assert ledger.status_code == 404
        assert client.get(reverse("spending:ledger_csv")).status_code == 404
    keeper = persona == "coordinator"
    assert edit.status_code == (200 if keeper else 404)
    assert new.status_code == (200 if keeper or persona == "other_coordinator" else 404)
    assert (b"Add a line" in ledger.content) == (keeper or persona == "other_coordinator")


@pytest.mark.parametrize("persona", sorted(READERS))
def test_a_revoked_role_or_a_closed_account_ends_access(world: Any, login: Any,
                                                         persona: str) -> None:
    entry = _line(world)
    person = world.people[persona]
    client = login(person)
    urls = [reverse("spending:ledger"), reverse("spending:ledger_csv"),
            reverse("spending:ledger_xlsx")]
    if persona == "coordinator":
        urls += [reverse("spending:entry_new"), reverse("spending:import"),
                 reverse("spending:entry_edit", args=[entry.pk]),
                 reverse("spending:entry_delete", args=[entry.pk])]
    assert [client.get(u).status_code for u in urls] == [200] * len(urls)
    person.roles.filter(role__in=[Role.COORDINATOR, Role.SCHOOL_LEADER,
                                  Role.RESEARCHER]).delete()
    assert [client.get(u).status_code for u in urls] == [404] * len(urls)
    if persona == "coordinator":
        post = client.post(reverse("spending:entry_delete", args=[entry.pk]))
        assert post.status_code == 404 and SpendingEntry.objects.filter(pk=entry.pk).exists()
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert all(client.get(u).status_code == 302 for u in urls)


def test_the_ledger_shows_totals_and_five_years(world: Any, login: Any) -> None:
    _line(world, amount="1200.00")
    fixtures.entry(world, amount="300.00", spent_on=date(2025, 9, 1), use="substitutes",
                   source="title_i")  # FY2026
    fixtures.entry(world, amount="-200.00", spent_on=date(2026, 10, 1),
                   description="Refund of a cancelled day")
    page = login(world.people["researcher"]).get(reverse("spending:ledger"), {"year": 2027})
    text = page.content.decode()
    assert "FY2027 (July 2026 to June 2027): 2 lines, $1,000.00" in text
    assert "-$200.00" in text
    assert "Five years by funding source" in text and "FY2023" in text
    assert "$300.00" in text  # FY2026's substitutes in the five-year table
    filtered = login(world.people["researcher"]).get(reverse("spending:ledger"), {
        "year": 2027, "source": "title_i"})
    assert "0 lines" in filtered.content.decode()
    bad = login(world.people["researcher"]).get(reverse("spending:ledger"), {"source": "gold"})
    assert bad.status_code == 400


def test_the_coordinator_adds_corrects_and_deletes_a_line(world: Any, login: Any) -> None:
    program = fixtures.program(world)
    client = login(world.people["coordinator"])
    added = client.post(reverse("spending:entry_new"), {
        "spent_on": "2026-09-20", "amount": "640.00", "source": "title_ii_a",
        "use": "coaching", "program_id": str(program.pk), "description": "Coach days",
        "reference": "J-5"})
    assert added.status_code == 302 and added["Location"].endswith("?year=2027")
    entry = SpendingEntry.objects.get()
    assert (entry.origin, entry.program_id, entry.created_by) == (
        "entered", program.pk, world.people["coordinator"])
    refused = client.post(reverse("spending:entry_edit", args=[entry.pk]), {
        "spent_on": "2026-09-20", "amount": "-640.00", "source": "title_ii_a",
        "use": "coaching", "description": ""})
    assert refused.status_code == 400 and "say why in the description" in \
        refused.content.decode()
    client.post(reverse("spending:entry_edit", args=[entry.pk]), {
        "spent_on": "2027-08-01", "amount": "600", "source": "state", "use": "coaching"})
    entry.refresh_from_db()
    assert (entry.fiscal_year, str(entry.amount), entry.source, entry.program_id) == (
        2028, "600.00", "state", None)
    client.post(reverse("spending:entry_delete", args=[entry.pk]))
    assert not SpendingEntry.objects.exists()
    assert list(AuditEvent.objects.filter(action__startswith="spending_").order_by("pk")
                .values_list("action", flat=True)) == [
        "spending_added", "spending_changed", "spending_deleted"]


def test_an_other_districts_line_is_not_found(world: Any, login: Any) -> None:
    entry = _line(world)
    client = login(world.people["other_coordinator"])
    assert client.get(reverse("spending:entry_edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("spending:entry_delete", args=[entry.pk])).status_code == 404
    assert SpendingEntry.objects.filter(pk=entry.pk).exists()


def test_the_import_page_names_each_problem_and_saves_nothing(world: Any, login: Any) -> None:
    client = login(world.people["coordinator"])
    page = client.get(reverse("spending:import"))
    assert "T2A" in page.content.decode() and "Class-size reduction" in page.content.decode()
    bad = client.post(reverse("spending:import"), {"file": SimpleUploadedFile(
        "fy27.csv", b"date,amount,fund,object\n2026-09-01,12,Title II-A,Coaching\n"
                    b"2026-09-02,abc,Title II-A,Coaching\n")})
    text = bad.content.decode()
    assert bad.status_code == 400 and "nothing was imported" in text
    assert "fy27.csv" in text and "<td class=\"num\">3</td>" in text and "“abc”" in text
    assert not SpendingEntry.objects.exists()
    good = client.post(reverse("spending:import"), {"file": SimpleUploadedFile(
        "fy27.csv", b"date,amount,fund,object\n2026-09-01,12,Title II-A,Coaching\n")})
    assert good.status_code == 302
    done = client.get(good["Location"])
    assert "1 line added, $12.00" in done.content.decode()


def test_downloads_are_formula_safe_and_audited(world: Any, login: Any) -> None:
    fixtures.entry(world, amount="-50.00", description="=HYPERLINK(\"http://x\")",
                   reference="@SUM(A1)")
    client = login(world.people["researcher"])
    got = client.get(reverse("spending:ledger_csv"), {"year": 2027})
    rows = list(csv.reader(io.StringIO(got.content.decode())))
    assert rows[0][:3] == ["Fiscal year", "Date", "Amount"]
    assert rows[1][2] == "-50.00"  # a number, not text
    assert rows[1][6] == "'=HYPERLINK(\"http://x\")" and rows[1][7] == "'@SUM(A1)"
    assert rows[-1][:4] == ["Total", "", "-50.00", "1 line"]
    assert got["Content-Disposition"].endswith('spending-FY2027.csv"')
    book = client.get(reverse("spending:ledger_xlsx"), {"year": 2027})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet["G2"].value == "'=HYPERLINK(\"http://x\")" and sheet["G2"].data_type == "s"
    assert float(sheet["C2"].value) == -50.0
    assert AuditEvent.objects.filter(action="spending_exported").count() == 2


@pytest.mark.parametrize("persona", ["coordinator", "leader", "researcher", "teacher", "coach"])
def test_the_menu_offers_spending_to_its_readers_only(world: Any, login: Any,
                                                      persona: str) -> None:
    # The ledger is listed on the district view's dashboard, not in the main row.
    page = login(world.people[persona]).get(reverse("district:dashboard"))
    link = f'href="{reverse("spending:ledger")}"'.encode()
    assert (link in page.content) == (persona in READERS)
