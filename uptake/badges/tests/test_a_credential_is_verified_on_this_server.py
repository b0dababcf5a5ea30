"""``verifying.check`` and ``uptake verify``: our own issuers' DID documents and status lists
come from the database; other hosts' only from the allow-list; files given override."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from uptake.badges.tests.fixtures import document, issued

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "openbadges" / "tests" / "data"
CONSTRUCTED = DATA / "constructed"
DID = CONSTRUCTED / "constructed-issuer-did.json"
STATUS = CONSTRUCTED / "constructed-bitstring-status-list.signed.json"
MINIMAL = CONSTRUCTED / "constructed-minimal.signed-eddsa-rdfc-2022.json"
FULL = CONSTRUCTED / "constructed-teacher-microcredential-full.signed-eddsa-rdfc-2022.json"


def outcomes(report: Any) -> dict[str, str]:
    return {c.name: c.outcome for c in report.checks}


def test_our_badge_verifies_from_the_database(world: Any) -> None:
    from uptake.badges.verifying import check

    badge = issued(world)
    report = check(badge.document.encode())
    assert report.verified, report.as_dict()
    assert outcomes(report)["status"] == "passed"
    assert report.as_dict()["credential_id"] == badge.credential_id
    assert report.as_dict()["achievement"]["name"] == badge.award.version.title
    assert report.as_dict()["issuer"]["name"] == world.district.name


def test_our_badges_jwt_verifies_from_the_database(world: Any) -> None:
    from uptake.badges.verifying import check

    badge = issued(world)
    assert badge.jwt
    report = check(badge.jwt)
    assert report.verified, report.as_dict()
    assert "RS256" in report.check("proof").message


def test_a_revoked_badge_fails_its_status(world: Any) -> None:
    from uptake.badges.actions import do_revoke
    from uptake.badges.verifying import check

    badge = issued(world)
    do_revoke(badge, actor=world.people["coordinator"], reason="Awarded in error")
    report = check(badge.document)
    assert report.check("status").outcome == "failed"
    assert not report.verified


def test_a_tampered_badge_fails_its_proof(world: Any) -> None:
    from uptake.badges.verifying import check

    tampered = {**document(issued(world)), "name": "Something grander"}
    report = check(json.dumps(tampered))
    assert report.check("proof").outcome == "failed"


def test_another_hosts_documents_are_not_fetched_unless_allowed(settings: Any) -> None:
    from uptake.badges.verifying import check

    settings.BADGE_STATUS_LIST_HOSTS = []
    report = check(MINIMAL.read_bytes())
    assert report.check("proof").outcome == "failed"
    assert "not fetched: host badges.example.org is not on the allow-list" in \
        report.check("proof").message
    given = check(FULL.read_bytes(), did_document=json.loads(DID.read_text()))
    assert given.check("proof").outcome == "passed"
    assert given.check("status").outcome == "warning"
    assert "not fetched: host badges.example.org is not on the allow-list" in \
        given.check("status").message


def test_an_allow_listed_host_is_fetched_through_the_ssrf_safe_fetch(
        settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from uptake.accounts import sso
    from uptake.badges.verifying import check

    asked: list[str] = []

    def fetch(url: str, *, what: str) -> bytes:
        asked.append(url)
        if url.endswith("/did.json"):
            return DID.read_bytes()
        return STATUS.read_bytes()

    monkeypatch.setattr(sso, "fetch", fetch)
    settings.BADGE_STATUS_LIST_HOSTS = ["badges.example.org"]
    report = check(FULL.read_bytes())
    assert asked == [
        "https://badges.example.org/issuers/3b5c2a9e-2d5e-4c1a-9a6e-2f1c0d7e8b41/did.json",
        "https://badges.example.org/status/1"]
    assert report.check("proof").outcome == "passed"
    assert report.check("status").outcome == "failed"  # index 42 of that list is set


def test_a_refused_fetch_is_said(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from uptake.accounts import sso
    from uptake.badges.verifying import check

    def fetch(url: str, *, what: str) -> bytes:
        raise sso.UnusableUrl("badges.example.org is an address inside a private network.")

    monkeypatch.setattr(sso, "fetch", fetch)
    settings.BADGE_STATUS_LIST_HOSTS = ["badges.example.org"]
    report = check(FULL.read_bytes(), did_document=json.loads(DID.read_text()))
    assert report.check("status").outcome == "warning"
    assert "private network" in report.check("status").message


def test_a_status_list_given_is_used(world: Any) -> None:
    from uptake.badges.verifying import check

    report = check(FULL.read_bytes(), did_document=json.loads(DID.read_text()),
                   status_list=json.loads(STATUS.read_text()))
    assert report.check("status").outcome == "failed"
    assert "Revoked" in report.check("status").message


def test_did_web_urls_follow_the_method() -> None:
    from uptake.badges.verifying import did_web_url

    assert did_web_url("did:web:example.com") == "https://example.com/.well-known/did.json"
    assert did_web_url("did:web:localhost%3A8000:issuers:abc") == \
        "https://localhost:8000/issuers/abc/did.json"


# ---------------------------------------------------------------------- the command

def run(*args: str) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_the_command_verifies_our_badge(world: Any, tmp_path: Path) -> None:
    badge = issued(world)
    path = tmp_path / "badge.json"
    path.write_text(badge.document)
    code, out = run(str(path))
    assert code == 0
    assert "✓ proof:" in out
    assert "✓ status:" in out
    assert out.strip().endswith("Verified.")


def test_the_command_refuses_a_tampered_copy(world: Any, tmp_path: Path) -> None:
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps({**document(issued(world)), "name": "Grander"}))
    code, out = run(str(path))
    assert code == 1
    assert "✗ proof:" in out
    assert out.strip().endswith("NOT verified.")


def test_the_command_takes_a_did_document_and_prints_json(tmp_path: Path) -> None:
    code, out = run(str(MINIMAL), "--did-document", str(DID), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["verified"] is True
    assert [c["check"] for c in report["checks"]][:2] == ["parse", "contexts"]
    code, out = run(str(CONSTRUCTED / "constructed-minimal.baked.png"), "--did-document",
                    str(DID))
    assert code == 0
    assert "\N{EN DASH} status:" in out


def test_the_command_reports_a_revoked_constructed_credential(tmp_path: Path) -> None:
    code, out = run(str(FULL), "--did-document", str(DID), "--status-list", str(STATUS))
    assert code == 1
    assert "✗ status: Revoked" in out


def test_the_command_exits_2_on_unreadable_input(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("not a credential")
    code, out = run(str(garbage))
    assert code == 2
    assert "✗ parse:" in out
    with pytest.raises(CommandError) as missing:
        run(str(tmp_path / "missing.json"))
    assert missing.value.returncode == 2
    bad = tmp_path / "did.json"
    bad.write_text("[")
    with pytest.raises(CommandError, match="is not JSON") as raised:
        run(str(MINIMAL), "--did-document", str(bad))
    assert raised.value.returncode == 2
