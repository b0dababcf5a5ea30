"""``uptake verify FILE [--did-document FILE] [--status-list FILE] [--json]``: check an Open
Badges 3.0 credential (its JSON, its VC-JWT, or a baked PNG or SVG badge) the way
1EdTech's validator does.

Each check is printed with its outcome (✓ passed, ✗ failed, ! warning, an en dash
skipped). Our own issuers' DID documents and status lists are read from the database;
another host's only when it is in ``BADGE_STATUS_LIST_HOSTS``. ``--did-document`` and
``--status-list`` give those documents as files instead. ``--json`` prints the report as JSON.

Exits 0 when the credential is verified, 1 when it is not, 2 when the input cannot be
read (a missing file, or neither JSON, a VC-JWT nor a badge image).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from uptake.badges.verifying import check

MARKS = {"passed": "✓", "failed": "✗", "warning": "!", "skipped": "\N{EN DASH}"}


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read the {what} {path}: {error.strerror}.",
                           returncode=2) from None


def _document(path: str | None, what: str) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        found = json.loads(_read(path, what))
    except ValueError:
        raise CommandError(f"The {what} {path} is not JSON.", returncode=2) from None
    if not isinstance(found, dict):
        raise CommandError(f"The {what} {path} is not a JSON object.", returncode=2)
    return found


class Command(BaseCommand):
    help = ("Verify an Open Badges 3.0 credential: JSON, VC-JWT, or a baked PNG or SVG badge. "
            "Exits 0 when verified, 1 when not, 2 when the input cannot be read.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE",
                            help="the credential: .json, .jwt, or a baked .png or .svg")
        parser.add_argument("--did-document", metavar="FILE",
                            help="the issuer's DID document, instead of looking it up")
        parser.add_argument("--status-list", metavar="FILE",
                            help="the status list credential, instead of fetching it")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        data = _read(options["file"], "credential")
        report = check(data, did_document=_document(options["did_document"], "DID document"),
                       status_list=_document(options["status_list"], "status list"))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            for item in report.checks:
                self.stdout.write(f"{MARKS[item.outcome]} {item.name}: {item.message}")
            achievement = (report.achievement or {}).get("name")
            issuer = report.issuer or {}
            if achievement or issuer:
                self.stdout.write(f"“{achievement or 'Unnamed'}” issued by "
                                  f"{issuer.get('name') or issuer.get('id') or 'no issuer'}")
            self.stdout.write("Verified." if report.verified else "NOT verified.")
        if report.checks and report.checks[0].outcome == "failed":
            raise SystemExit(2)
        if not report.verified:
            raise SystemExit(1)
