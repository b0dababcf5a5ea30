"""``manage.py restore ARCHIVE [--force]``: put back what ``manage.py backup`` wrote.

Checks every checksum first; refuses to start while a worker's lease is live (stop the web
hosts and workers first; --force does not skip this) and an installation in use (any
account or any stored file) unless --force; then restores the database, reads it again
against the manifest, and restores the stored files. See docs/operations.md ("Restoring").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from uptake.operations.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore the database and the stored files from an archive written by "
            "`manage.py backup`, after checking every checksum.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the archive written by backup")
        parser.add_argument("--force", action="store_true",
                            help="replace a database that has accounts and overwrite stored "
                                 "files of the same name (files the back-up does not have "
                                 "are left in place)")
        parser.add_argument("--database", default="default",
                            help="the database alias (default: %(default)s)")

    def handle(self, *args: Any, **options: Any) -> None:
        note = self.stdout.write if options["verbosity"] > 1 else (lambda _: None)
        try:
            summary = restore(options["archive"], force=options["force"],
                              alias=options["database"], note=note)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Restored the back-up taken {summary.created}: the {summary.vendor} database "
            f"({summary.tables} tables, {summary.rows:,} rows, each table checked against "
            f"the manifest) and {summary.files:,} stored files ({summary.file_bytes:,} "
            "bytes, each checksum checked)."))
        if summary.files_left_in_place:
            self.stdout.write(f"{summary.files_left_in_place:,} stored files that the "
                              "back-up does not have were left in place.")
        self.stdout.write("Next: `manage.py migrate` (if this version is newer than the "
                          "back-up's), then start the web server and the worker.")
