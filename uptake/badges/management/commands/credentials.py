"""``uptake credentials list|export|revoke``: the Open Badges a server has issued.

An operator's command on the server (it shows educators' e-mail addresses, which no
credential carries in the clear):

- ``uptake credentials list [--json] [--district SLUG]``: every issued badge, newest first:
  its id (the badge's uuid), district, achievement, recipient (the educator's e-mail),
  status (active or revoked) and the date it was issued. ``--json`` prints an array of
  objects with the keys ``id``, ``district``, ``achievement``, ``recipient``, ``status``,
  ``issued`` (and ``revoked_reason`` when revoked).
- ``uptake credentials export ID --format json|jwt|png|svg -o FILE``: the signed credential
  exactly as issued (``json``), its VC-JWT (``jwt``), or baked into the badge's image
  (``png``, ``svg``); ``-o -`` writes json or jwt to standard output.
- ``uptake credentials revoke ID --reason TEXT``: sets the badge's bit in its issuer's status
  list and re-signs the list; the reason is kept with the badge.

ID is the badge's uuid (``urn:uuid:`` in front is accepted). A refusal exits with status 1
and a message on stderr; a usage error with status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser

from uptake.badges.models import Badge
from uptake.rules import RuleError

FORMATS = ("json", "jwt", "png", "svg")


def find_badge(given: str) -> Badge:
    """The badge whose uuid is given (with or without ``urn:uuid:``), or a CommandError."""
    text = given.strip().removeprefix("urn:uuid:")
    try:
        key = UUID(text)
    except ValueError:
        raise CommandError(f"{given!r} is not a badge id: give the uuid that "
                           "`uptake credentials list` shows.") from None
    badge = (Badge.objects.select_related("award__educator", "award__version",
                                          "issuer__district").filter(uuid=key).first())
    if badge is None:
        raise CommandError(f"No badge has the id {key}: `uptake credentials list` shows "
                           "every issued badge.")
    return badge


def row(badge: Badge) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": str(badge.uuid),
        "district": badge.issuer.district.slug,
        "achievement": badge.award.version.title,
        "recipient": badge.award.educator.email,
        "status": "revoked" if badge.is_revoked else "active",
        "issued": badge.issued_at.date().isoformat(),
    }
    if badge.is_revoked:
        found["revoked_reason"] = badge.revoked_reason
    return found


class Command(BaseCommand):
    help = ("List, export and revoke the Open Badges this server issued. An operator's "
            "command: the list shows each recipient's e-mail address.")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
        listing = commands.add_parser(
            "list", help="every issued badge: id, district, achievement, recipient (the "
                         "educator's e-mail), status, issued date")
        listing.add_argument("--json", action="store_true",
                             help="print a JSON array instead of a table")
        listing.add_argument("--district", metavar="SLUG", help="only this district's")

        export = commands.add_parser(
            "export", help="write a badge's signed credential, VC-JWT or baked image")
        export.add_argument("id", metavar="ID", help="the badge's id (its uuid)")
        export.add_argument("--format", required=True, choices=FORMATS,
                            help="json: the signed credential as issued; jwt: its VC-JWT; "
                                 "png, svg: the badge image with the credential baked in")
        export.add_argument("-o", "--output", required=True, metavar="FILE",
                            help="where to write it (- for standard output: json, jwt)")

        revoke = commands.add_parser(
            "revoke", help="revoke a badge (its status list bit is set and re-signed)")
        revoke.add_argument("id", metavar="ID", help="the badge's id (its uuid)")
        revoke.add_argument("--reason", required=True,
                            help="why it is revoked (kept with the badge)")

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["command"]
        if command == "list":
            self.list(options["district"], as_json=options["json"])
        elif command == "export":
            self.export(find_badge(options["id"]), options["format"], options["output"])
        else:
            self.revoke(find_badge(options["id"]), options["reason"])

    # ------------------------------------------------------------------------ list

    def list(self, district: str | None, *, as_json: bool) -> None:
        from uptake.accounts.models import District

        badges = Badge.objects.select_related("award__educator", "award__version",
                                              "issuer__district")
        if district is not None:
            if not District.objects.filter(slug=district).exists():
                raise CommandError(f"No district with slug {district!r}.")
            badges = badges.filter(issuer__district__slug=district)
        rows = [row(b) for b in badges.order_by("-issued_at", "-pk")]
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("No badge has been issued" +
                              (f" in {district}." if district else "."))
            return
        columns = ("id", "district", "achievement", "recipient", "status", "issued")
        widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
        self.stdout.write("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
        for found in rows:
            self.stdout.write("  ".join(str(found[c]).ljust(widths[c])
                                        for c in columns).rstrip())

    # ---------------------------------------------------------------------- export

    def export(self, badge: Badge, kind: str, output: str) -> None:
        content = self.content(badge, kind)
        if output == "-":
            if isinstance(content, bytes):
                raise CommandError(f"A {kind.upper()} image is not written to standard "
                                   "output: give a file with -o.")
            self.stdout.write(content)
            return
        path = Path(output)
        try:
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content if content.endswith("\n") else content + "\n",
                                encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        self.stdout.write(f"Wrote badge {badge.uuid} as {kind} to {output}.")

    def content(self, badge: Badge, kind: str) -> str | bytes:
        if kind == "json":
            return badge.document
        if kind == "jwt":
            if not badge.jwt:
                raise CommandError(f"Badge {badge.uuid} has no VC-JWT: its issuer had no RSA "
                                   "key when it was issued. Export it as json, png or svg.")
            return badge.jwt
        # The image, with the credential baked in (imported here: only exports need them).
        from uptake.badges import images

        return images.baked_png(badge) if kind == "png" else images.baked_svg(badge)

    # ---------------------------------------------------------------------- revoke

    def revoke(self, badge: Badge, reason: str) -> None:
        from uptake.badges.actions import do_revoke

        if not reason.strip():
            raise CommandError("Give a reason with --reason: it is kept with the revoked "
                               "badge.")
        if badge.is_revoked:
            raise CommandError(f"Badge {badge.uuid} is already revoked "
                               f"({badge.revoked_reason}).")
        try:
            revoked = do_revoke(badge, actor=None, reason=reason)
        except RuleError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Revoked badge {revoked.uuid} ({revoked.award.version.title}, "
                          f"{revoked.award.educator.email}); status list "
                          f"{revoked.status_list.number}, index {revoked.status_index}, "
                          "re-signed.")
