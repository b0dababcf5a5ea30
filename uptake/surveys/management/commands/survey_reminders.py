"""``manage.py survey_reminders``: remind the people who have not answered open surveys.

Run it daily (cron, or the ``remind_open_surveys_task`` task on the db worker). Each person
is reminded at most once every ``remind_every_days`` days of the survey, and never after
answering; ``--dry-run`` only counts.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from uptake.surveys.actions import due_for_reminder, remind_open_surveys
from uptake.surveys.models import Survey


class Command(BaseCommand):
    help = "Remind people who have not answered open surveys (only them, at most every N days)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="Count who would be reminded; send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            due = {s.title: due_for_reminder(s).count() for s in Survey.objects.filter(
                published_at__isnull=False, closed_at__isnull=True)
                if s.status == Survey.Status.OPEN}
            for title, count in due.items():
                self.stdout.write(f"{title}: {count} would be reminded")
            return
        with transaction.atomic():
            sent = remind_open_surveys()
        total = sum(sent.values())
        self.stdout.write(f"Sent {total} reminder{'s' if total != 1 else ''} for "
                          f"{len(sent)} survey{'s' if len(sent) != 1 else ''}.")
