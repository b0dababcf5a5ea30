"""Evidence stored in S3 (django-storages) round-trips, against moto's S3 server on
127.0.0.1: nothing reaches the network."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from uptake.evidence.models import Artifact
from uptake.evidence.tests.files import jpeg_with_gps

BUCKET = "uptake-evidence-test"
KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


@pytest.fixture
def s3(settings: Any, media: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Replaces the filesystem storage of ``media`` (requested first) with S3."""
    import boto3
    from moto.server import ThreadedMotoServer

    # No real credentials or instance metadata may be consulted.
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID",
                 "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        client = boto3.client("s3", endpoint_url=endpoint,
                              aws_access_key_id=KEYS["access_key"],
                              aws_secret_access_key=KEYS["secret_key"],
                              region_name=KEYS["region_name"])
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": endpoint, "default_acl": None,
                        "file_overwrite": False, **KEYS}}}
        yield client
    finally:
        server.stop()


def test_it_stores_and_serves_evidence_through_s3(s3: Any, upload: Any, client: Any,
                                                 django_capture_on_commit_callbacks: Any
                                                 ) -> None:
    response = upload("IMG_0042.jpg", jpeg_with_gps())
    assert response.status_code == 302
    artifact = Artifact.objects.get()
    listed = s3.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert [o["Key"] for o in listed] == [artifact.file.name]
    in_bucket = s3.get_object(Bucket=BUCKET, Key=artifact.file.name)["Body"].read()
    assert b"TattletalePhone" not in in_bucket

    served = client.get(reverse("evidence:file", args=[artifact.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == in_bucket
    assert served["Content-Type"] == "image/jpeg"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evidence:delete", args=[artifact.pk]))
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
