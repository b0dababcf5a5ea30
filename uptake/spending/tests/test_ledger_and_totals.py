"""What a ledger adds up to: fiscal years, totals by source and use (hand-computed), program
spending, and micro-credential stipends as lines of their own, never copied."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings

from uptake.programs.models import FundingSource
from uptake.rules import Invalid, NotAllowed, RuleError
from uptake.spending import queries
from uptake.spending.actions import EntryData, do_add_entry, do_delete_entry, do_update_entry
from uptake.spending.models import SpendingEntry
from uptake.spending.tests import fixtures

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("day", "year"), [
    (date(2026, 6, 30), 2026), (date(2026, 7, 1), 2027), (date(2027, 1, 15), 2027),
    (date(2027, 6, 30), 2027), (date(2027, 7, 1), 2028)])
def test_a_fiscal_year_is_named_by_the_year_it_ends_in(day: date, year: int) -> None:
    assert queries.fiscal_year_of(day) == year
    first, last = queries.fiscal_year_bounds(year)
    assert first <= day <= last


def test_the_fiscal_years_start_month_is_a_setting() -> None:
    with override_settings(FISCAL_YEAR_START_MONTH=10):  # the federal year
        assert queries.fiscal_year_of(date(2026, 9, 30)) == 2026
        assert queries.fiscal_year_of(date(2026, 10, 1)) == 2027
        assert queries.fiscal_year_bounds(2027) == (date(2026, 10, 1), date(2027, 9, 30))
    with override_settings(FISCAL_YEAR_START_MONTH=1):
        assert queries.fiscal_year_of(date(2026, 12, 31)) == 2026
        assert queries.fiscal_year_bounds(2026) == (date(2026, 1, 1), date(2026, 12, 31))
    assert queries.fiscal_year_label(2027) == "FY2027 (July 2026 to June 2027)"


def _scene(w: Any) -> dict[str, Any]:
    """Two fiscal years of lines, a refund and a stipend (hand-computed totals below)."""
    coaching = fixtures.program(w, "Math coaching")
    mc = fixtures.offering(w, "Discourse micro-credential", funding_source=FundingSource.TITLE_IV)
    fixtures.entry(w, amount="1200.00", spent_on=date(2026, 9, 15), program_id=coaching.pk)
    fixtures.entry(w, amount="800.50", spent_on=date(2027, 6, 30), use="substitutes",
                   source=FundingSource.TITLE_I, program_id=coaching.pk)
    fixtures.entry(w, amount="-200.00", spent_on=date(2026, 11, 2), program_id=coaching.pk,
                   description="Refund: cancelled coaching day")
    fixtures.entry(w, amount="450.00", spent_on=date(2026, 6, 30), use="conferences",
                   source=FundingSource.DISTRICT)  # FY2026
    fixtures.stipend(w, awarded_on=date(2026, 12, 1), amount="75.00")  # FY2027, Title IV
    # Another district's money never counts.
    fixtures.program(w, "Oak coaching", district=w.other_district)
    SpendingEntry.objects.create(district=w.other_district, fiscal_year=2027,
                                 spent_on=date(2026, 9, 1), amount=Decimal("9999"),
                                 source="title_ii_a", use="coaching")
    return {"coaching": coaching, "mc": mc}


def test_totals_by_source_and_use_are_hand_computed(world: Any) -> None:
    _scene(world)
    by_source = queries.totals(world.district.pk, [2026, 2027], by="source")
    assert by_source[(2027, "title_ii_a")] == Decimal("1000.00")  # 1200 - 200
    assert by_source[(2027, "title_i")] == Decimal("800.50")
    assert by_source[(2027, "title_iv")] == Decimal("75.00")  # the stipend
    assert by_source[(2026, "district")] == Decimal("450.00")
    assert by_source[(2026, "title_ii_a")] == Decimal("0")
    assert sum(v for (y, _), v in by_source.items() if y == 2027) == Decimal("1875.50")
    assert len(by_source) == 2 * len(FundingSource.values)  # zero where nothing was spent
    by_use = queries.totals(world.district.pk, [2027], by="use")
    assert by_use[(2027, "coaching")] == Decimal("1000.00")
    assert by_use[(2027, "substitutes")] == Decimal("800.50")
    assert by_use[(2027, "stipends")] == Decimal("75.00")
    assert by_use[(2027, "conferences")] == Decimal("0")


def test_program_spending_counts_its_lines_and_its_stipends(world: Any) -> None:
    s = _scene(world)
    assert queries.program_spending(s["coaching"].pk) == Decimal("1800.50")
    assert queries.program_spending(s["coaching"].pk, fiscal_year=2026) == Decimal("0")
    assert queries.program_spending(s["mc"].pk) == Decimal("75.00")
    assert queries.program_spending(s["mc"].pk, fiscal_year=2028) == Decimal("0")


def test_a_stipend_is_a_line_charged_to_the_program_offering_its_credential(world: Any) -> None:
    s = _scene(world)
    lines = queries.ledger_lines(world.district.pk, 2027)
    stipends = [line for line in lines if line.origin == "stipend"]
    assert len(stipends) == 1
    (st,) = stipends
    assert (st.fiscal_year, st.spent_on, st.amount) == (2027, date(2026, 12, 1), Decimal("75"))
    assert (st.source, st.use, st.program_id) == ("title_iv", "stipends", s["mc"].pk)
    assert st.program_name == "Discourse micro-credential"
    assert "Jamie" not in st.description and st.description.startswith(
        "Micro-credential stipend: ")
    # Read live, never copied: the ledger table holds only the entered lines.
    assert not SpendingEntry.objects.filter(use="stipends").exists()
    assert [line.amount for line in lines] == [Decimal("800.50"), Decimal("75.00"),
                                               Decimal("-200.00"), Decimal("1200.00")]
    assert queries.fiscal_years(world.district.pk) == [2027, 2026]


def test_a_stipend_no_program_offers_is_the_districts(world: Any) -> None:
    stipend = fixtures.stipend(world, awarded_on=date(2027, 7, 1), amount="150.00")
    (line,) = queries.ledger_lines(world.district.pk, 2028)
    assert (line.stipend_id, line.source, line.program_id, line.fiscal_year) == (
        stipend.pk, "district", None, 2028)
    assert queries.totals(world.district.pk, [2028], by="use")[(2028, "stipends")] == \
        Decimal("150.00")


def test_the_program_running_on_the_award_date_gets_the_stipend(world: Any) -> None:
    fixtures.offering(world, "Old offering", funding_source=FundingSource.STATE,
                      starts_on=date(2020, 7, 1)).__class__.objects.filter(
        name="Old offering").update(ends_on=date(2024, 6, 30))
    now = fixtures.offering(world, "New offering", funding_source=FundingSource.GRANT,
                            starts_on=date(2025, 7, 1))
    fixtures.stipend(world, awarded_on=date(2026, 3, 1))
    (line,) = queries.ledger_lines(world.district.pk, 2026)
    assert (line.program_id, line.source) == (now.pk, "grant")


def test_the_rules_of_a_line(world: Any) -> None:
    coordinator = world.people["coordinator"]
    base = EntryData(spent_on=date(2026, 9, 1), amount=Decimal("10"), source="state",
                     use="materials")
    with pytest.raises(Invalid, match="other than zero") as zero:
        do_add_entry(coordinator, EntryData(**{**base.__dict__, "amount": Decimal("0")}))
    assert zero.value.field == "amount"
    with pytest.raises(Invalid, match="say why") as why:
        do_add_entry(coordinator, EntryData(**{**base.__dict__, "amount": Decimal("-5")}))
    assert why.value.field == "description"
    with pytest.raises(Invalid, match="two decimals"):
        do_add_entry(coordinator, EntryData(**{**base.__dict__, "amount": Decimal("1.005")}))
    oak = fixtures.program(world, "Oak coaching", district=world.other_district)
    with pytest.raises(Invalid, match="program of your district"):
        do_add_entry(coordinator, EntryData(**{**base.__dict__, "program_id": oak.pk}))
    first = do_add_entry(coordinator, EntryData(**{**base.__dict__, "reference": "V-1"}))
    with pytest.raises(RuleError, match="already on another line"):
        do_add_entry(coordinator, EntryData(**{**base.__dict__, "reference": "v-1"}))
    for persona in ("leader", "researcher", "teacher", "other_coordinator"):
        if persona != "other_coordinator":  # she keeps her own district's ledger
            with pytest.raises(NotAllowed):
                do_add_entry(world.people[persona], base)
        with pytest.raises(NotAllowed):
            do_delete_entry(world.people[persona], first)
    moved = do_update_entry(coordinator, first, EntryData(
        **{**base.__dict__, "spent_on": date(2027, 7, 1), "reference": "V-1"}))
    assert moved.fiscal_year == 2028
    assert SpendingEntry.objects.count() == 1
