"""The online-community API (/api/v1/communities): start an import, follow its progress,
read its measures and sample, code an item, delete it; the owner only, pseudonyms only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from uptake.networks.actions.community import run_import
from uptake.networks.models import CommunityImport
from uptake.networks.tests.examples_community import AUTHORS, done, started, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _no_author(content: bytes) -> None:
    text = content.decode().lower()
    for author in AUTHORS:
        assert author.lower() not in text


def _start(client: Any) -> Any:
    return client.client.post("/api/v1/communities", {
        "name": "r/Teachers", "period_months": "6", "file": upload()},
        headers=client._headers(None))


def test_she_starts_an_import_follows_it_and_reads_its_measures(world: Any, api: Any
                                                                ) -> None:
    client = api(world.people["coach"])
    response = _start(client)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["progress"], body["name"], body["can_retry"]) == (
        "queued", 0.0, "r/Teachers", False)
    early = client.get(f"/communities/{body['id']}/result")
    assert early.status_code == 409 and early.json()["error"]["code"] == "conflict"
    run_import(body["id"])  # as the worker would
    status = client.get(f"/communities/{body['id']}").json()
    assert (status["status"], status["progress"], status["contributions"],
            status["dropped"]) == ("done", 1.0, 5, 1)
    result = client.get(f"/communities/{body['id']}/result")
    assert result.status_code == 200
    periods = result.json()["result"]["periods"]
    assert [p["contributions"] for p in periods] == [3, 2]
    assert {"per_day", "response_rate", "network"} <= set(periods[0])
    _no_author(result.content)
    listed = client.get("/communities").json()
    assert [i["id"] for i in listed["results"]] == [body["id"]]


def test_she_codes_the_sample_and_the_codebook_decides_what_fits(world: Any, api: Any
                                                                 ) -> None:
    ci = done(world)
    client = api(world.people["teacher"])
    sample = client.get(f"/communities/{ci.pk}/sample")
    assert sample.status_code == 200 and len(sample.json()) == 5
    _no_author(sample.content)
    comment = next(i for i in sample.json() if not i["is_post"])
    path = f"/communities/{ci.pk}/sample/{comment['position']}"
    coded = client.put(path, {"code": "advice", "note": "Concrete"})
    assert coded.status_code == 200
    assert (coded.json()["code"], coded.json()["note"]) == ("advice", "Concrete")
    wrong = client.put(path, {"code": "question"})  # a post's code
    assert wrong.status_code == 400
    assert wrong.json()["error"]["fields"]["code"][0].startswith("“question” is not a code")
    unknown = client.put(path, {"code": "<script>"})
    assert unknown.status_code == 400
    taken_back = client.put(path, {"code": ""})
    assert taken_back.json()["code"] == "" and taken_back.json()["coded_at"] is None
    assert client.put(f"/communities/{ci.pk}/sample/999", {"code": ""}).status_code == 404


def test_a_failed_import_says_why_and_a_kept_file_is_read_again(world: Any, api: Any
                                                               ) -> None:
    from uptake.networks.actions.community import worker_lost

    ci = started(world)
    worker_lost(ci.pk)
    client = api(world.people["teacher"])
    status = client.get(f"/communities/{ci.pk}").json()
    assert status["status"] == "failed" and status["can_retry"]
    assert "background worker stopped" in status["error"]
    result = client.get(f"/communities/{ci.pk}/result")
    assert result.status_code == 409 and "failed" in result.json()["error"]["message"]
    again = client.post(f"/communities/{ci.pk}/retry")
    assert again.status_code == 200 and again.json()["status"] == "queued"
    assert client.post(f"/communities/{ci.pk}/retry").status_code == 409


def test_deleting_takes_it_away(world: Any, api: Any) -> None:
    ci = done(world)
    client = api(world.people["teacher"])
    assert client.delete(f"/communities/{ci.pk}").status_code == 204
    assert not CommunityImport.objects.exists()
    assert client.get(f"/communities/{ci.pk}").status_code == 404


def test_another_persons_import_is_not_found(world: Any, api: Any) -> None:
    ci = done(world)
    for persona in ("colleague", "coordinator", "researcher", "other_coordinator"):
        client = api(world.people[persona])
        assert client.get(f"/communities/{ci.pk}").status_code == 404
        assert client.get("/communities").json()["results"] == []
