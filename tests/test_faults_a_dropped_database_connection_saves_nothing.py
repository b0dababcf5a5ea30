"""The database connection drops in the middle of a submission or an import: nothing is
half-saved, the person is told to send it again (503 with Retry-After: a page, or the
API's error envelope), and sending it again saves it once.

Each test drops the connection at every statement of the write's transaction in turn
(tests/faults_support.py): on PostgreSQL by shutting the connection's socket, on SQLite
by the error the driver would raise. The PostgreSQL-only test at the end has another
session end the connection with ``pg_terminate_backend``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.faults_support import ON_POSTGRES, assert_told_to_retry, every_drop
from uptake.idempotency import FIELD

pytestmark = pytest.mark.django_db(transaction=True)

DAY = dt.date(2026, 10, 5)


def _measure(world: Any, kind: str = "score") -> Any:
    from uptake.inquiry.actions import do_create_inquiry, do_create_measure

    teacher = world.people["teacher"]
    inquiry = do_create_inquiry(teacher, title="Math talk", status="active")
    return do_create_measure(teacher, inquiry, sections=[world.section], name="Exit ticket",
                             kind=kind, scale_min=0, scale_max=10, direction="up")


def _key(client: Any, url: str) -> str:
    found = re.search(rf'name="{FIELD}" value="([^"]+)"', client.get(url).content.decode())
    assert found, url
    return found.group(1)


@pytest.mark.parametrize("how", ["socket"] if ON_POSTGRES else ["operational", "interface"])
def test_saving_an_occasion_s_values_saves_all_of_them_or_none(
        world: Any, login: Any, how: str) -> None:
    from uptake.inquiry.models import Occasion, StudentValue

    measure = _measure(world)
    client = login(world.people["teacher"])
    url = reverse("inquiry:enter", args=[measure.pk, world.section.pk])
    data = {"when": DAY.isoformat(), "label": "", FIELD: _key(client, url),
            **{f"v-{s.pk}": str(i % 10) for i, s in enumerate(world.students)}}

    retried, drops = every_drop(lambda: client.post(url, data), how=how)

    assert retried.status_code == 302
    assert drops >= 2
    occasion = Occasion.objects.get(measure=measure)
    assert StudentValue.objects.filter(occasion=occasion).count() == len(world.students)


def test_the_api_answers_a_drop_with_the_envelope_and_a_retry_saves_once(
        world: Any, api: Any) -> None:
    from uptake.inquiry.models import Occasion, StudentValue

    measure = _measure(world)
    client = api(world.people["teacher"])
    url = f"/api/v1/measures/{measure.pk}/occasions/{DAY.isoformat()}"
    body = {"values": [{"student": s.pseudonym, "value": 5} for s in world.students]}

    def put() -> Any:
        return client.put(url, body, **{"Idempotency-Key": "sync-2026-10-05"})

    retried, _ = every_drop(put, as_json=True, stride=2)

    assert retried.status_code == 201, retried.content
    assert put().headers.get("Idempotent-Replayed") == "true"
    assert Occasion.objects.filter(measure=measure).count() == 1
    assert StudentValue.objects.count() == len(world.students)


def test_a_measure_import_is_applied_whole_or_not_and_its_preview_stays_to_apply_again(
        world: Any, login: Any) -> None:
    from uptake.inquiry.models import Occasion

    measure = _measure(world, kind="proportion")
    client = login(world.people["teacher"])
    csv = b"date,numerator,denominator\n" + b"".join(
        f"2026-09-{day:02d},{day % 12},12\n".encode() for day in range(1, 21))
    preview = client.post(reverse("inquiry:import", args=[measure.pk, world.section.pk]),
                          {"file": SimpleUploadedFile("weeks.csv", csv)}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', preview)
    key = re.search(rf'name="{FIELD}" value="([^"]+)"', preview)
    assert token and key
    url = reverse("inquiry:import_apply", args=[measure.pk, world.section.pk])

    retried, drops = every_drop(
        lambda: client.post(url, {"token": token.group(1), FIELD: key.group(1)}), stride=3)

    assert retried.status_code == 302 and retried["Location"] == reverse(
        "inquiry:measure", args=[measure.pk])
    assert drops >= 2
    assert Occasion.objects.filter(measure=measure).count() == 20


def test_submitting_a_credential_is_sent_whole_or_not_at_all(world: Any, login: Any) -> None:
    from uptake.credentials.models import Submission
    from uptake.credentials.tests import fixtures as credentials

    draft = credentials.learning_draft(world)
    client = login(world.people["teacher"])
    url = reverse("credentials:submit", args=[draft.pk])

    retried, drops = every_drop(lambda: client.post(url), stride=2)

    assert retried.status_code == 302 and drops >= 2
    draft.refresh_from_db()
    assert draft.state != Submission.State.DRAFT


def test_publishing_a_story_publishes_it_whole_or_not_at_all(world: Any, login: Any) -> None:
    from uptake.stories.tests import fixtures as stories

    story = stories.story(world, publish=False)
    client = login(world.people["teacher"])
    url = reverse("stories:publish", args=[story.pk])

    retried, drops = every_drop(lambda: client.post(url))

    assert retried.status_code == 302 and drops >= 2
    story.refresh_from_db()
    assert story.is_published


def test_an_edge_list_is_imported_whole_or_not_at_all(world: Any, login: Any) -> None:
    from uptake.networks.models import NetworkImport

    client = login(world.people["coordinator"])
    url = reverse("networks:import_edges")
    key = _key(client, url)
    rows = b"".join(f"Guest {i},jamie@maple.test,advice\n".encode() for i in range(8))

    def send() -> Any:
        return client.post(url, {
            "file": SimpleUploadedFile("edges.csv", b"from,to,relation\n" + rows),
            "direction": "flows", "observed_on": "2026-10-01", FIELD: key})

    retried, drops = every_drop(send, stride=2)

    assert retried.status_code == 302 and drops >= 2
    assert NetworkImport.objects.count() == 1


@pytest.mark.parametrize("at", [1, 3])
def test_a_community_read_that_lost_its_connection_keeps_the_file_to_read_again(
        world: Any, settings: Any, tmp_path: Any, at: int) -> None:
    """The worker's read of an online community's export: its measures and sample are
    saved whole or not at all; the import says to try again, its file kept."""
    from django.db import DatabaseError

    from tests.faults_support import connection_drops
    from uptake.networks.actions.community import BROKE, do_retry_import, run_import
    from uptake.networks.models import CodingItem, CommunityImport
    from uptake.networks.tests.examples_community import started

    settings.MEDIA_ROOT = tmp_path
    ci = started(world)

    with connection_drops(at) as drop, pytest.raises(DatabaseError):
        run_import(ci.pk)

    assert drop.fired
    ci.refresh_from_db()
    assert (ci.status, ci.error) == (CommunityImport.Status.FAILED, BROKE)
    assert not CodingItem.objects.filter(community_import=ci).exists()
    assert ci.upload.name and ci.upload.storage.exists(ci.upload.name)
    do_retry_import(ci, actor=world.people["teacher"])
    run_import(ci.pk)
    ci.refresh_from_db()
    assert ci.status == CommunityImport.Status.DONE


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_terminate_backend is PostgreSQL's")
def test_a_backend_ended_by_another_session_mid_save_saves_nothing(
        world: Any, login: Any) -> None:
    from uptake.inquiry.models import Occasion, StudentValue

    measure = _measure(world)
    client = login(world.people["teacher"])
    url = reverse("inquiry:enter", args=[measure.pk, world.section.pk])
    data = {"when": DAY.isoformat(), "label": "", FIELD: _key(client, url),
            **{f"v-{s.pk}": "7" for s in world.students}}

    retried, drops = every_drop(lambda: client.post(url, data), how="terminate", stride=2)

    assert retried.status_code == 302 and drops >= 2
    occasion = Occasion.objects.get(measure=measure)
    assert StudentValue.objects.filter(occasion=occasion).count() == len(world.students)


@pytest.mark.parametrize("path", ["/inquiries/new/", "/api/v1/inquiries"])
def test_the_answer_to_a_drop_asks_nothing_of_the_database(
        rf: Any, django_assert_num_queries: Any, path: str) -> None:
    """The database may be what is down: the 503 page and envelope are drawn without it
    (no menu, no notices)."""
    from django.db import OperationalError

    from uptake.operations.faults import fault_response

    with django_assert_num_queries(0):
        response = fault_response(rf.post(path), OperationalError("server closed the "
                                                                  "connection unexpectedly"))
    assert response is not None
    assert_told_to_retry(response, as_json=path.startswith("/api/"))
