"""``manage.py backup ARCHIVE``: the database and every stored file, in one archive.

See docs/operations.md ("Backing up"): run it while Uptake runs; the copy is consistent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from uptake.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the database and every stored file (MEDIA_ROOT or the S3 bucket) "
            "into one archive, with a manifest of SHA-256 checksums.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path,
                            help="the archive to write: NAME.tar, or NAME.tar.gz to "
                                 "compress it, or a folder to write "
                                 "uptake-<UTC time>.tar.gz in; never overwritten")
        parser.add_argument("--database", default="default",
                            help="the database alias (default: %(default)s)")

    def handle(self, *args: Any, **options: Any) -> None:
        note = self.stdout.write if options["verbosity"] > 1 else (lambda _: None)
        try:
            summary = backup(options["archive"], alias=options["database"], note=note)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Backed up to {summary.path}: the {summary.vendor} database ({summary.tables} "
            f"tables, {summary.rows:,} rows) and {summary.files:,} stored files "
            f"({summary.file_bytes:,} bytes); the archive is {summary.archive_bytes:,} bytes."))
