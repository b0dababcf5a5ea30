"""A request body larger than its page accepts is refused (413) before any of it is read.

Before, a 300 MB multipart body sent to the 5 MB measure import was received and spooled
to disk in full before the form refused it. Now the Content-Length decides; a body that
claims less than it sends is read no further than it claims, and a stream that goes past
the limit while read is cut off there.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from uptake.operations.middleware import RequestBodyLimitMiddleware, body_limit

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
BOUNDARY = "----uptake-test-boundary"


class CountingInput(io.BytesIO):
    """wsgi.input that remembers how many bytes the server asked it for."""

    taken = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.taken += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        data = super().readline(size)
        self.taken += len(data)
        return data


class SocketLike(io.BytesIO):
    """A body read as it arrives: its size cannot be learnt by seeking to its end."""

    def seekable(self) -> bool:
        return False


def _multipart(content: bytes) -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"scores.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode() \
        + content + f"\r\n--{BOUNDARY}--\r\n".encode()


@pytest.fixture
def import_url(world: Any) -> str:
    """The measure import of Jamie's class (she owns the inquiry and teaches the class)."""
    from uptake.inquiry.actions import do_create_inquiry, do_create_measure

    teacher = world.people["teacher"]
    inquiry = do_create_inquiry(teacher, title="Math talk", problem_of_practice="Quiet.",
                                question="Will talk moves help?", change_idea="Talk moves",
                                prediction="Half will explain.")
    measure = do_create_measure(teacher, inquiry, sections=[world.section],
                                name="Exit ticket", kind="score", scale_min=0, scale_max=100,
                                direction="up", change_date=date(2026, 10, 5))
    return reverse("inquiry:import", args=[measure.pk, world.section.pk])


def _post(client: Any, url: str, body: io.BytesIO, declared: int) -> Any:
    return client.generic("POST", url, **{
        "wsgi.input": body, "CONTENT_LENGTH": str(declared),
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}"})


def test_it_refuses_a_300_mb_body_to_the_measure_import_without_reading_it(
        world, login, import_url):
    body = CountingInput(_multipart(b"student_id,date,value\n" * 1000))

    response = _post(login(world.people["teacher"]), import_url, body, declared=300 * MB)

    assert response.status_code == 413
    assert response["Connection"] == "close"
    page = response.content.decode()
    assert "too large" in page and "at most 6 MB" in page and "Nothing was saved" in page
    assert body.taken == 0


def test_it_refuses_an_outsider_the_same_way_before_any_access_check(world, login,
                                                                    import_url):
    body = CountingInput(b"")

    response = _post(login(world.people["outsider"]), import_url, body, declared=300 * MB)

    assert response.status_code == 413
    assert body.taken == 0


def test_it_reads_a_body_that_lies_about_its_length_no_further_than_it_claims(
        world, login, import_url):
    body = CountingInput(_multipart(b"x" * (20 * MB)))

    response = _post(login(world.people["teacher"]), import_url, body, declared=1000)

    assert response.status_code < 500
    assert 0 < body.taken <= 1000


def test_it_cuts_off_a_stream_that_grows_past_the_limit_while_read(settings) -> None:
    # A server that hands over the body as an unbounded stream (no trustworthy length).
    settings.REQUEST_MAX_BYTES = 64 * 1024
    request = RequestFactory().post("/observations/sync", b"{}",
                                    content_type="application/json")
    request._stream = SocketLike(b"x" * (10 * MB))
    read: list[int] = []

    def view(request: Any) -> Any:
        read.append(len(request.body))
        raise AssertionError("the view must not see the body")

    response = RequestBodyLimitMiddleware(view)(request)

    assert response.status_code == 413
    assert read == []


def test_it_answers_a_json_client_in_the_json_error_envelope(world, login) -> None:
    url = reverse("observation:tallies", args=[1])
    body = CountingInput(b"{}")

    response = login(world.people["colleague"]).generic(
        "POST", url, **{"wsgi.input": body, "CONTENT_LENGTH": str(50 * MB),
                        "CONTENT_TYPE": "application/json"})

    assert response.status_code == 413
    assert response.json() == {"error": {
        "status": 413, "code": "too_large", "fields": {}, "rows": [],
        "message": "The message is larger than the 4 MB this accepts."}}
    assert body.taken == 0


def test_it_lets_each_upload_page_take_its_own_largest_file() -> None:
    from uptake.inquiry import imports

    assert body_limit(reverse("roster:import")) > settings.ROSTER_MAX_UPLOAD_BYTES
    assert body_limit(reverse("evidence:upload")) > settings.EVIDENCE_MAX_VIDEO_BYTES
    assert body_limit(reverse("evidence:edit", args=[1])) > settings.EVIDENCE_MAX_VIDEO_BYTES
    assert body_limit(reverse("inquiry:import", args=[1, 1])) > imports.MAX_BYTES
    assert body_limit(reverse("inquiry:create")) == settings.REQUEST_MAX_BYTES
    assert body_limit("/no/such/page/") == settings.REQUEST_MAX_BYTES
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.REQUEST_MAX_BYTES
