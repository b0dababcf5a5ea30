"""Large measure imports: a problem anywhere in a big file (even its last row) is named by
row and column and nothing is saved; the fast, chunk-at-a-time check finds exactly what
checking row by row finds; and applying in batches is still all or nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from uptake.inquiry import imports
from uptake.inquiry.actions import do_apply_import
from uptake.inquiry.models import Occasion, StudentValue

FIRST = date(2026, 9, 1)
ROWS = 5_000


def _rows(world: Any, n: int = ROWS) -> list[str]:
    """n long-layout rows: every student, day after day (12 students: 417 days)."""
    return [f"{world.students[i % 12].pseudonym},{FIRST + timedelta(days=i // 12)},"
            f"{(i * 7) % 101}" for i in range(n)]


def _csv(lines: list[str]) -> bytes:
    return ("student_id,date,value\n" + "\n".join(lines) + "\n").encode()


def _upload(client: Any, measure: Any, world: Any, content: bytes) -> Any:
    return client.post(reverse("inquiry:import", args=[measure.pk, world.section.pk]),
                       {"file": SimpleUploadedFile("year.csv", content)})


@pytest.mark.parametrize(("last", "message"), [
    ("{s0},2026-09-01,fifty",
     "Row 5002, column &#x27;value&#x27;: &#x27;fifty&#x27; is not a number"),
    ("{s0},2026-09-01,55",  # row 2 gave this student's value for that day
     "Row 5002, column &#x27;student_id&#x27;: this student already has a value for "
     "2026-09-01 on row 2."),
    ("S-NOBODY,2028-01-01,55",
     "Row 5002, column &#x27;student_id&#x27;: &#x27;S-NOBODY&#x27; is not a student"),
    ("{s0},2028-02-30,55", "Row 5002, column &#x27;date&#x27;: &#x27;2028-02-30&#x27; is "
     "not a date"),
])
def test_a_large_file_with_a_problem_in_its_last_row_saves_nothing_and_names_it(
        world: Any, login: Any, measure: Any, last: str, message: str) -> None:
    content = _csv([*_rows(world), last.replace("{s0}", world.students[0].pseudonym)])
    r = _upload(login(world.people["teacher"]), measure, world, content)
    page = r.content.decode()
    assert r.status_code == 400
    assert "The file has 1 problem; nothing was saved" in page and message in page
    assert not Occasion.objects.exists() and not StudentValue.objects.exists()


def test_a_large_clean_file_is_previewed_then_imported_whole(world: Any, login: Any,
                                                             measure: Any) -> None:
    client = login(world.people["teacher"])
    page = _upload(client, measure, world, _csv(_rows(world, 12 * 417))).content.decode()
    assert "5004 rows" in page
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    client.post(reverse("inquiry:import_apply", args=[measure.pk, world.section.pk]),
                {"token": token})
    assert Occasion.objects.count() == 417
    assert StudentValue.objects.count() == 12 * 417
    assert StudentValue.objects.get(occasion__date=FIRST + timedelta(days=416),
                                    student=world.students[11]).value == (5003 * 7) % 101


def _messy_file(world: Any, seed: int) -> bytes:
    """Mostly good rows, with every kind of problem and oddity sprinkled in."""
    rng = random.Random(seed)
    students = [s.pseudonym for s in world.students] + [world.students[0].sourced_id]
    lines = []
    for i in range(3_000):
        sid, day, value = (rng.choice(students), f"{FIRST + timedelta(days=i // 13)}",
                           str(rng.randint(0, 100)))
        odd = rng.random()
        if odd < 0.01:
            sid = "S-STRANGER"
        elif odd < 0.02:
            day = "someday"
        elif odd < 0.03:
            value = rng.choice(["lots", "101", "-1", "NA", "", " 7 ", "1e999", "4,5"])
        elif odd < 0.04:
            lines.append(rng.choice(["", ",,", " , , "]))
            continue
        elif odd < 0.05:
            sid = f"  {sid.lower()} "
        elif odd < 0.06:
            lines.append(sid)  # a short row
            continue
        lines.append(f"{sid},{day},{value}")
    return _csv(lines)


def _parse(world: Any, measure: Any, content: bytes) -> tuple[Any, ...]:
    parsed = imports.parse_measure_file("messy.csv", content, measure=measure,
                                        students=world.students)
    return (parsed.layout, parsed.n_rows, parsed.errors,
            [(o.when, o.label, dict(o.values or {})) for o in parsed.occasions])


@pytest.mark.parametrize("seed", range(4))
def test_checking_a_chunk_at_a_time_finds_what_checking_row_by_row_finds(
        world: Any, measure: Any, monkeypatch: Any, seed: int) -> None:
    content = _messy_file(world, seed)
    monkeypatch.setattr(imports, "CHUNK", 64)  # many chunk boundaries
    fast = _parse(world, measure, content)
    monkeypatch.setattr(imports._LongLayout, "chunk", lambda self, chunk, start: 0)
    row_by_row = _parse(world, measure, content)
    assert fast == row_by_row
    assert fast[2]  # the file has problems, and they are the same ones


def test_a_clean_file_checked_a_chunk_at_a_time_keeps_every_value(world: Any,
                                                                   measure: Any) -> None:
    lines = _rows(world, 12 * 417)
    parsed = imports.parse_measure_file("year.csv", _csv(lines), measure=measure,
                                        students=world.students)
    assert not parsed.errors and parsed.n_rows == 12 * 417 and len(parsed.occasions) == 417
    by_pseudonym = {s.pk: s.pseudonym for s in world.students}
    kept = {(by_pseudonym[sid], str(o.when), v) for o in parsed.occasions
            for sid, v in (o.values or {}).items()}
    assert kept == {(s, d, float(v)) for s, d, v in (line.split(",") for line in lines)}


def test_a_malformed_row_deep_in_a_file_is_named(world: Any, measure: Any) -> None:
    content = _csv([*_rows(world), f'"{world.students[0].pseudonym},2028-01-01,5'])
    with pytest.raises(imports.ImportRefused, match="Row 5002: the CSV is malformed"):
        imports.parse_measure_file("broken.csv", content, measure=measure,
                                   students=world.students)


def test_a_preview_held_in_the_earlier_session_format_still_applies(world: Any,
                                                                     measure: Any) -> None:
    parsed = imports.parse_measure_file("year.csv", _csv(_rows(world, 24)), measure=measure,
                                        students=world.students)
    earlier = [{"when": o.when.isoformat(), "label": o.label,
                "values": {str(k): v for k, v in (o.values or {}).items()}, "total": None}
               for o in parsed.occasions]
    assert imports.from_session(earlier) == imports.from_session(imports.to_session(parsed))
    assert imports.from_session(earlier) == parsed.occasions


def test_an_import_that_fails_after_some_batches_were_written_saves_nothing(
        world: Any, measure: Any, monkeypatch: Any) -> None:
    from uptake.inquiry.actions import _ValueWriter

    monkeypatch.setattr(_ValueWriter, "BATCH", 1_000)
    parsed = imports.parse_measure_file("year.csv", _csv(_rows(world)), measure=measure,
                                        students=world.students)
    writes = []

    def fail_on_the_third_batch(execute: Any, sql: str, params: Any, many: bool,
                                context: Any) -> Any:
        if many and "inquiry_studentvalue" in sql:
            writes.append(sql)
            if len(writes) == 3:
                raise ConnectionError("the database went away")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_on_the_third_batch), \
            pytest.raises(ConnectionError):
        do_apply_import(world.people["teacher"], measure, world.section, parsed.occasions,
                        file_name="year.csv")
    assert len(writes) == 3
    assert not Occasion.objects.exists() and not StudentValue.objects.exists()
