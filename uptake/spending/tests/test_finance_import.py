"""Importing a finance system's file: synonyms and amounts as finance systems write them,
every problem with its file, row and column, all rows or none, and never the same line
twice."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from uptake.rules import NotAllowed
from uptake.spending.actions import ImportRejected, do_import_finance
from uptake.spending.finance import ImportRefused, parse_amount, source_of, use_of
from uptake.spending.models import FinanceImport, SpendingEntry
from uptake.spending.tests import fixtures

pytestmark = pytest.mark.django_db

GOOD = (
    "Posting Date,Amount,Fund,Object,Program,Memo,Voucher\n"
    "2026-09-14,\"$1,234.50\",Title II-A,Coaching,Math coaching,Coach contract,V-1001\n"
    "9/30/2026,\"1,000\",T2A,Subs,,Release days,V-1002\n"
    "2026-10-02,250,title iia,Workshop,math COACHING,Registration,V-1003\n"
    ",,,,,,\n"
    "2027-07-01,(100.00),Local,Supplies,,Refund of books,V-1004\n"
)


def _import(w: Any, text: str, name: str = "finance.csv") -> FinanceImport:
    return do_import_finance(w.people["coordinator"], file_name=name, content=text.encode())


def _problems(w: Any, text: str, name: str = "finance.csv") -> list[tuple[int | None, str, str]]:
    with pytest.raises(ImportRejected) as rejected:
        _import(w, text, name)
    return [(p.row, p.column, p.message) for p in rejected.value.rows]


@pytest.mark.parametrize(("text", "amount"), [
    ("1234.50", "1234.50"), ("1,234.50", "1234.50"), ("$1,234.50", "1234.50"),
    ("$ 75", "75"), ("-250", "-250"), ("(250.00)", "-250.00"), ("-$12.5", "-12.5")])
def test_amounts_as_finance_systems_write_them(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["1.234,50", "12,34", "1.005", "0", "$", "1e3", "--5"])
def test_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize(("text", "key"), [
    ("Title II-A", "title_ii_a"), ("Title IIA", "title_ii_a"), ("T2A", "title_ii_a"),
    ("title 2a", "title_ii_a"), ("Title I", "title_i"), ("T1", "title_i"),
    ("Title IV-A", "title_iv"), ("SSAE", "title_iv"), ("General Fund", "district"),
    ("Federal Title II-A", "title_ii_a"), ("grant", "grant")])
def test_funding_source_synonyms(text: str, key: str) -> None:
    assert source_of(text) == key


def test_use_synonyms() -> None:
    assert [use_of(t) for t in ("Subs", "PD", "CSR", "Class size reduction", "Travel",
                                "courses_workshops", "nonsense")] == [
        "substitutes", "courses_workshops", "class_size_reduction", "class_size_reduction",
        "conferences", "courses_workshops", None]


def test_a_good_file_adds_every_line(world: Any) -> None:
    coaching = fixtures.program(world, "Math coaching")
    done = _import(world, GOOD)
    assert (done.status, done.rows) == ("applied", 4)
    lines = list(SpendingEntry.objects.order_by("reference").values_list(
        "reference", "spent_on", "amount", "source", "use", "program_id", "fiscal_year",
        "origin", "finance_import_id"))
    assert lines == [
        ("V-1001", date(2026, 9, 14), Decimal("1234.50"), "title_ii_a", "coaching",
         coaching.pk, 2027, "imported", done.pk),
        ("V-1002", date(2026, 9, 30), Decimal("1000.00"), "title_ii_a", "substitutes", None,
         2027, "imported", done.pk),
        ("V-1003", date(2026, 10, 2), Decimal("250.00"), "title_ii_a", "courses_workshops",
         coaching.pk, 2027, "imported", done.pk),
        ("V-1004", date(2027, 7, 1), Decimal("-100.00"), "district", "materials", None,
         2028, "imported", done.pk),
    ]


def test_every_problem_is_named_and_nothing_is_saved(world: Any) -> None:
    fixtures.program(world, "Math coaching")
    text = ("date,amount,fund,object,program,description,reference\n"
            "2026-09-14,100,Title II-A,Coaching,,,R-1\n"             # good
            "14/09/2026,100,Title II-A,Coaching,,,R-2\n"             # row 3: date
            "2026-09-14,1.234,Title II-A,Coaching,,,R-3\n"           # row 4: amount
            "2026-09-14,100,Title 9,Coaching,,,R-4\n"                # row 5: fund
            "2026-09-14,100,Title I,Lunch,,,R-5\n"                   # row 6: use
            "2026-09-14,100,Title I,Coaching,Reading PLC,,R-6\n"     # row 7: program
            "2026-09-14,-100,Title I,Coaching,,,R-7\n"               # row 8: no reason
            "2026-09-14,100,Title I,Coaching,,,r-1\n"                # row 9: twice
            ",100,,Coaching,,,R-9\n")                                # row 10: empty cells
    assert _problems(world, text, "fy27.csv") == [
        (3, "date", "“14/09/2026” is not a date (write 2026-09-14 or 9/14/2026)."),
        (4, "amount", "“1.234” is not an amount of money (write 1234.50, 1,234.50 or "
                      "$1,234.50)."),
        (5, "fund", "“Title 9” is not a funding source Uptake knows; use Title II-A, Title "
                    "I, Title IV, State, District, Grant or Other (the import page lists the "
                    "spellings it accepts)."),
        (6, "object", "“Lunch” is not a use Uptake knows; use Coaching, Courses and "
                      "workshops, Stipends, Substitutes, Conferences, Materials, Class-size "
                      "reduction or Other."),
        (7, "program", "No program of the district is named “Reading PLC”."),
        (8, "amount", "A negative amount (a refund or correction) needs a description "
                      "saying why."),
        (9, "reference", "The reference “r-1” is also on row 2; each line of the finance "
                         "system comes once."),
        (10, "date", "The date is empty."),
        (10, "fund", "The source is empty."),
    ]
    assert not SpendingEntry.objects.exists()
    rejected = FinanceImport.objects.get()
    assert (rejected.status, rejected.file_name, len(rejected.report["errors"])) == (
        "rejected", "fy27.csv", 9)


def test_a_reimport_is_refused_with_the_row_named(world: Any) -> None:
    fixtures.program(world, "Math coaching")
    _import(world, GOOD, "september.csv")
    again = GOOD.replace("V-1002", "V-2002").replace("V-1003", "V-2003").replace(
        "V-1004", "V-2004")
    assert _problems(world, again) == [
        (2, "Voucher", "The reference “V-1001” is already in the ledger (imported from "
                       "september.csv); a line is imported once.")]
    assert SpendingEntry.objects.count() == 4


def test_a_header_without_the_needed_columns(world: Any) -> None:
    assert _problems(world, "when,how much,fund\n2026-09-01,5,T2A\n") == [
        (1, "", "The header has no date, no amount, no use column. The first row must name "
                "the columns: date, amount, fund (or source), object (or use), and "
                "optionally program, description and reference.")]


def test_an_excel_file_with_a_formula_is_refused_whole(world: Any) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Amount", "Fund", "Object"])
    sheet.append([date(2026, 9, 1), 120.5, "Title II-A", "Coaching"])
    sheet.append([date(2026, 9, 2), "=1+1", "Title II-A", "Coaching"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportRefused, match="formula"):
        do_import_finance(world.people["coordinator"], file_name="f.xlsx",
                          content=out.getvalue())
    assert not SpendingEntry.objects.exists()


def test_an_excel_file_is_read_like_a_csv(world: Any) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Amount", "Fund", "Object", "Reference"])
    sheet.append([date(2026, 9, 1), 120.5, "Title II-A", "Coaching", "X-1"])
    out = io.BytesIO()
    book.save(out)
    do_import_finance(world.people["coordinator"], file_name="f.xlsx", content=out.getvalue())
    assert list(SpendingEntry.objects.values_list("amount", "spent_on")) == [
        (Decimal("120.50"), date(2026, 9, 1))]


def test_only_a_coordinator_imports(world: Any) -> None:
    for persona in ("leader", "researcher", "teacher"):
        with pytest.raises(NotAllowed):
            do_import_finance(world.people[persona], file_name="f.csv",
                              content=GOOD.encode())
    assert not SpendingEntry.objects.exists() and not FinanceImport.objects.exists()
