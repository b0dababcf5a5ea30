"""``manage.py refresh_summaries [--district N]``: recompute every measure's per-series
summaries (all districts, or one), for a full rebuild and for the demo loader."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from uptake.inquiry.models import Measure
from uptake.inquiry.summaries import refresh_measures


class Command(BaseCommand):
    help = "Recompute the per-series summaries of every measure (of one district)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", type=int, default=None,
                            help="Only this district's measures (its id).")

    def handle(self, *args: Any, **options: Any) -> None:
        measures = Measure.objects.all()
        if options["district"] is not None:
            measures = measures.filter(inquiry__district_id=options["district"])
        ids = list(measures.order_by("pk").values_list("pk", flat=True))
        done = refresh_measures(ids)
        self.stdout.write(f"Refreshed the summaries of {done} measure{'s' * (done != 1)}.")
