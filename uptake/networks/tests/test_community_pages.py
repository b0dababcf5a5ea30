"""The online-community pages: her imports with their progress, the upload, the results
(every measure, the chart with its table, the reply network), coding, downloads; only
the owner reaches them, and no page or download shows an author's name."""

from __future__ import annotations

import csv
import io
from html import escape
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.networks.models import CommunityImport
from uptake.networks.tests.examples_community import AUTHORS, done, started, upload
from uptake.networks.views_community import MEASURES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _no_author(content: bytes) -> None:
    text = content.decode(errors="replace").lower()
    for author in AUTHORS:
        assert author.lower() not in text


def _url(name: str, ci: CommunityImport) -> str:
    return reverse(f"networks:{name}", kwargs={"community_id": ci.pk})


def test_she_uploads_an_export_and_lands_on_its_page(world: Any, login: Any) -> None:
    client = login(world.people["researcher"])
    response = client.post(reverse("networks:community_new"), {
        "name": "r/Teachers", "file": upload(), "period_months": "6"})
    ci = CommunityImport.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("community", ci)
    assert (ci.owner, ci.name, ci.period_months, ci.status) == (
        world.people["researcher"], "r/Teachers", 6, "queued")
    page = client.get(_url("community", ci))
    assert b"Waiting for its turn" in page.content
    assert b'hx-trigger="every 3s"' in page.content and b"<noscript>" in page.content


def test_the_list_shows_each_import_with_its_progress_and_polls_while_reading(
        world: Any, login: Any) -> None:
    client = login(world.people["teacher"])
    ci = started(world)
    CommunityImport.objects.filter(pk=ci.pk).update(status="running", progress=0.42,
                                                    rows_read=30_000)
    page = client.get(reverse("networks:communities"))
    assert b'<progress max="100" value="42">' in page.content
    assert b"30,000 rows read" in page.content
    phase = b"running-30000"
    assert phase in page.content
    # Nothing new: the poll gets 204; news: htmx is told to reload.
    url = reverse("networks:communities")
    same = client.get(url, {"shown": phase.decode()}, headers={"HX-Request": "true"})
    assert same.status_code == 204
    CommunityImport.objects.filter(pk=ci.pk).update(rows_read=40_000)
    moved = client.get(url, {"shown": phase.decode()}, headers={"HX-Request": "true"})
    assert moved.status_code == 200 and moved["HX-Refresh"] == "true"


def test_a_finished_page_stops_polling_and_shows_every_measure(world: Any, login: Any
                                                               ) -> None:
    ci = done(world)
    page = login(world.people["teacher"]).get(_url("community", ci))
    html = page.content.decode()
    assert "hx-trigger" not in html
    for measure in MEASURES:
        assert escape(measure.label) in html
    for period in ci.result["periods"]:
        assert escape(period["label"]) in html
    # The chart: an image with a title and a text alternative, and its data table.
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    assert "Contributions per day by period" in html
    assert "The reply network" in html
    _no_author(page.content)


def test_a_failed_import_says_why_and_offers_to_read_it_again_when_the_file_is_kept(
        world: Any, login: Any) -> None:
    from uptake.networks.actions.community import worker_lost

    ci = started(world)
    worker_lost(ci.pk)
    client = login(world.people["teacher"])
    page = client.get(_url("community", ci))
    assert b"This import failed" in page.content and b"background worker stopped" in (
        page.content)
    assert b"Read the file again" in page.content
    response = client.post(_url("community_retry", ci))
    assert response.status_code == 302
    ci.refresh_from_db()
    assert ci.status == "queued"


def test_only_the_owner_reaches_an_import(world: Any, login: Any) -> None:
    ci = done(world)
    for name in ("community", "community_coding", "community_delete", "community_csv",
                 "community_xlsx"):
        for persona in ("colleague", "coach", "leader", "coordinator", "researcher",
                        "other_coordinator", "assessor"):
            got = login(world.people[persona]).get(_url(name, ci))
            assert got.status_code == 404, (name, persona)
    assert b"r/Teachers" not in login(world.people["colleague"]).get(
        reverse("networks:communities")).content


def test_coding_gives_an_item_a_code_of_its_kind_and_counts_them(world: Any, login: Any
                                                                 ) -> None:
    ci = done(world)
    client = login(world.people["teacher"])
    page = client.get(_url("community_coding", ci))
    assert page.status_code == 200
    html = page.content.decode()
    assert "The codebook" in html and "Asks Question" in html and "Call for Change" in html
    _no_author(page.content)
    post = ci.coding_items.filter(is_post=True).first()
    assert post is not None
    response = client.post(_url("community_coding", ci), {
        "position": post.position, "code": "question", "note": "About grading"})
    assert response.status_code == 302 and response["Location"].endswith(
        f"#item-{post.position}")
    post.refresh_from_db()
    assert (post.code, post.note) == ("question", "About grading") and post.coded_at
    after = client.get(_url("community_coding", ci)).content.decode()
    assert "Posts: 1 of 2 coded" in after
    # A response's code does not fit a post: refused, nothing changed.
    refused = client.post(_url("community_coding", ci), {
        "position": post.position, "code": "advice", "note": ""})
    assert refused.status_code == 400 and "not a code of the codebook for a post" in (
        refused.content.decode())
    post.refresh_from_db()
    assert post.code == "question"
    assert AuditEvent.objects.filter(action="community_coded").count() == 1


def test_the_downloads_hold_every_measure_per_period_and_are_audited(world: Any,
                                                                     login: Any) -> None:
    ci = done(world)
    client = login(world.people["teacher"])
    response = client.get(_url("community_csv", ci))
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["community", "period"]
    assert rows[0][2:] == [m.key for m in MEASURES]
    assert len(rows) == 3  # two half-years
    contributions = rows[0].index("contributions")
    assert [r[contributions] for r in rows[1:]] == ["3", "2"]
    _no_author(response.content)
    xlsx = client.get(_url("community_xlsx", ci))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][2:] == [m.key for m in MEASURES] and len(values) == 3
    _no_author(str(values).encode())
    assert AuditEvent.objects.filter(action="community_downloaded").count() == 2


def test_a_download_of_an_import_not_yet_read_is_not_found(world: Any, login: Any) -> None:
    ci = started(world)
    assert login(world.people["teacher"]).get(_url("community_csv", ci)).status_code == 404


def test_a_community_name_that_looks_like_a_formula_is_made_safe(world: Any, login: Any
                                                                ) -> None:
    ci = done(world, name="=HYPERLINK(\"http://x\")")
    content = login(world.people["teacher"]).get(_url("community_csv", ci)).content.decode()
    assert "'=HYPERLINK" in content


def test_deleting_asks_first_then_takes_it_away(world: Any, login: Any) -> None:
    ci = done(world)
    client = login(world.people["teacher"])
    assert b"cannot be undone" in client.get(_url("community_delete", ci)).content
    response = client.post(_url("community_delete", ci))
    assert response.status_code == 302
    assert not CommunityImport.objects.exists()


def test_a_falling_trend_stays_a_number_in_the_csv_while_text_is_made_safe() -> None:
    from uptake.networks.views_community import _csv_cell

    assert _csv_cell(-0.25) == -0.25  # a falling trend, not the text "'-0.25"
    assert _csv_cell("-r/Teachers") == "'-r/Teachers"
    assert _csv_cell(None) == ""


def test_an_import_waiting_long_says_the_worker_may_not_be_running(world: Any, login: Any
                                                                   ) -> None:
    from datetime import timedelta

    from django.utils import timezone

    ci = started(world)
    client = login(world.people["teacher"])
    assert b"much longer than usual" not in client.get(_url("community", ci)).content
    CommunityImport.objects.filter(pk=ci.pk).update(
        created_at=timezone.now() - timedelta(minutes=11))
    assert b"much longer than usual" in client.get(_url("community", ci)).content
