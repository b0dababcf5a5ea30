"""The reports API: the case's words through a token, and the export as the page gives it."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from typing import Any

import pytest

from uptake.reports.tests import fixtures

pytestmark = pytest.mark.django_db


def test_the_coordinator_puts_words_and_a_draft_keeps_following_the_figures(
        world: Any, api: Any) -> None:
    program = fixtures.scene(world)
    client = api(world.people["coordinator"])
    url = f"/api/v1/reports/case?program_id={program.pk}"
    before = client.get(url).json()
    drafts = {p["key"]: p["draft"] for p in before["paragraphs"]}
    answer = client.put(url, json.dumps({"challenge": "Our readers needed talk.",
                                         "solution": drafts["solution"], "impact": ""}),
                        content_type="application/json")
    assert answer.status_code == 200
    paragraphs = {p["key"]: p for p in answer.json()["paragraphs"]}
    assert paragraphs["challenge"]["text"] == "Our readers needed talk."
    assert not paragraphs["challenge"]["from_figures"]
    assert paragraphs["solution"]["from_figures"] and paragraphs["impact"]["from_figures"]
    assert answer.json()["edited"] is True


def test_the_export_through_the_api_is_the_de_identified_zip(world: Any, api: Any) -> None:
    fixtures.scene(world)
    answer = api(world.people["researcher"]).post("/api/v1/reports/research-export")
    assert answer.status_code == 200
    body = answer.json()
    assert body["rows"]["classes.csv"] == 5
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(body["content_base64"]))) as archive:
        assert "dictionary.csv" in archive.namelist()
        raw = b"".join(archive.read(n) for n in archive.namelist())
    assert b"Kid" not in raw and b"stu-" not in raw
