"""``uptake add-coordinator --district SLUG --email E [--first-name F --last-name L]
[--district-name NAME]``.

Gives a district its first (or another) coordinator from the server's command line, since
Uptake has no self sign-up and no admin site. With ``--district-name`` a missing district is
created. A new account is e-mailed a link to choose a password. Exit status 1 on a refused
change (message on stderr); nothing is half-done.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from uptake.accounts.actions import (
    AccountRuleError,
    do_add_coordinator_from_command_line,
    do_ensure_district,
)
from uptake.accounts.models import District


class Command(BaseCommand):
    help = "Make someone a district coordinator (creating the account if needed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="the district's slug")
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--district-name", default="",
                            help="create the district with this name if it does not exist")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                district = self._district(options["district"], options["district_name"])
                person, created = do_add_coordinator_from_command_line(
                    district=district, email=options["email"],
                    first_name=options["first_name"], last_name=options["last_name"])
        except AccountRuleError as exc:
            raise CommandError(str(exc)) from None
        if created:
            self.stdout.write(f"Created {person.email} as coordinator of {district.name}; "
                              "e-mailed a link to choose a password.")
        else:
            self.stdout.write(f"{person.email} is now a coordinator of {district.name}.")

    def _district(self, slug: str, name: str) -> District:
        district = District.objects.filter(slug=slug).first()
        if district is not None:
            return district
        if not name:
            raise CommandError(f"No district with slug {slug!r}; pass --district-name to "
                               "create it.")
        return do_ensure_district(slug, name=name)
