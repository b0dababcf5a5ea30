"""``backup`` and ``restore`` carry the files of an S3 bucket (django-storages), against
moto's S3 server on 127.0.0.1: nothing reaches the network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile

from uptake.operations.backup import backup, restore, stored_files

pytestmark = pytest.mark.django_db(transaction=True)

KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


@pytest.fixture
def buckets(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    """Two empty buckets: the installation backed up, and the one restored into."""
    import boto3
    from moto.server import ThreadedMotoServer
    from storages.backends.s3 import S3Storage

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
        storages = []
        for bucket in ("uptake-live", "uptake-restored"):
            client.create_bucket(Bucket=bucket)
            storages.append(S3Storage(bucket_name=bucket, endpoint_url=endpoint,
                                      default_acl=None, file_overwrite=False,
                                      location="district", **KEYS))
        yield storages[0], storages[1]
    finally:
        server.stop()


def test_it_restores_every_file_of_a_bucket_into_an_empty_one(
        tmp_path: Path, buckets: tuple[Any, Any], world: Any) -> None:
    live, restored = buckets
    files = {"evidence/2026/12/photo.jpg": b"\xff\xd8 a photo " * 1000,
             "roster-imports/maple-valley.zip": b"PK\x03\x04 a roster",
             "community/2026/12/export.json": b'{"posts": []}'}
    for name, data in files.items():
        assert live.save(name, ContentFile(data)) == name
    archive = tmp_path / "backup.tar.gz"

    summary = backup(archive, storage=live)
    assert summary.files == 3
    said = restore(archive, storage=restored, force=True)  # the database has `world`

    assert said.files == 3
    assert stored_files(restored) == sorted(files)
    for name, data in files.items():
        with restored.open(name, "rb") as fh:
            assert fh.read() == data
