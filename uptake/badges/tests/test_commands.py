"""``uptake credentials`` and ``uptake issuers``: the operator's commands for issued badges
and issuers, with the refusals they give to bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from uptake.audit.models import AuditEvent
from uptake.badges.models import Badge, IssuerKey
from uptake.badges.tests.fixtures import document, issued

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    return str(caught.value)


# ----------------------------------------------------------------- credentials list

def test_list_shows_every_badge_with_its_recipient_and_status(world: Any) -> None:
    from uptake.badges.actions import do_revoke

    jamie = issued(world)
    other = do_revoke(issued(world, "colleague"), actor=None, reason="Awarded in error")
    table = run("credentials", "list")
    assert table.splitlines()[0].split() == ["ID", "DISTRICT", "ACHIEVEMENT", "RECIPIENT",
                                             "STATUS", "ISSUED"]
    assert str(jamie.uuid) in table and world.people["teacher"].email in table
    assert "maple-valley" in table and "revoked" in table and "active" in table

    rows = json.loads(run("credentials", "list", "--json"))
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == {str(jamie.uuid), str(other.uuid)}
    mine = by_id[str(jamie.uuid)]
    assert set(mine) == {"id", "district", "achievement", "recipient", "status", "issued"}
    assert mine == {"id": str(jamie.uuid), "district": "maple-valley",
                    "achievement": jamie.award.version.title,
                    "recipient": world.people["teacher"].email, "status": "active",
                    "issued": jamie.issued_at.date().isoformat()}
    assert by_id[str(other.uuid)]["status"] == "revoked"
    assert by_id[str(other.uuid)]["revoked_reason"] == "Awarded in error"


def test_list_keeps_to_one_district_when_asked(world: Any) -> None:
    issued(world)
    assert json.loads(run("credentials", "list", "--json", "--district", "oak-ridge")) == []
    assert len(json.loads(run("credentials", "list", "--json", "--district",
                              "maple-valley"))) == 1
    assert "No badge has been issued in oak-ridge." in run("credentials", "list",
                                                            "--district", "oak-ridge")
    assert "No district with slug 'nowhere'" in refused("credentials", "list", "--district",
                                                        "nowhere")


def test_the_help_says_it_shows_e_mail_addresses() -> None:
    from uptake.badges.management.commands.credentials import Command

    assert "e-mail" in Command.help and "operator" in Command.help


# --------------------------------------------------------------- credentials export

def test_export_writes_the_signed_json_and_jwt_exactly(world: Any, tmp_path: Path) -> None:
    badge = issued(world)
    out = tmp_path / "badge.json"
    assert "Wrote badge" in run("credentials", "export", str(badge.uuid), "--format", "json",
                                "-o", str(out))
    assert json.loads(out.read_text()) == document(badge)
    assert out.read_text().rstrip("\n") == badge.document
    jwt = tmp_path / "badge.jwt"
    run("credentials", "export", f"urn:uuid:{badge.uuid}", "--format", "jwt", "-o", str(jwt))
    assert jwt.read_text().strip() == badge.jwt
    assert run("credentials", "export", str(badge.uuid), "--format", "json", "-o", "-"
               ).strip() == badge.document


def test_export_refuses_bad_input_clearly(world: Any, tmp_path: Path) -> None:
    badge = issued(world)
    assert "is not a badge id" in refused("credentials", "export", "nonsense", "--format",
                                          "json", "-o", str(tmp_path / "x"))
    assert "No badge has the id 00000000-0000-0000-0000-000000000000" in refused(
        "credentials", "export", "00000000-0000-0000-0000-000000000000", "--format", "json",
        "-o", str(tmp_path / "x"))
    Badge.objects.filter(pk=badge.pk).update(jwt="")
    assert "has no VC-JWT" in refused("credentials", "export", str(badge.uuid), "--format",
                                      "jwt", "-o", str(tmp_path / "x"))
    assert "Cannot write" in refused("credentials", "export", str(badge.uuid), "--format",
                                     "json", "-o", str(tmp_path / "missing" / "badge.json"))
    assert not (tmp_path / "x").exists()


def test_an_unknown_format_is_a_usage_error(world: Any, tmp_path: Path) -> None:
    badge = issued(world)
    with pytest.raises(CommandError, match="invalid choice: 'pdf'"):
        run("credentials", "export", str(badge.uuid), "--format", "pdf", "-o",
            str(tmp_path / "x"))


def test_export_bakes_the_credential_into_png_and_svg(world: Any, tmp_path: Path) -> None:
    pytest.importorskip("uptake.badges.images", reason="the badge images are not in yet")
    from uptake.openbadges import baking

    badge = issued(world)
    for kind in ("png", "svg"):
        out = tmp_path / f"badge.{kind}"
        run("credentials", "export", str(badge.uuid), "--format", kind, "-o", str(out))
        assert json.loads(baking.extract(out.read_bytes())) == document(badge)
    assert "not written to standard output" in refused(
        "credentials", "export", str(badge.uuid), "--format", "png", "-o", "-")


# --------------------------------------------------------------- credentials revoke

def test_revoke_sets_the_bit_and_keeps_the_reason(world: Any) -> None:
    from uptake.openbadges import status

    badge = issued(world)
    said = run("credentials", "revoke", str(badge.uuid), "--reason", "Awarded in error")
    assert f"Revoked badge {badge.uuid}" in said
    badge.refresh_from_db()
    assert badge.is_revoked and badge.revoked_reason == "Awarded in error"
    assert badge.revoked_by is None
    listed = json.loads(badge.status_list.signed)["credentialSubject"]["encodedList"]
    assert status.get(status.decode(listed), badge.status_index)
    # The district's audit log shows it, made on the command line.
    event = AuditEvent.objects.get(action="badge_revoked")
    assert (event.district, event.actor, event.actor_label) == (world.district, None,
                                                                "command line")


def test_revoke_refuses_an_empty_reason_and_a_second_revocation(world: Any) -> None:
    badge = issued(world)
    assert "Give a reason" in refused("credentials", "revoke", str(badge.uuid), "--reason",
                                      "   ")
    assert not Badge.objects.get(pk=badge.pk).is_revoked
    run("credentials", "revoke", str(badge.uuid), "--reason", "Wrong person")
    assert "is already revoked (Wrong person)" in refused(
        "credentials", "revoke", str(badge.uuid), "--reason", "Again")
    assert "No badge has the id" in refused(
        "credentials", "revoke", "11111111-1111-1111-1111-111111111111", "--reason", "x")


# ------------------------------------------------------------------------- issuers

def test_did_document_prints_the_issuer_s_keys(world: Any) -> None:
    from uptake.badges import documents

    badge = issued(world)
    printed = json.loads(run("issuers", "did-document", "maple-valley"))
    assert printed == documents.did_document(badge.issuer)
    assert "has not issued any credential yet" in refused("issuers", "did-document",
                                                          "oak-ridge")
    assert "No district with slug 'nowhere'" in refused("issuers", "did-document", "nowhere")


def test_did_document_create_makes_the_issuer(world: Any) -> None:
    made = json.loads(run("issuers", "did-document", "oak-ridge", "--create"))
    assert made["id"].startswith("did:web:") and len(made["assertionMethod"]) == 2


def test_status_list_prints_the_signed_list(world: Any) -> None:
    badge = issued(world)
    printed = run("issuers", "status-list", "maple-valley")
    assert printed.strip() == badge.status_list.signed
    assert json.loads(printed)["type"] == ["VerifiableCredential",
                                           "BitstringStatusListCredential"]
    assert "has no status list 7 (it has 1)" in refused("issuers", "status-list",
                                                        "maple-valley", "--number", "7")
    assert "has not issued any credential yet" in refused("issuers", "status-list",
                                                          "oak-ridge")


def test_rotate_key_adds_a_key_and_keeps_the_old_one(world: Any) -> None:
    badge = issued(world)
    said = run("issuers", "rotate-key", "maple-valley", "--kind", "ed25519")
    assert "#key-3" in said and "earlier keys stay" in said
    keys = badge.issuer.keys.filter(kind=IssuerKey.Kind.ED25519).order_by("number")
    assert [(k.number, k.retired_at is None) for k in keys] == [(1, False), (3, True)]
    run("issuers", "rotate-key", "maple-valley", "--kind", "rsa")
    assert badge.issuer.keys.count() == 4
    assert set(AuditEvent.objects.filter(action="issuer_key_added").values_list(
        "district", "actor_label")) == {(world.district.pk, "command line")}
    with pytest.raises(CommandError, match="invalid choice: 'dsa'"):
        run("issuers", "rotate-key", "maple-valley", "--kind", "dsa")
    assert "has not issued any credential yet" in refused("issuers", "rotate-key",
                                                          "oak-ridge", "--kind", "rsa")


OLD = "x8VqlqC8pwOsS4K4mBkd2sWD5q3bP1HZi9o3QcU1bZw="
NEW = "3iIBQX2nCmQ0pNlJ6tR9pQvX3Cz3gq9Zr0wJ8p0t0UE="


def test_reencrypt_keys_moves_every_key_to_the_first_encryption_key(world: Any) -> None:
    from uptake.badges import keystore

    with override_settings(BADGE_KEY_ENCRYPTION_KEYS=[OLD]):
        badge = issued(world)
        before = {k.pk: keystore.decrypt(k.private_encrypted) for k in IssuerKey.objects.all()}
    with override_settings(BADGE_KEY_ENCRYPTION_KEYS=[NEW, OLD]):
        assert "Re-encrypted 2 private keys" in run("issuers", "reencrypt-keys")
    with override_settings(BADGE_KEY_ENCRYPTION_KEYS=[NEW]):
        after = {k.pk: keystore.decrypt(k.private_encrypted) for k in IssuerKey.objects.all()}
        assert after == before
        assert badge.issuer.keys.count() == 2
    with override_settings(BADGE_KEY_ENCRYPTION_KEYS=[OLD]):
        assert "could not be decrypted" in refused("issuers", "reencrypt-keys")
        assert "Nothing was changed" in refused("issuers", "reencrypt-keys")


def test_the_uptake_cli_maps_its_words_to_these_commands(world: Any) -> None:
    from uptake.cli import main

    issued(world)
    with pytest.raises(SystemExit) as caught:
        main(["credentials", "revoke", "not-a-uuid", "--reason", "x"])
    assert caught.value.code == 1
    with pytest.raises(SystemExit) as caught:
        main(["issuers", "rotate-key", "maple-valley", "--kind", "dsa"])
    assert caught.value.code == 2
