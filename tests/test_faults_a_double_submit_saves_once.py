"""The same data-entry post sent twice (a double click, a resend, two tabs, an API retry):
one thing is saved, and the second sending is told what the first did.

Creation forms in general: tests/test_creation_forms_create_once.py. Here: saving an
occasion's values, submitting a credential, importing the same measure file and the same
edge list, an API write replayed with its Idempotency-Key; and, on PostgreSQL, the same
posts from two threads at once.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.urls import reverse

from tests.faults_support import ON_POSTGRES
from uptake.idempotency import FIELD

DAY = dt.date(2026, 10, 5)
ALREADY = "That form had already been sent; this is what it saved."


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


def _grid(world: Any, value: str = "7") -> dict[str, str]:
    return {"when": DAY.isoformat(), "label": "",
            **{f"v-{s.pk}": value for s in world.students}}


@pytest.mark.django_db
def test_an_occasion_saved_twice_is_saved_once(world: Any, login: Any) -> None:
    from uptake.inquiry.models import Occasion, StudentValue

    measure = _measure(world)
    client = login(world.people["teacher"])
    url = reverse("inquiry:enter", args=[measure.pk, world.section.pk])
    data = {**_grid(world), FIELD: _key(client, url)}

    first, again = client.post(url, data), client.post(url, data)

    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert ALREADY in client.get(again["Location"]).content.decode()
    assert Occasion.objects.filter(measure=measure).count() == 1
    assert StudentValue.objects.count() == len(world.students)


@pytest.mark.django_db
def test_an_occasion_edited_twice_keeps_one_set_of_values(world: Any, login: Any) -> None:
    from uptake.inquiry.models import Occasion, StudentValue

    measure = _measure(world)
    client = login(world.people["teacher"])
    client.post(reverse("inquiry:enter", args=[measure.pk, world.section.pk]), _grid(world))
    occasion = Occasion.objects.get(measure=measure)
    url = reverse("inquiry:occasion", args=[occasion.pk])

    for _ in range(2):
        assert client.post(url, _grid(world, "9")).status_code == 302

    assert Occasion.objects.filter(measure=measure).count() == 1
    assert sorted(set(StudentValue.objects.values_list("value", flat=True))) == [9.0]
    assert StudentValue.objects.count() == len(world.students)


@pytest.mark.django_db
def test_a_credential_submitted_twice_is_sent_once(world: Any, login: Any) -> None:
    from uptake.audit.models import AuditEvent
    from uptake.credentials.models import Round
    from uptake.credentials.tests import fixtures as credentials

    draft = credentials.learning_draft(world)
    client = login(world.people["teacher"])
    url = reverse("credentials:submit", args=[draft.pk])

    first, again = client.post(url), client.post(url)

    assert first.status_code == again.status_code == 302
    assert Round.objects.filter(submission=draft).count() == 1
    assert AuditEvent.objects.filter(action="submission_submitted").count() == 1
    page = client.get(again["Location"]).content.decode()
    assert "Sent." in page


def _preview(client: Any, measure: Any, section: Any, csv: bytes) -> dict[str, str]:
    html = client.post(reverse("inquiry:import", args=[measure.pk, section.pk]),
                       {"file": SimpleUploadedFile("weeks.csv", csv)}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html)
    key = re.search(rf'name="{FIELD}" value="([^"]+)"', html)
    assert token and key, html[:3000]
    return {"token": token.group(1), FIELD: key.group(1)}


CSV = b"date,numerator,denominator\n2026-09-14,7,12\n2026-09-21,8,12\n"


@pytest.mark.django_db
def test_a_measure_import_applied_twice_or_imported_again_adds_nothing(
        world: Any, login: Any) -> None:
    from uptake.inquiry.models import ClassTotal, Occasion

    measure = _measure(world, kind="proportion")
    client = login(world.people["teacher"])
    url = reverse("inquiry:import_apply", args=[measure.pk, world.section.pk])
    sent = _preview(client, measure, world.section, CSV)

    first, again = client.post(url, sent), client.post(url, sent)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    # The same file uploaded and applied again updates the same dates.
    assert client.post(url, _preview(client, measure, world.section, CSV)).status_code == 302
    # Without the form's key, the preview it applied is gone.
    stale = client.post(url, {"token": sent["token"]})
    assert stale.status_code == 302 and stale["Location"].endswith("/import/")

    assert Occasion.objects.filter(measure=measure).count() == 2
    assert ClassTotal.objects.count() == 2


@pytest.mark.django_db
def test_an_edge_list_sent_twice_is_imported_once(world: Any, login: Any) -> None:
    from uptake.networks.models import NetworkImport

    client = login(world.people["coordinator"])
    url = reverse("networks:import_edges")
    key = _key(client, url)

    def send() -> Any:
        return client.post(url, {
            "file": SimpleUploadedFile("edges.csv", b"from,to,relation\n"
                                                    b"Guest,jamie@maple.test,advice\n"),
            "direction": "flows", "observed_on": "2026-10-01", FIELD: key})

    first, again = send(), send()

    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert NetworkImport.objects.count() == 1


@pytest.mark.django_db
def test_an_api_write_replayed_with_its_key_runs_once(world: Any, api: Any) -> None:
    from uptake.audit.models import AuditEvent
    from uptake.inquiry.models import Occasion

    measure = _measure(world)
    client = api(world.people["teacher"])
    url = f"/api/v1/measures/{measure.pk}/occasions/{DAY.isoformat()}"
    body = {"values": [{"student": s.pseudonym, "value": 5} for s in world.students]}

    def put() -> Any:
        return client.put(url, body, **{"Idempotency-Key": "sync-2026-10-05"})

    first = put()
    audited = AuditEvent.objects.count()
    again = put()

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Occasion.objects.filter(measure=measure).count() == 1
    assert AuditEvent.objects.count() == audited  # the replay ran nothing


# ------------------------------------------------------------- two at once (PostgreSQL)


def _at_once(send: Callable[[], Any], n: int = 2) -> list[Any]:
    """``send`` from ``n`` threads released together; each thread its own connection."""
    start = threading.Barrier(n)
    answers: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            start.wait()
            answers[i] = send()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return answers


def _signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    return client


concurrent = pytest.mark.skipif(not ON_POSTGRES, reason="concurrent writers: PostgreSQL")


@concurrent
@pytest.mark.django_db(transaction=True)
def test_an_occasion_posted_from_two_threads_at_once_is_saved_once(world: Any) -> None:
    from uptake.inquiry.models import Occasion, StudentValue

    measure = _measure(world)
    url = reverse("inquiry:enter", args=[measure.pk, world.section.pk])
    key = _key(_signed_in(world.people["teacher"]), url)
    clients = [_signed_in(world.people["teacher"]) for _ in range(2)]
    turn = iter(clients)
    lock = threading.Lock()

    def send() -> Any:
        with lock:
            client = next(turn)
        return client.post(url, {**_grid(world), FIELD: key})

    answers = _at_once(send)

    assert [a.status_code for a in answers] == [302, 302]
    assert Occasion.objects.filter(measure=measure).count() == 1
    assert StudentValue.objects.count() == len(world.students)


@concurrent
@pytest.mark.django_db(transaction=True)
def test_a_credential_submitted_from_two_threads_at_once_is_sent_once(world: Any) -> None:
    from uptake.credentials.models import Round
    from uptake.credentials.tests import fixtures as credentials

    draft = credentials.learning_draft(world)
    url = reverse("credentials:submit", args=[draft.pk])
    clients = iter([_signed_in(world.people["teacher"]) for _ in range(2)])
    lock = threading.Lock()

    def send() -> Any:
        with lock:
            client = next(clients)
        return client.post(url)

    answers = _at_once(send)

    assert [a.status_code for a in answers] == [302, 302]
    assert Round.objects.filter(submission=draft).count() == 1


@concurrent
@pytest.mark.django_db(transaction=True)
def test_an_api_write_sent_twice_at_once_with_one_key_runs_once(world: Any, api: Any) -> None:
    from uptake.inquiry.models import Occasion

    measure = _measure(world)
    url = f"/api/v1/measures/{measure.pk}/occasions/{DAY.isoformat()}"
    body = {"values": [{"student": s.pseudonym, "value": 5} for s in world.students]}
    client = api(world.people["teacher"])

    answers = _at_once(lambda: client.put(url, body, **{"Idempotency-Key": "sync-at-once"}))

    assert sorted(a.status_code for a in answers) == [201, 201]
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 1
    assert Occasion.objects.filter(measure=measure).count() == 1
