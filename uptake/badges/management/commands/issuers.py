"""``uptake issuers did-document|status-list|rotate-key|reencrypt-keys``: districts as Open
Badges issuers, from the server's command line.

- ``uptake issuers did-document SLUG [--create]``: the district's DID document (what
  ``/issuers/<uuid>/did.json`` serves). A district that has issued nothing has no issuer
  yet; ``--create`` makes it (with its first Ed25519 and RSA keys).
- ``uptake issuers status-list SLUG [--number N]``: a status list credential as signed and
  served (list 1 unless ``--number``).
- ``uptake issuers rotate-key SLUG --kind ed25519|rsa``: a new signing key; the old one is
  retired but stays in the DID document, so what it signed still verifies. A new Ed25519
  key re-signs the issuer's status lists.
- ``uptake issuers reencrypt-keys``: every issuer's private keys encrypted again under the
  first key of ``BADGE_KEY_ENCRYPTION_KEYS``, after a new one is put first (the old one
  stays listed until this has run).

A refusal exits with status 1 and a message on stderr; a usage error with status 2.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError, CommandParser

from uptake.accounts.models import District
from uptake.badges.models import Issuer, IssuerKey, StatusList


def district_of(slug: str) -> District:
    district = District.objects.filter(slug=slug).first()
    if district is None:
        raise CommandError(f"No district with slug {slug!r}.")
    return district


def issuer_of(slug: str) -> Issuer:
    district = district_of(slug)
    issuer = Issuer.objects.filter(district=district).first()
    if issuer is None:
        raise CommandError(f"District {slug} has not issued any credential yet, so it has "
                           "no issuer (pass --create to did-document to make one).")
    return issuer


class Command(BaseCommand):
    help = ("Districts as Open Badges issuers: DID documents, status lists, signing keys and "
            "their encryption at rest.")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
        did = commands.add_parser("did-document", help="print the district's DID document")
        did.add_argument("slug", metavar="SLUG", help="the district's slug")
        did.add_argument("--create", action="store_true",
                         help="make the district's issuer (and its keys) if it has none")

        status = commands.add_parser("status-list",
                                     help="print a signed status list credential")
        status.add_argument("slug", metavar="SLUG", help="the district's slug")
        status.add_argument("--number", type=int, default=1, metavar="N",
                            help="which of its lists (default: %(default)s)")

        rotate = commands.add_parser(
            "rotate-key", help="add a new signing key; the old one stays listed")
        rotate.add_argument("slug", metavar="SLUG", help="the district's slug")
        rotate.add_argument("--kind", required=True, choices=IssuerKey.Kind.values,
                            help="ed25519 (Data Integrity proofs) or rsa (VC-JWT)")

        commands.add_parser(
            "reencrypt-keys", help="encrypt every private key again under the first "
                                   "BADGE_KEY_ENCRYPTION_KEYS key")

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["command"]
        if command == "did-document":
            self.did_document(options["slug"], create=options["create"])
        elif command == "status-list":
            self.status_list(options["slug"], options["number"])
        elif command == "rotate-key":
            self.rotate_key(options["slug"], options["kind"])
        else:
            self.reencrypt_keys()

    def did_document(self, slug: str, *, create: bool) -> None:
        from uptake.badges import documents
        from uptake.badges.actions import issuer_for

        issuer = issuer_for(district_of(slug)) if create else issuer_of(slug)
        self.stdout.write(json.dumps(documents.did_document(issuer), indent=2))

    def status_list(self, slug: str, number: int) -> None:
        issuer = issuer_of(slug)
        found = StatusList.objects.filter(issuer=issuer, number=number).first()
        if found is None:
            have = list(issuer.status_lists.values_list("number", flat=True))
            raise CommandError(f"District {slug} has no status list {number} (it has "
                               f"{', '.join(map(str, have)) or 'none'}).")
        self.stdout.write(found.signed)

    def rotate_key(self, slug: str, kind: str) -> None:
        from uptake.badges.actions import do_rotate_key
        from uptake.badges.keystore import verification_method

        issuer = issuer_of(slug)
        key = do_rotate_key(issuer, kind, actor=None)
        self.stdout.write(f"Added {verification_method(key)} ({key.get_kind_display()}) for "
                          f"{issuer.district.name}; earlier keys stay in its DID document.")

    def reencrypt_keys(self) -> None:
        from uptake.badges.actions import do_reencrypt_keys

        try:
            count = do_reencrypt_keys()
        except InvalidToken:
            raise CommandError(
                "A private key could not be decrypted with any key in "
                "BADGE_KEY_ENCRYPTION_KEYS: keep the old key listed (second) until this has "
                "run. Nothing was changed.") from None
        self.stdout.write(f"Re-encrypted {count} private key{'s' if count != 1 else ''} "
                          "under the first BADGE_KEY_ENCRYPTION_KEYS key.")
