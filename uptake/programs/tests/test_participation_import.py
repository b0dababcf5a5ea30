"""Importing participation: every problem named by file, row and column; a file with any
problem saves nothing; hostile files refused; the API's JSON list checked the same way."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.programs import actions, imports
from uptake.programs.models import Attendance, Participant
from uptake.programs.tests import fixtures
from uptake.rules import RowProblem

pytestmark = pytest.mark.django_db


def _check(program: Any, text: str, name: str = "roll.csv") -> list[Any]:
    return imports.check(program, imports.read_file(name, text.encode()), name=name)


def _refusal(program: Any, content: bytes | str, name: str = "roll.csv") -> Any:
    raw = content.encode() if isinstance(content, str) else content
    with pytest.raises(imports.ParticipationRefused) as caught:
        imports.check(program, imports.read_file(name, raw), name=name)
    return caught.value


def _upload(login: Any, world: Any, program: Any, content: bytes, name: str) -> Any:
    return login(world.people["coordinator"]).post(
        reverse("programs:import", args=[program.pk]),
        {"file": SimpleUploadedFile(name, content)})


def test_a_good_file_enrols_marks_attendance_and_sets_statuses(world: Any, login: Any) -> None:
    program = fixtures.program(world)
    text = ("Email,Session,Attended,Status\n"
            "asha@maple.test,2026-09-14,yes,\n"
            "\n"
            "asha@maple.test,Talk moves,no,completed\n"
            "jamie@maple.test,,,withdrawn\n")
    response = _upload(login, world, program, text.encode(), "roll.csv")
    assert response.status_code == 302
    asha = program.participants.get(person=world.people["colleague"])
    assert asha.status == "completed" and asha.completed_on is not None
    assert program.participants.get(person=world.people["teacher"]).status == "withdrawn"
    assert set(Attendance.objects.filter(person=world.people["colleague"])
               .values_list("session__title", "present")) == {("Launch", True),
                                                              ("Talk moves", False)}
    event = AuditEvent.objects.get(action="participation_imported")
    assert event.details["enrolled"] == 1 and event.details["rows"] == 3


def test_every_bad_row_is_named_and_nothing_is_saved(world: Any, login: Any) -> None:
    program = fixtures.program(world)
    before = (Participant.objects.count(), Attendance.objects.count())
    text = ("email,session,attended,status\n"
            "asha@maple.test,2026-09-14,yes,\n"          # fine, but not saved
            "nobody@maple.test,2026-09-14,yes,\n"        # unknown person
            "miguel@maple.test,2026-12-25,yes,\n"        # unknown session
            "miguel@maple.test,Launch,maybe,\n"          # not yes or no
            "asha@maple.test,2026-09-14,no,\n"           # duplicate of row 2
            "olive@oak.test,,,enrolled\n"                # another district's person
            "cora@maple.test,,,done\n"                   # not a status
            "cora@maple.test,Launch,,\n")                # session without attended
    refusal = _refusal(program, text)
    assert refusal.rows == [
        RowProblem(3, "email", "No one in the district has the email nobody@maple.test."),
        RowProblem(4, "session", "The program has no session “2026-12-25” (give a session's "
                                 "date or title, as on the program's page)."),
        RowProblem(5, "attended", "“maybe” is not yes or no."),
        RowProblem(6, "session", "The same person and session as row 2."),
        RowProblem(7, "email", "No one in the district has the email olive@oak.test."),
        RowProblem(8, "status", "“done” is not a status: write enrolled, completed or "
                                "withdrawn."),
        RowProblem(9, "attended", "Say whether the person attended: yes or no."),
    ]
    assert refusal.message == ("roll.csv: 7 problems found; nothing was saved. Correct the "
                               "rows below and upload the file again.")
    page = _upload(login, world, program, text.encode(), "roll.csv").content.decode()
    assert "<td>roll.csv</td><td class=\"num\">3</td><td>email</td>" in page
    assert (Participant.objects.count(), Attendance.objects.count()) == before
    assert not AuditEvent.objects.filter(action="participation_imported").exists()


def test_a_person_by_staff_identifier_and_conflicting_statuses(world: Any) -> None:
    program = fixtures.program(world)
    asha = world.people["colleague"]
    asha.staff_identifier = "T-0042"
    asha.save()
    rows = _check(program, "staff_identifier,status\nT-0042,enrolled\n")
    assert [r.person for r in rows] == [asha]
    refusal = _refusal(program, "staff id,status\nT-0042,enrolled\nT-0042,withdrawn\n")
    assert refusal.rows == [RowProblem(3, "status", "Row 2 gives this person the status "
                                                    "enrolled.")]


def test_the_header_is_checked(world: Any) -> None:
    program = fixtures.program(world)
    refusal = _refusal(program, "name,session\nJamie,Launch\n")
    assert refusal.rows == [
        RowProblem(1, "name", "Uptake does not read this column (use email or "
                              "staff_identifier, session, attended, status)."),
        RowProblem(1, "email", "The header needs an email or a staff_identifier column."),
    ]


def test_two_sessions_on_one_day_need_the_title(world: Any) -> None:
    program = fixtures.program(world)
    actions.do_add_session(program, actor=world.people["coordinator"],
                           held_on=date(2026, 9, 14), title="Afternoon")
    refusal = _refusal(program, "email,session,attended\njamie@maple.test,2026-09-14,yes\n")
    assert refusal.rows == [RowProblem(2, "session", "2 sessions were held on 2026-09-14; "
                                                     "give the session's title instead.")]
    assert _check(program, "email,session,attended\njamie@maple.test,afternoon,yes\n")


def test_the_wrong_encoding_is_refused_with_what_to_do(world: Any) -> None:
    program = fixtures.program(world)
    refusal = _refusal(program, "email,status\nrené@maple.test,enrolled\n".encode("latin-1"))
    assert refusal.message == ("roll.csv: Line 2 is not UTF-8 text (byte 0xe9). Save the file "
                               "as “CSV UTF-8” and upload it again.")
    refusal = _refusal(program, "email\njamie@maple.test\n".encode("utf-16"))
    assert "NUL bytes" in refusal.message


def test_a_huge_file_is_refused_before_it_is_read(world: Any, login: Any) -> None:
    program = fixtures.program(world)
    huge = b"email,status\n" + b"jamie@maple.test,enrolled\n" * 300_000
    assert _upload(login, world, program, huge, "huge.csv").status_code == 413  # the site's cap
    refusal = _refusal(program, huge, "huge.csv")
    assert refusal.message.startswith("huge.csv: The file is 7,800,013 bytes; the limit is "
                                      "5,242,880")
    many = "email,status\n" + "jamie@maple.test,enrolled\n" * (imports.MAX_ROWS + 1)
    refusal = _refusal(program, many)
    assert refusal.message == ("roll.csv: the file has 5,001 rows; the limit is 5,000. Split "
                               "it into smaller files.")
    assert Participant.objects.count() == 1


def test_an_excel_file_is_read_and_a_formula_refused(world: Any) -> None:
    import openpyxl

    program = fixtures.program(world)

    def workbook(*rows: tuple[Any, ...]) -> bytes:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    good = workbook(("email", "session", "attended"),
                    ("asha@maple.test", date(2026, 10, 12), "yes"))
    rows = imports.check(program, imports.read_file("roll.xlsx", good), name="roll.xlsx")
    assert rows[0].session.title == "Talk moves"  # type: ignore[union-attr]
    bad = workbook(("email", "status"), ("=HYPERLINK(\"http://evil\")", "enrolled"))
    with pytest.raises(imports.ParticipationRefused, match="holds a formula"):
        imports.read_file("roll.xlsx", bad)


def test_a_formula_in_a_csv_is_only_an_unknown_person(world: Any, login: Any) -> None:
    program = fixtures.program(world)
    refusal = _refusal(program, "email,status\n=cmd|' /C calc'!A0,enrolled\n")
    assert refusal.rows[0].column == "email"
    assert Participant.objects.count() == 1


def test_the_api_imports_a_json_list_with_the_same_checks(world: Any, api: Any) -> None:
    program = fixtures.program(world)
    client = api(world.people["coordinator"])
    refused = client.post(f"/programs/{program.pk}/participation", {"rows": [
        {"email": "asha@maple.test", "session": "Launch", "attended": "yes"},
        {"email": "ghost@maple.test", "status": "enrolled"}]})
    assert refused.status_code == 400
    assert refused.json()["error"]["rows"] == [
        {"row": 2, "column": "email",
         "message": "No one in the district has the email ghost@maple.test."}]
    assert Participant.objects.count() == 1
    done = client.post(f"/programs/{program.pk}/participation", {"rows": [
        {"email": "asha@maple.test", "session": "Launch", "attended": "yes"}]})
    assert done.status_code == 200
    assert done.json() == {"rows": 1, "enrolled": 1, "status_changed": 0, "attendance": 1}
