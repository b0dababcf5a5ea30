"""``uptake import-roster FILE.zip --district SLUG [--dry-run] [--confirm-removals]``.

Exit status: 0 applied (or checked, with --dry-run); 2 the file is invalid (problems on
stderr as ``file:row:column: message``); 1 removals need --confirm-removals, or another
usage problem. Nothing is written to the roster unless the whole import applies.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from uptake.accounts.models import District
from uptake.roster import oneroster as orr
from uptake.roster.actions import (
    RemovalsNotConfirmed,
    do_apply_import,
    do_preview_import,
)
from uptake.roster.models import RosterImport


def format_report(report: dict[str, Any]) -> str:
    """The per-file report as a fixed-width table (also used by ``uptake seed``)."""
    head = ("file", "mode", "rows", "adds", "updates", "unchanged", "removals", "ignored")
    lines = [f"{head[0]:<22}{head[1]:<7}" + "".join(f"{h:>10}" for h in head[2:])]
    for f in report.get("files", []):
        lines.append(f"{f['file']:<22}{f['mode']:<7}" + "".join(
            f"{f[h]:>10,}" for h in head[2:]))
    for note in report.get("notes", []):
        lines.append(f"note: {note}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Check a OneRoster CSV zip and import it into a district, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the OneRoster CSV zip")
        parser.add_argument("--district", required=True, help="the district's slug")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and report what would change; write nothing")
        parser.add_argument("--confirm-removals", action="store_true",
                            help="allow a bulk import to switch off what its files no "
                                 "longer list")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        try:
            district = District.objects.get(slug=options["district"])
        except District.DoesNotExist:
            raise CommandError(f"no district with slug {options['district']!r}") from None
        ri = do_preview_import(district, str(path), actor=None)
        if ri.status == RosterImport.Status.REJECTED:
            self._fail(ri.report)
        self.stdout.write(format_report(ri.report))
        if options["dry_run"]:
            self.stdout.write(f"Dry run: nothing was changed ({ri.report['changes']:,} "
                              f"change(s), {ri.report['removals']:,} removal(s) found).")
            return
        try:
            ri = do_apply_import(ri, actor=None, confirm_removals=options["confirm_removals"])
        except RemovalsNotConfirmed as exc:
            raise CommandError(f"{exc.count:,} row(s) would be removed (switched off); "
                               "nothing was changed. Run again with --confirm-removals "
                               "to apply.", returncode=1) from None
        except orr.RosterInvalid:
            ri.refresh_from_db()
            self._fail(ri.report)
        self.stdout.write(self.style.SUCCESS(
            f"Applied: {ri.report['changes']:,} change(s), {ri.report['removals']:,} "
            "removal(s)."))

    def _fail(self, report: dict[str, Any]) -> None:
        for error in report.get("errors", []):
            self.stderr.write(str(orr.RosterError(**error)))
        if report.get("errors_truncated"):
            self.stderr.write(f"(stopped after {len(report['errors'])} problems)")
        raise CommandError("the roster was not imported; nothing was changed", returncode=2)
