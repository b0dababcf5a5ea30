"""Reading community exports: the format is found from the content, every problem is named
by file, row, column and what was wrong, and the reader streams."""

from __future__ import annotations

import csv
import io
import itertools
import json
import pickle
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from uptake.analysis.community import (
    MAX_ITEM_CHARS,
    MAX_ROW_BYTES,
    MAX_TEXT_CHARS,
    Contribution,
    ContributionError,
    read_contributions,
)

ROWS: list[dict[str, Any]] = [
    {"id": "t3_p1", "author": "ann", "created_utc": 1609502400, "score": 5,
     "title": "Exit tickets", "selftext": "Do they work?", "parent_id": "", "link_id": ""},
    {"id": "c1", "author": "bob", "created_utc": "2021-01-01T13:00:00Z", "score": -2,
     "title": "", "body": "Yes, daily.", "parent_id": "t3_p1", "link_id": "t3_p1"},
    {"id": "c2", "author": "cat", "created_utc": "2021-01-01T14:00:00", "score": None,
     "title": "", "body": "Agreed", "parent_id": "c1", "link_id": "p1"},
]
EXPECTED = [
    Contribution(id="p1", author="ann", created=datetime(2021, 1, 1, 12, tzinfo=UTC), score=5,
                 title="Exit tickets", body="Do they work?", parent="", is_post=True, row=1),
    Contribution(id="c1", author="bob", created=datetime(2021, 1, 1, 13, tzinfo=UTC),
                 score=-2, title="", body="Yes, daily.", parent="p1", is_post=False,
                 thread="p1", row=2),
    Contribution(id="c2", author="cat", created=datetime(2021, 1, 1, 14, tzinfo=UTC),
                 score=None, title="", body="Agreed", parent="c1", is_post=False,
                 thread="p1", row=3),
]
HEADER = "id,author,created_utc,score,title,selftext,body,parent_id,link_id"


def _csv(rows: list[dict[str, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER.split(","))
    for r in rows:
        writer.writerow(["" if r.get(k) is None else r.get(k, "") for k in HEADER.split(",")])
    return out.getvalue().encode()


def _read(data: bytes, name: str = "export.csv") -> list[Contribution]:
    return list(read_contributions(io.BytesIO(data), file_name=name))


@pytest.mark.parametrize("data", [
    pytest.param(_csv(ROWS), id="csv"),
    pytest.param(b"\xef\xbb\xbf" + _csv(ROWS).replace(b"\n", b"\r\n"), id="csv-bom-crlf"),
    pytest.param(json.dumps(ROWS).encode(), id="json-array"),
    pytest.param(b"\xef\xbb\xbf \n " + json.dumps(ROWS, indent=2).encode(), id="json-bom"),
    pytest.param("\n".join(json.dumps(r) for r in ROWS).encode() + b"\n", id="json-lines"),
])
def test_it_tells_the_format_from_the_content(data: bytes) -> None:
    assert _read(data, "upload.txt") == EXPECTED


def test_it_accepts_created_and_parent_without_prefixes() -> None:
    data = (b"id,author,created,body,parent\n"
            b"a,ann,2021-01-01T12:00:00+02:00,hi,\n"
            b"b,bob,1609502400.5,yo,a\n")
    post, reply = _read(data)
    assert post.created == datetime(2021, 1, 1, 10, tzinfo=UTC) and post.is_post
    assert reply.parent == "a" and not reply.is_post
    assert reply.created == datetime(2021, 1, 1, 12, 0, 0, 500000, tzinfo=UTC)


def test_a_comment_with_only_a_link_id_answers_the_post() -> None:
    [reply] = _read(json.dumps([{"id": "c", "author": "a", "created_utc": 1,
                                 "body": "x", "link_id": "t3_p"}]).encode(), "x.json")
    assert (reply.parent, reply.thread, reply.is_post) == ("p", "p", False)


def _error(data: bytes, name: str = "export.csv") -> ContributionError:
    with pytest.raises(ContributionError) as caught:
        _read(data, name)
    return caught.value


CSV_ERRORS = [
    # (what, data, row, column, words in the message)
    ("missing column", b"id,created_utc,body\n1,1,x\n", 0, "author", "no such column"),
    ("no date column", b"id,author,body\n1,a,x\n", 0, "created_utc", "no such column"),
    ("no text column", b"id,author,created_utc\n1,a,1\n", 0, "body", "no text"),
    ("empty file", b"", 0, "", "empty"),
    ("missing id", _csv([{**ROWS[0], "id": ""}]), 1, "id", "id is missing"),
    ("missing author", _csv([ROWS[0], {**ROWS[1], "author": " "}]), 2, "author", "missing"),
    ("bad date", _csv([ROWS[0], {**ROWS[1], "created_utc": "yesterday"}]), 2,
     "created_utc", "not a date"),
    ("milliseconds", _csv([{**ROWS[0], "created_utc": 1609502400000000}]), 1, "created_utc",
     "milliseconds"),
    ("missing date", _csv([{**ROWS[0], "created_utc": ""}]), 1, "created_utc", "missing"),
    ("duplicate id", _csv([ROWS[0], ROWS[1], {**ROWS[2], "id": "t1_c1"}]), 3, "id",
     "already used"),
    ("fractional score", _csv([{**ROWS[0], "score": "3.5"}]), 1, "score", "whole number"),
    ("formula score", _csv([ROWS[0], {**ROWS[1], "score": "=1+cmd|' /C calc'!A0"}]), 2,
     "score", "whole number"),
    ("too many cells", _csv(ROWS[:1]) + b"x,y,1,1,,,,,,extra\n", 2, "", "10 cells"),
    ("too few cells", _csv(ROWS[:1]) + b"x,y,1\n", 2, "", "3 cells"),
    ("text too long", _csv([ROWS[0], {**ROWS[1], "body": "x" * (MAX_TEXT_CHARS + 1)}]), 2,
     "body", "too long"),
    ("cell over the csv limit", _csv(ROWS[:1]) + b'x,y,1,1,"' + b"a\n" * 70_000 + b'",,,,\n',
     2, "", "longer than"),
    ("row too long", _csv(ROWS[:2]) + b"z" * (MAX_ROW_BYTES + 5) + b"\n", 3, "", "too long"),
    ("NUL in a row", _csv([ROWS[0], {**ROWS[1], "body": "long " * 200}])
     + b"z,a\x00b,1,,,,x,,\n", 3, "", "binary"),
    ("NUL at the start", b"id,author\x00", 0, "", "binary"),
    ("not UTF-8", _csv(ROWS[:2]) + "z,b,1,,,,caf\u00e9,,\n".encode("latin-1"), 3, "",
     "not UTF-8"),
    ("binary file", b"\x00\x01\x02" * 100, 0, "", "binary"),
    ("gzip file", b"\x1f\x8b\x08\x00" + b"x" * 50, 0, "", "compressed"),
]


@pytest.mark.parametrize(("data", "row", "column", "words"),
                         [pytest.param(*case[1:], id=case[0]) for case in CSV_ERRORS])
def test_each_csv_problem_is_named_by_row_and_column(data: bytes, row: int, column: str,
                                                     words: str) -> None:
    error = _error(data)
    assert (error.file, error.row, error.column) == ("export.csv", row, column)
    assert words in error.message
    sentence = str(error)
    assert sentence.startswith("export.csv, ")
    assert (f"row {row}" in sentence) if row else ("row" not in sentence.split(":")[0])
    assert (f"column {column}" in sentence) if column else True


JSON_ERRORS = [
    ("truncated array", b'[{"id": "a", "author": "x", "created_utc": 1, "body": "b"}, {"id"',
     2, "", "not valid JSON"),
    ("unclosed array", b'[{"id": "a", "author": "x", "created_utc": 1, "body": "b"}', 1, "",
     "not closed"),
    ("missing comma", b'[{"id": "a", "author": "x", "created_utc": 1} {"id": "b"}]', 1, "",
     "separated by commas"),
    ("text after the array", b'[{"id": "a", "author": "x", "created_utc": 1}] []', 1, "",
     "more after"),
    ("not an object", b'[{"id": "a", "author": "x", "created_utc": 1}, 42]', 2, "",
     "JSON object"),
    ("broken line", b'{"id": "a", "author": "x", "created_utc": 1}\n{"id": "b", author}\n',
     2, "", "not valid JSON"),
    ("missing id", b'{"author": "x", "created_utc": 1}', 1, "id", "id is missing"),
    ("null id", b'{"id": null, "author": "x", "created_utc": 1}', 1, "id", "id is missing"),
    ("id as a float", b'{"id": 1.5, "author": "x", "created_utc": 1}', 1, "id", "a number"),
    ("author as a number", b'{"id": "a", "author": 7, "created_utc": 1}', 1, "author",
     "must be text"),
    ("date as true", b'{"id": "a", "author": "x", "created_utc": true}', 1, "created_utc",
     "true/false"),
    ("date as NaN", b'{"id": "a", "author": "x", "created_utc": NaN}', 1, "created_utc",
     "not a date"),
    ("score as text", b'{"id": "a", "author": "x", "created_utc": 1, "score": "lots"}', 1,
     "score", "whole number"),
    ("score as true", b'{"id": "a", "author": "x", "created_utc": 1, "score": true}', 1,
     "score", "whole number"),
    ("body as a list", b'{"id": "a", "author": "x", "created_utc": 1, "body": ["b"]}', 1,
     "body", "a list"),
    ("title as an object", b'{"id": "a", "author": "x", "created_utc": 1, "title": {}}', 1,
     "title", "an object"),
    ("duplicate id", b'{"id": "a", "author": "x", "created_utc": 1}\n'
     b'{"id": "t3_a", "author": "y", "created_utc": 2}', 2, "id", "already used"),
    ("huge item", b'[{"id": "a", "author": "x", "created_utc": 1, "body": "'
     + b"y" * (MAX_ITEM_CHARS + 10) + b'"}]', 1, "", "too long"),
    ("not UTF-8 in item 2", b'{"id": "a", "author": "x", "created_utc": 1}\n'
     b'{"id": "b", "author": "caf\xe9", "created_utc": 1}\n', 2, "", "not UTF-8"),
]


@pytest.mark.parametrize(("data", "row", "column", "words"),
                         [pytest.param(*case[1:], id=case[0]) for case in JSON_ERRORS])
def test_each_json_problem_is_named_by_item_and_field(data: bytes, row: int, column: str,
                                                      words: str) -> None:
    error = _error(data, "export.json")
    assert (error.file, error.row, error.column, error.unit) == ("export.json", row, column,
                                                                 "item")
    assert words in error.message
    assert f"export.json, item {row}" in str(error)
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


def test_a_formula_in_a_text_field_is_just_text() -> None:
    [post] = _read(_csv([{**ROWS[0], "title": "=HYPERLINK(\"http://x\")", "author": "@cmd"}]))
    assert post.title == '=HYPERLINK("http://x")' and post.author == "@cmd"


class _Endless(io.RawIOBase):
    """An export that never ends: reading all of it first would never return."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._left = b""
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._left:
            self._left = next(self._chunks)
        n = min(len(buffer), len(self._left))
        buffer[:n] = self._left[:n]
        self._left = self._left[n:]
        self.served += n
        return n


def _endless(kind: str) -> Iterator[bytes]:
    if kind == "csv":
        yield b"id,author,created_utc,body\n"
    elif kind == "array":
        yield b"["
    for n in itertools.count():
        row = {"id": f"i{n}", "author": f"a{n % 7}", "created_utc": 1_600_000_000 + n,
               "body": "text " * 20}
        if kind == "csv":
            yield f"i{n},a{n % 7},{1_600_000_000 + n},{'text ' * 20}\n".encode()
        else:
            yield json.dumps(row).encode() + (b"," if kind == "array" else b"\n")


@pytest.mark.parametrize("kind", ["csv", "lines", "array"])
def test_it_streams_rather_than_reading_the_whole_file(kind: str) -> None:
    stream = _Endless(_endless(kind))
    first = list(itertools.islice(read_contributions(stream, file_name="big"), 3000))  # type: ignore[arg-type]
    assert [c.id for c in first[:2]] == ["i0", "i1"] and len(first) == 3000
    # 3000 rows of ~150 bytes: what was read stays within a few buffers of that.
    assert stream.served < 3000 * 200 + 4 * 65536
