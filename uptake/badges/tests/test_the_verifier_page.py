"""The verifier page, /verify/: anyone checks a credential from a file (JSON, JWT, PNG,
SVG) or pasted text, or one of our badges while it is shared. Bad input gets a clear
message; nothing about the recipient beyond the credential's own words is shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from uptake.badges.tests.fixtures import document, issued

pytestmark = pytest.mark.django_db

URL = "/verify/"
DATA = Path(__file__).resolve().parents[2] / "openbadges" / "tests" / "data"


def post(client: Client, **fields: Any) -> Any:
    return client.post(URL, fields)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_anyone_gets_the_empty_form(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Verify an Open Badge" in body
    assert 'enctype="multipart/form-data"' in body
    assert "Each check" not in body


def test_a_signed_in_person_and_one_whose_roles_lapsed_get_it_too(world: Any,
                                                                   login: Any) -> None:
    teacher = world.people["teacher"]
    client = login(teacher)
    assert client.get(URL).status_code == 200
    teacher.roles.all().delete()  # every role taken away: the page is public all the same
    assert client.get(URL).status_code == 200


def test_our_badge_file_verifies(world: Any, client: Client) -> None:
    badge = issued(world)
    response = post(client, file=upload("badge.json", badge.document.encode()))
    body = response.content.decode()
    assert response.status_code == 200
    assert ">Verified<" in body
    assert badge.award.version.title in body
    assert world.district.name in body
    for label in ("Readable", "Signature", "Not revoked", "Dates"):
        assert f"<strong>{label}</strong>" in body
    # Nothing identifying the recipient: not her e-mail, not the salted hash, not her name.
    signed = document(badge)
    identity = signed["credentialSubject"]["identifier"][0]
    assert identity["identityHash"] not in body
    assert identity["salt"] not in body
    assert badge.award.educator.email not in body
    assert badge.award.educator.last_name not in body


def test_a_tampered_copy_is_not_verified(world: Any, client: Client) -> None:
    tampered = {**document(issued(world)), "name": "Grander"}
    body = post(client, text=json.dumps(tampered)).content.decode()
    assert ">Not verified<" in body
    assert "does not match the credential" in body


def test_our_badges_jwt_pasted_verifies(world: Any, client: Client) -> None:
    badge = issued(world)
    body = post(client, text=badge.jwt).content.decode()
    assert ">Verified<" in body
    assert "RS256" in body


@pytest.mark.parametrize("name", ["constructed-minimal.baked.png",
                                  "constructed-minimal.baked.svg",
                                  "constructed-minimal.vc-jwt-rs256.jwt"])
def test_a_badge_image_or_jwt_file_is_read(client: Client, name: str) -> None:
    # Another host's issuer, not on the allow-list: read and checked, its key not fetched.
    body = post(client, file=upload(name, (DATA / "constructed" / name).read_bytes())
                ).content.decode()
    assert "Formative Assessment Practitioner" in body
    assert "Example District Professional Learning" in body
    assert ">Not verified<" in body
    assert "is not on the allow-list" in body


def test_a_validator_badge_image_verifies(client: Client) -> None:
    name = "simple-json.baked.svg"
    body = post(client, file=upload(name, (DATA / "validator" / name).read_bytes())
                ).content.decode()
    assert ">Verified<" in body
    assert "Teamwork" in body


@pytest.mark.parametrize(("fields", "words"), [
    ({}, "Choose a credential file, or paste the credential below."),
    ({"text": "hello"}, "This could not be read as a credential."),
    ({"text": "{broken"}, "not valid JSON"),
    ({"file": ("x.png", b"\x89PNG\r\n\x1a\nnot really")}, "This could not be read"),
    ({"file": ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")}, "no baked credential"),
    ({"file": ("x.bin", b"\x00\xff\xfe")}, "not text and not a PNG"),
])
def test_bad_input_gets_a_clear_message(client: Client, fields: dict[str, Any],
                                        words: str) -> None:
    sent = {k: upload(*v) if isinstance(v, tuple) else v for k, v in fields.items()}
    response = post(client, **sent)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body
    assert words in body
    assert "Each check" not in body


def test_both_a_file_and_text_is_refused(client: Client) -> None:
    response = post(client, file=upload("a.json", b"{}"), text="{}")
    assert response.status_code == 400
    assert "either a file or pasted text, not both" in response.content.decode()


def test_a_file_over_2_mb_is_refused_saying_so(client: Client) -> None:
    big = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    response = post(client, file=upload("big.json", big))
    assert response.status_code == 400
    assert "the verifier takes files up to 2 MB" in response.content.decode()


def test_a_shared_badge_is_verified_by_its_uuid(world: Any, client: Client) -> None:
    from uptake.badges.actions import do_set_shared

    badge = issued(world)
    do_set_shared(badge, actor=world.people["teacher"], shared=True)
    response = client.get(URL, {"credential": str(badge.uuid)})
    assert response.status_code == 200
    body = response.content.decode()
    assert ">Verified<" in body
    assert badge.award.version.title in body


def test_an_unshared_revoked_or_unknown_badge_is_not_found(world: Any, client: Client) -> None:
    from uptake.badges.actions import do_revoke, do_set_shared

    badge = issued(world)
    for value in (str(badge.uuid), "not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        response = client.get(URL, {"credential": value})
        assert response.status_code == 404
        assert "No credential is shared under this link" in response.content.decode()
    do_set_shared(badge, actor=world.people["teacher"], shared=True)
    assert client.get(URL, {"credential": str(badge.uuid)}).status_code == 200
    # Sharing that lapses: she stops sharing, or the district revokes it.
    do_set_shared(badge, actor=world.people["teacher"], shared=False)
    assert client.get(URL, {"credential": str(badge.uuid)}).status_code == 404
    do_set_shared(badge, actor=world.people["teacher"], shared=True)
    do_revoke(badge, actor=world.people["coordinator"], reason="Awarded in error")
    assert client.get(URL, {"credential": str(badge.uuid)}).status_code == 404
