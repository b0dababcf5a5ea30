"""Importing an edge list: which way the rows read, people by e-mail and contacts by name,
and every bad file refused whole with its file, row, column and reason."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from typing import Any

import pytest
from django.db import connection

from uptake.audit.models import AuditEvent
from uptake.networks.actions.imports import do_import_edge_file, do_import_edges
from uptake.networks.edgelist import MAX_ROWS, EdgesRefused, check
from uptake.networks.models import Contact, NetworkImport, Tie
from uptake.networks.tests.examples_imports import OBSERVED
from uptake.spreadsheets import xlsx_workbook

pytestmark = pytest.mark.django_db

HEADER = "from,to,relation,weight,frequency,date,from_platform,to_platform\n"


def _import(w: Any, content: bytes | str, *, name: str = "edges.csv",
            nominations: bool = False) -> NetworkImport:
    data = content.encode() if isinstance(content, str) else content
    return do_import_edge_file(w.people["coordinator"], file_name=name, content=data,
                               nominations=nominations, observed_on=OBSERVED)


def _refused(w: Any, content: bytes | str, **kwargs: Any) -> EdgesRefused:
    with pytest.raises(EdgesRefused) as caught:
        _import(w, content, **kwargs)
    # A file with any problem saves nothing: no import, no tie, no contact.
    assert not NetworkImport.objects.exists()
    assert not Tie.objects.exists()
    assert not Contact.objects.exists()
    return caught.value


def _where(refusal: EdgesRefused) -> list[tuple[int | None, str]]:
    return [(p.row, p.column) for p in refusal.rows]


def _pairs(made: NetworkImport) -> set[tuple[str, str]]:
    def name(person: Any, contact: Any) -> str:
        return person.first_name if person else contact.name

    return {(name(t.source_person, t.source_contact), name(t.target_person, t.target_contact))
            for t in made.tie_set.select_related("source_person", "source_contact",
                                                 "target_person", "target_contact")}


def _xlsx(rows: list[list[Any]]) -> bytes:
    """A workbook as the project writes them (uptake.spreadsheets), first row the header."""
    return xlsx_workbook(rows[0], rows[1:], sheet="Edges")


# ------------------------------------------------------------------------ what is saved


def test_flows_are_stored_as_written(world):
    made = _import(world, HEADER + "jamie@maple.test,asha@maple.test,advice,,,,,\n")
    assert _pairs(made) == {("Jamie", "Asha")}
    assert made.nominations_reversed is False


def test_nominations_are_stored_reversed(world):
    # "Jamie goes to Asha for advice": knowledge flows from Asha to Jamie.
    made = _import(world, HEADER + "jamie@maple.test,asha@maple.test,advice,,,,,\n",
                   nominations=True)
    assert _pairs(made) == {("Asha", "Jamie")}
    assert made.nominations_reversed is True


def test_a_name_becomes_an_external_contact_and_matches_it_next_time(world):
    made = _import(world, HEADER + "Dr. Lena Ortiz,jamie@maple.test,information,,,,"
                                   "X (Twitter),\n")
    contact = Contact.objects.get()
    assert (contact.name, contact.platform, contact.district) == (
        "Dr. Lena Ortiz", "X (Twitter)", world.district)
    assert _pairs(made) == {("Dr. Lena Ortiz", "Jamie")}
    again = _import(world, HEADER + "dr. lena ortiz,asha@maple.test,information,,,,"
                                    "x (twitter),\n")
    assert Contact.objects.count() == 1
    assert again.tie_set.get().source_contact == contact


def test_weight_frequency_and_date_are_kept(world):
    made = _import(world, HEADER
                   + "jamie@maple.test,asha@maple.test,advice,7,Most days,2026-09-14,,\n"
                   + "asha@maple.test,jamie@maple.test,advice,,Weekly,,,\n"
                   + "miguel@maple.test,jamie@maple.test,collaboration,,,9/1/2026,,\n")
    got = {(t.source_person.first_name, t.weight, t.frequency, t.observed_on.isoformat())
           for t in made.tie_set.select_related("source_person")}
    assert got == {("Jamie", 7, "Most days", "2026-09-14"),
                   ("Asha", 3, "Weekly", OBSERVED.isoformat()),
                   ("Miguel", 1, "", "2026-09-01")}
    assert (made.rows, made.ties) == (3, 3)


def test_the_import_is_audited_with_its_direction(world):
    _import(world, HEADER + "jamie@maple.test,asha@maple.test,advice,,,,,\n",
            nominations=True)
    event = AuditEvent.objects.get(action="network_edges_imported")
    assert event.details["nominations_reversed"] is True
    assert event.details["ties"] == 1


def test_an_xlsx_edge_list_is_read_like_a_csv(world):
    made = _import(world, _xlsx([["From", "To", "Relation", "Weight"],
                                 ["jamie@maple.test", "asha@maple.test", "advice", 2],
                                 ["Ben Ruiz", "jamie@maple.test", "information", None]]),
                   name="edges.xlsx")
    assert _pairs(made) == {("Jamie", "Asha"), ("Ben Ruiz", "Jamie")}
    assert sorted(made.tie_set.values_list("weight", flat=True)) == [1, 2]


def test_json_rows_are_checked_the_same_way_numbered_from_one(world):
    with pytest.raises(EdgesRefused) as caught:
        do_import_edges(world.people["coordinator"], first_row=1, nominations=False,
                        observed_on=OBSERVED, records=[
                            {"from": "jamie@maple.test", "to": "asha@maple.test",
                             "relation": "advice", "weight": 3},
                            {"from": "jamie@maple.test", "to": "asha@maple.test",
                             "relation": "advice", "colour": "red"}])
    assert _where(caught.value) == [(2, "colour")]
    assert not Tie.objects.exists()


# ------------------------------------------------------------------------ rows refused


@pytest.mark.parametrize(("row", "column", "words"), [
    ("nobody@maple.test,asha@maple.test,advice,,,,,", "from", "No one in the district"),
    # Another district's person gets the same answer as an e-mail nobody has: an import
    # never tells a coordinator who has an account elsewhere.
    ("jamie@maple.test,olive@oak.test,advice,,,,,", "to", "No one in the district"),
    ("jamie@maple.test,asha@maple.test,gossip,,,,,", "relation", "not a relation"),
    ("jamie@maple.test,JAMIE@maple.test,advice,,,,,", "to", "their own tie"),
    ("Ben Ruiz,ben ruiz,advice,,,,,", "to", "their own tie"),
    ("jamie@maple.test,asha@maple.test,advice,11,,,,", "weight", "out of range"),
    ("jamie@maple.test,asha@maple.test,advice,0,,,,", "weight", "out of range"),
    ("jamie@maple.test,asha@maple.test,advice,2.5,,,,", "weight", "not a whole number"),
    ("jamie@maple.test,asha@maple.test,advice,,Fortnightly,,,", "frequency", "no weight"),
    ("jamie@maple.test,asha@maple.test,advice,,,2026-13-45,,", "date", "not a date"),
    ("jamie@maple.test,asha@maple.test,advice,,,2999-01-01,,", "date", "in the future"),
    ("=HYPERLINK(\"http://x\"),asha@maple.test,advice,,,,,", "from", "formula"),
    (",asha@maple.test,advice,,,,,", "from", "Give a person"),
    ("jamie@maple.test,asha@maple.test,advice,,,,X,", "from_platform", "no platform"),
])
def test_a_bad_row_is_refused_with_its_row_and_column(world, row, column, words):
    refusal = _refused(world, HEADER + "miguel@maple.test,jamie@maple.test,advice,,,,,\n"
                       + row + "\n")
    assert _where(refusal) == [(3, column)]
    assert words in refusal.rows[0].message
    assert refusal.message.startswith("edges.csv: 1 problem found; nothing was saved")


def test_the_same_tie_twice_is_refused_naming_the_first_row(world):
    refusal = _refused(world, HEADER + "jamie@maple.test,asha@maple.test,advice,,,,,\n"
                                       "\n"
                                       "Jamie@Maple.test,asha@maple.test,advice,5,,,,\n")
    assert _where(refusal) == [(4, "to")]
    assert "row 2" in refusal.rows[0].message


def test_the_same_pair_reversed_or_in_another_relation_is_not_a_duplicate(world):
    made = _import(world, HEADER + "jamie@maple.test,asha@maple.test,advice,,,,,\n"
                                   "asha@maple.test,jamie@maple.test,advice,,,,,\n"
                                   "jamie@maple.test,asha@maple.test,information,,,,,\n")
    assert made.ties == 3


def test_a_deactivated_person_is_refused(world):
    world.people["colleague"].is_active = False
    world.people["colleague"].save(update_fields=["is_active"])
    refusal = _refused(world, HEADER + "jamie@maple.test,asha@maple.test,advice,,,,,\n")
    assert _where(refusal) == [(2, "to")]


@pytest.mark.parametrize("persona", ["researcher", "assessor"])
def test_a_district_account_that_is_not_in_the_network_is_refused(world, persona):
    email = world.people[persona].email
    refusal = _refused(world, HEADER + f"jamie@maple.test,{email},advice,,,,,\n")
    assert _where(refusal) == [(2, "to")]
    assert "not a teacher, coach, school leader or coordinator" in refusal.rows[0].message


@pytest.fixture
def sqlite_binds_32766() -> Any:
    """SQLite's default limit on bound values (Python's own build may allow more)."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)
    yield
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


def test_a_file_naming_tens_of_thousands_of_addresses_is_read(world, sqlite_binds_32766):
    # 17,000 rows of two new addresses each: 34,000 addresses, more than SQLite binds.
    records = [{"from": f"a{i}@far.test", "to": f"b{i}@far.test", "relation": "advice"}
               for i in range(17_000)]
    records[0] = {"from": "jamie@maple.test", "to": "asha@maple.test", "relation": "advice"}
    with pytest.raises(EdgesRefused) as caught:
        check(records, district_id=world.district.pk, relations=["advice"],
              nominations=False)
    assert _where(caught.value)[:2] == [(3, "from"), (3, "to")]


def test_every_problem_of_a_file_is_listed_at_once(world):
    refusal = _refused(world, HEADER + "nobody@maple.test,asha@maple.test,gossip,12,,,,\n")
    assert _where(refusal) == [(2, "from"), (2, "relation"), (2, "weight")]


# ------------------------------------------------------------------------ files refused


@pytest.mark.parametrize(("header", "problems"), [
    ("from,to,relation,colour", [(1, "colour")]),
    ("from,to", [(1, "relation")]),
    ("source,target,relation", [(1, "source"), (1, "target"), (1, "from"), (1, "to")]),
    ("from,to,relation,to", [(1, "to")]),
    ("from,to,relation,,weight", [(1, "column 4")]),
])
def test_the_header_is_checked_exactly(world, header, problems):
    refusal = _refused(world, header + "\njamie@maple.test,asha@maple.test,advice\n")
    assert _where(refusal) == problems


def test_a_file_not_in_utf8_is_refused_saying_how_to_save_it(world):
    refusal = _refused(world, (HEADER + "José Núñez,jamie@maple.test,advice,,,,,\n")
                       .encode("latin-1"))
    assert "not UTF-8" in refusal.message
    assert refusal.message.startswith("edges.csv:")


def test_a_csv_renamed_xlsx_is_refused(world):
    refusal = _refused(world, HEADER + "jamie@maple.test,asha@maple.test,advice,,,,,\n",
                       name="edges.xlsx")
    assert "not an Excel workbook" in refusal.message


def test_a_zip_without_a_workbook_is_refused(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    refusal = _refused(world, out.getvalue(), name="edges.xlsx")
    assert "not an Excel .xlsx file" in refusal.message


def test_a_formula_in_a_workbook_is_refused(world):
    from openpyxl import Workbook

    # Written raw: the project's own writer would neutralise the formula.
    book = Workbook()
    book.active.append(["from", "to", "relation"])
    book.active.append(["jamie@maple.test", "=A1", "advice"])
    out = io.BytesIO()
    book.save(out)
    refusal = _refused(world, out.getvalue(), name="edges.xlsx")
    assert "formula" in refusal.message
    assert "Row 2, column B" in refusal.message


def test_a_file_over_the_row_limit_is_refused(world):
    rows = "".join(f"Person {i},Person {i + 1},advice\n" for i in range(MAX_ROWS + 1))
    refusal = _refused(world, "from,to,relation\n" + rows)
    assert f"{MAX_ROWS + 1:,} rows" in refusal.message


def test_a_file_with_only_a_header_is_refused(world):
    refusal = _refused(world, HEADER)
    assert "no rows" in refusal.message


def test_only_a_coordinator_imports_an_edge_list(world):
    from uptake.rules import NotAllowed

    for persona in ("researcher", "leader", "teacher", "coach", "assessor"):
        with pytest.raises(NotAllowed):
            do_import_edge_file(world.people[persona], file_name="edges.csv",
                                content=b"from,to,relation\nA,B,advice\n",
                                nominations=False, observed_on=OBSERVED)
    assert not Tie.objects.exists()
