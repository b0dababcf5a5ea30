"""``uptake seed --size small|school|district --seed N [--district SLUG] [--out FILE.zip]``.

Writes a deterministic synthetic OneRoster zip and imports it through the same actions
as any upload (check, then apply). ``district`` is 5,000 educators and 50,000 students.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from uptake.accounts.actions import do_ensure_district
from uptake.roster.actions import do_apply_import, do_preview_import
from uptake.roster.management.commands.import_roster import format_report
from uptake.roster.models import RosterImport
from uptake.roster.synthetic import SIZES, write_oneroster_zip


class Command(BaseCommand):
    help = "Generate a deterministic synthetic district roster and import it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--district", default="", help="slug (default: synthetic-SIZE)")
        parser.add_argument("--out", default="", help="also keep the zip at this path")

    def handle(self, *args: Any, **options: Any) -> None:
        size = SIZES[options["size"]]
        slug = options["district"] or f"synthetic-{options['size']}"
        district = do_ensure_district(slug, name=f"Synthetic {options['size'].title()} "
                                      f"District {options['seed']}")
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(options["out"] or Path(tmp) / f"{slug}.zip")
            started = time.perf_counter()
            summary = write_oneroster_zip(
                out, district_name=district.name, schools=size.schools,
                teachers_per_school=size.teachers_per_school,
                students_per_school=size.students_per_school,
                administrators_per_school=size.administrators_per_school,
                seed=options["seed"], district_sourced_id=district.sourced_id)
            self.stdout.write(f"Wrote {out.name}: {summary.schools} schools, "
                              f"{summary.educators:,} educators, {summary.students:,} "
                              f"students, {summary.classes:,} classes, "
                              f"{summary.enrollments:,} enrollments")
            ri = do_preview_import(district, str(out), actor=None)
            if ri.status == RosterImport.Status.REJECTED:
                raise CommandError("the synthetic roster was rejected: "
                                   + "; ".join(e["message"] for e in ri.report["errors"][:3]))
            # Seeding is an explicit request to make the district look like the zip.
            ri = do_apply_import(ri, actor=None, confirm_removals=True)
        self.stdout.write(format_report(ri.report))
        self.stdout.write(self.style.SUCCESS(
            f"Seeded district {district.slug!r} in {time.perf_counter() - started:.1f} s"))
