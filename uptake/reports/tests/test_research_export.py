"""The research export: what an external evaluator receives, and what she never can."""

from __future__ import annotations

import csv
import io
import re
import secrets
import zipfile
from typing import Any

import pytest

from uptake.audit.models import AuditEvent
from uptake.reports.research import ATTRIBUTES, DICTIONARY, build_research_export
from uptake.reports.tests import fixtures

KEY = re.compile(r"\b[a-z]+-[0-9a-f]{16}\b")
# The product's own student pseudonyms (uptake.roster.models.new_pseudonym).
PSEUDONYM = re.compile(rb"S-[0-9A-Z]{16}")

pytestmark = pytest.mark.django_db


def _files(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def _rows(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name])))


def test_it_holds_every_file_with_a_row_per_class_student_and_program(world: Any) -> None:
    fixtures.scene(world)
    export = build_research_export(world.people["coordinator"])
    files = _files(export.content)
    assert set(files) == {"README.txt", "classes.csv", "students.csv", "programs.csv",
                          "participation.csv", "dictionary.csv"}
    classes = _rows(files, "classes.csv")
    students = _rows(files, "students.csv")
    assert len(classes) == 5  # one demo inquiry per verdict, each on Jamie's class
    assert len(students) == 5 * len(world.students)
    assert {c["verdict"] for c in classes} == {
        "sustained_improvement", "change_not_sustained", "got_worse", "no_signal",
        "not_enough_data"}
    program_key = _rows(files, "programs.csv")[0]["program"]
    assert all(c["programs"] == program_key for c in classes)
    (jamie,) = _rows(files, "participation.csv")
    assert jamie["program"] == program_key and jamie["sessions_attended"] == "1"
    assert {c["teacher"] for c in classes} == {jamie["person"]}, \
        "the evaluator can join participation to classes by the teacher's key"
    assert export.rows == {"classes.csv": 5, "students.csv": 60, "programs.csv": 1,
                           "participation.csv": 1}


def test_two_exports_share_no_pseudonym(world: Any) -> None:
    fixtures.scene(world)
    first = set(KEY.findall(" ".join(_files(
        build_research_export(world.people["coordinator"]).content).values())))
    second = set(KEY.findall(" ".join(_files(
        build_research_export(world.people["researcher"]).content).values())))
    assert len(first) > 60 and len(second) == len(first)
    assert first.isdisjoint(second)


def test_no_name_email_sis_id_or_internal_pseudonym_is_in_any_byte(world: Any) -> None:
    scene = fixtures.scene(world)
    content = build_research_export(world.people["coordinator"]).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        raw = b"".join(archive.read(name) for name in archive.namelist())
    forbidden = set()
    for s in world.students:
        forbidden |= {s.given_name, s.pseudonym, s.sourced_id, f"{s.given_name} Cedar"}
    for person in world.people.values():
        # (last names such as "Coach" and "Other" are ordinary words of the files)
        forbidden |= {person.email, person.first_name, person.display_name}
    from uptake.inquiry.models import Inquiry

    forbidden |= set(Inquiry.objects.values_list("title", flat=True))
    forbidden |= {world.section.title, world.section.sourced_id, world.cedar.name,
                  "Cora Coach", scene.facilitator}
    found = sorted(word for word in forbidden if word and word.encode() in raw)
    assert found == []
    assert b"Kid" not in raw and b"stu-" not in raw and not PSEUDONYM.search(raw)


def test_a_group_attribute_below_the_minimum_is_blanked_for_the_whole_class(
        world: Any, settings: Any) -> None:
    """Four of Jamie's twelve are English learners: the attribute is blank in every row
    of her class, in both files; sex (twelve "not specified") is shown."""
    settings.MIN_GROUP_SIZE = 10
    fixtures.scene(world)
    files = _files(build_research_export(world.people["coordinator"]).content)
    for row in _rows(files, "classes.csv"):
        assert row["english_learner_groups"] == ""
        assert row["sex_groups"].startswith("Not specified=12:")
    for row in _rows(files, "students.csv"):
        assert row["english_learner"] == ""
        assert row["sex"] == "Not specified"


def test_with_a_smaller_minimum_the_groups_are_given(world: Any, settings: Any) -> None:
    """Five learners and seven others, with a minimum of five: both groups are shown."""
    settings.MIN_GROUP_SIZE = 5
    world.students[1].english_learner = True
    world.students[1].save()
    fixtures.scene(world)
    files = _files(build_research_export(world.people["coordinator"]).content)
    row = _rows(files, "classes.csv")[0]
    assert row["english_learner_groups"].startswith("No=7:")
    assert ";Yes=5:" in row["english_learner_groups"]
    learners = [r for r in _rows(files, "students.csv") if r["english_learner"] == "Yes"]
    assert len(learners) == 5 * 5


def test_a_school_with_few_students_is_written_as_other(world: Any) -> None:
    """Birch has no enabled student: a program there names it "Other"; Cedar (twelve)
    keeps a key."""
    from datetime import date

    from uptake.programs.actions import do_create_program

    fixtures.scene(world)
    do_create_program(actor=world.people["coordinator"], name="Birch labs", kind="course",
                      starts_on=date(2026, 9, 1), schools=[world.birch])
    files = _files(build_research_export(world.people["coordinator"]).content)
    schools = {r["name"]: r["schools"] for r in _rows(files, "programs.csv")}
    assert schools["Birch labs"] == "Other"
    assert KEY.fullmatch(schools[fixtures.programs.TITLE])
    assert {r["school"] for r in _rows(files, "classes.csv")} == {
        schools[fixtures.programs.TITLE]}


def test_the_dictionary_names_every_column_of_every_file(world: Any) -> None:
    fixtures.scene(world)
    files = _files(build_research_export(world.people["coordinator"]).content)
    described = {(f, c) for f, c, _meaning, _rule in DICTIONARY}
    for name in ("classes.csv", "students.csv", "programs.csv", "participation.csv"):
        header = next(csv.reader(io.StringIO(files[name])))
        assert {(name, column) for column in header} <= described, name
    assert _rows(files, "dictionary.csv")[0].keys() == {"file", "column", "meaning",
                                                         "suppression"}
    assert all(attr in files["students.csv"].splitlines()[0] for attr in ATTRIBUTES)


def test_it_is_audited_with_its_row_counts_and_never_the_key(world: Any,
                                                             monkeypatch: Any) -> None:
    fixtures.scene(world)
    drawn: list[bytes] = []
    real = secrets.token_bytes

    def remember(n: int) -> bytes:
        value = real(n)
        drawn.append(value)
        return value

    monkeypatch.setattr("uptake.reports.research.secrets.token_bytes", remember)
    build_research_export(world.people["researcher"])
    event = AuditEvent.objects.get(action="research_exported")
    assert event.actor == world.people["researcher"]
    assert event.details["rows"] == {"classes.csv": 5, "students.csv": 60,
                                     "programs.csv": 1, "participation.csv": 1}
    (key,) = drawn
    stored = f"{event.summary} {event.details}"
    assert key.hex() not in stored and repr(key) not in stored
