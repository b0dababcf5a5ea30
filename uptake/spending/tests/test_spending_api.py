"""The spending API: the same rules as the pages, through the same actions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from uptake.spending.models import SpendingEntry
from uptake.spending.tests import fixtures

pytestmark = pytest.mark.django_db

BODY = {"spent_on": "2026-10-01", "amount": "250.00", "source": "title_ii_a",
        "use": "substitutes", "description": "Release days", "reference": "V-300"}


def test_a_coordinator_keeps_the_ledger_through_the_api(world: Any, api: Any) -> None:
    client = api(world.people["coordinator"])
    made = client.post("/spending/entries", BODY)
    assert made.status_code == 201, made.content
    entry_id = made.json()["id"]
    assert (made.json()["fiscal_year"], made.json()["origin"]) == (2027, "entered")
    again = client.post("/spending/entries", BODY)
    assert again.status_code == 409
    assert again.json()["error"]["fields"] == {
        "reference": ["The reference “V-300” is already on another line of the ledger."]}
    zero = client.post("/spending/entries", {**BODY, "amount": "0", "reference": ""})
    assert zero.status_code == 400
    changed = client.put(f"/spending/entries/{entry_id}", {**BODY, "amount": "-250.00",
                                                           "description": "Refund"})
    assert changed.status_code == 200 and changed.json()["amount"] == "-250.00"
    assert client.delete(f"/spending/entries/{entry_id}").status_code == 204
    assert not SpendingEntry.objects.exists()


def test_readers_read_and_only_coordinators_write(world: Any, api: Any) -> None:
    entry = fixtures.entry(world, reference="V-1")
    researcher = api(world.people["researcher"])
    assert researcher.get("/spending/entries", {"year": 2027}).json()["results"][0]["id"] == \
        entry.pk
    assert api(world.people["leader"]).get("/spending/entries").status_code == 404
    refused = researcher.put(f"/spending/entries/{entry.pk}", BODY)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_allowed"
    teacher = api(world.people["teacher"])
    assert teacher.get("/spending/entries").status_code == 404
    assert teacher.get(f"/spending/entries/{entry.pk}").status_code == 404
    other = api(world.people["other_coordinator"])
    assert other.get(f"/spending/entries/{entry.pk}").status_code == 404
    assert other.delete(f"/spending/entries/{entry.pk}").status_code == 404
    assert SpendingEntry.objects.filter(pk=entry.pk).exists()


def test_the_ledger_and_totals_include_stipends(world: Any, api: Any) -> None:
    offering = fixtures.offering(world)
    fixtures.stipend(world, awarded_on=date(2026, 12, 1), amount="75.00")
    fixtures.entry(world, amount="1200.00")
    client = api(world.people["researcher"])
    ledger = client.get("/spending/ledger", {"year": 2027}).json()
    assert [(line["origin"], line["amount"], line["program_id"]) for line in ledger] == [
        ("stipend", "75.00", offering.pk), ("entered", "1200.00", None)]
    totals = client.get("/spending/totals", {"years": [2027], "by": "use"}).json()
    found = {t["key"]: t["amount"] for t in totals}
    assert (found["stipends"], found["coaching"], found["materials"]) == (
        "75.00", "1200.00", "0.00")
