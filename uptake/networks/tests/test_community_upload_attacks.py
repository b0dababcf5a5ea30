"""Attacks on the online-community upload, through the page and the API: each is refused
with a sentence naming the file (and the row and column where there is one), and nothing
is stored: no import row, no file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uptake.networks.models import CommunityImport

pytestmark = pytest.mark.django_db

HEADER = b"id,author,created_utc,title,body,parent_id\n"
ATTACKS = [
    pytest.param("export.xlsx", b"PK\x03\x04" + b"\x00" * 64,
                 "export.xlsx: Uptake reads an export as JSON", id="wrong type"),
    pytest.param("export.csv", b"", "export.csv is empty", id="empty"),
    pytest.param("export.csv", b"  \n\n", "export.csv is empty", id="only blanks"),
    pytest.param("export.csv", b"PK\x03\x04\x14\x00\x00\x00",
                 "export.csv is not a text file", id="a zip named csv"),
    pytest.param("export.csv", HEADER + "p1,Zoë,2024-01-01,T,B,\n".encode("latin-1"),
                 "export.csv is not UTF-8 text", id="not UTF-8"),
    pytest.param("export.json", b'[{"id": "p1", "author": "ann", "created_utc": 1704103200,'
                 b' "title": "T", "body": "B"}, {"id": "p2", ', "export.json, item 2",
                 id="malformed JSON"),
    pytest.param("export.jsonl", b'{"id": "p1", "author": "ann"}\n',
                 "export.jsonl, item 1, column created", id="JSON without a date"),
    pytest.param("export.csv", b"id,created_utc,title,body\np1,2024-01-01,T,B\n",
                 "export.csv, the header, column author: the header has no such column",
                 id="CSV missing a column"),
    pytest.param("export.csv", HEADER + b"p1,ann,2024-01-01T10:00:00Z,T,B,\n"
                 b"p2,bob,yesterday,T,B,\n", "export.csv, row 2, column created_utc",
                 id="a bad date in row 2"),
    pytest.param("export.csv", HEADER + b"p1,ann,2024-01-01T10:00:00Z,T,B,\n"
                 b"p1,bob,2024-01-01T11:00:00Z,T,B,\n", "export.csv, row 2, column id",
                 id="a duplicate id"),
]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _nothing_stored(settings: Any) -> None:
    assert not CommunityImport.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize(("name", "content", "says"), ATTACKS)
def test_the_page_refuses_it_saying_where(world: Any, login: Any, settings: Any,
                                         name: str, content: bytes, says: str) -> None:
    response = login(world.people["teacher"]).post(reverse("networks:community_new"), {
        "name": "r/Teachers", "period_months": "6",
        "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert says in response.content.decode().replace("&#x27;", "'")
    _nothing_stored(settings)


@pytest.mark.parametrize(("name", "content", "says"), ATTACKS)
def test_the_api_refuses_it_saying_where(world: Any, api: Any, settings: Any, name: str,
                                        content: bytes, says: str) -> None:
    client = api(world.people["teacher"])
    response = client.client.post("/api/v1/communities", {
        "name": "r/Teachers", "period_months": "6",
        "file": SimpleUploadedFile(name, content)}, headers=client._headers(None))
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert says in error["message"] and error["fields"] == {"file": [error["message"]]}
    _nothing_stored(settings)


def test_a_file_over_the_limit_is_refused_before_it_is_stored(world: Any, login: Any,
                                                              api: Any, settings: Any
                                                              ) -> None:
    settings.COMMUNITY_IMPORT_MAX_BYTES = 1024
    big = HEADER + b"".join(f"p{i},ann,2024-01-01T10:00:00Z,T,B,\n".encode()
                            for i in range(100))
    response = login(world.people["teacher"]).post(reverse("networks:community_new"), {
        "name": "r/Teachers", "period_months": "6",
        "file": SimpleUploadedFile("export.csv", big)})
    assert response.status_code == 400
    assert "the most Uptake accepts is 1,024" in response.content.decode()
    client = api(world.people["teacher"])
    refused = client.client.post("/api/v1/communities", {
        "name": "r/Teachers", "file": SimpleUploadedFile("export.csv", big)},
        headers=client._headers(None))
    assert refused.status_code == 400
    assert "(COMMUNITY_IMPORT_MAX_BYTES)" in refused.json()["error"]["message"]
    _nothing_stored(settings)


def test_a_body_over_the_limit_is_refused_at_the_door(settings: Any) -> None:
    """The request-size guard lets an upload page take the export's size, not more."""
    limit = settings.REQUEST_MAX_BYTES_BY_URL
    assert limit["networks:community_new"] > settings.COMMUNITY_IMPORT_MAX_BYTES
    assert limit["api-1:community_imports"] == limit["networks:community_new"]


def test_a_period_that_does_not_divide_the_year_is_refused(world: Any, api: Any,
                                                           settings: Any) -> None:
    from uptake.networks.tests.examples_community import upload

    client = api(world.people["teacher"])
    response = client.client.post("/api/v1/communities", {
        "name": "r/Teachers", "period_months": "5", "file": upload()},
        headers=client._headers(None))
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "period_months": ["A period divides the year: 1, 2, 3, 4, 6 or 12 months."]}
    _nothing_stored(settings)


def test_a_community_without_a_name_is_refused(world: Any, login: Any, settings: Any
                                               ) -> None:
    from uptake.networks.tests.examples_community import upload

    response = login(world.people["teacher"]).post(reverse("networks:community_new"), {
        "name": "   ", "period_months": "6", "file": upload()})
    assert response.status_code == 400
    _nothing_stored(settings)
