"""``uptake demo``: load (or refresh) the demo district and print a sign-in for every role,
and the address where families read the demo teacher's story (a fresh share link)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from uptake.demo.actions import DEMO_PASSWORD, DEMO_SLUG, do_load_demo


class Command(BaseCommand):
    help = "Load the Maple Valley demo district (idempotent) and print demo sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", default=settings.SITE_URL,
                            help="Where the demo is served, for the printed story link "
                                 "(default: SITE_URL, %(default)s).")

    def handle(self, *args: Any, **options: Any) -> None:
        from uptake.accounts.models import District
        from uptake.demo.badges import demo_badge_hints
        from uptake.demo.stories import demo_teacher, renew_demo_share_link

        logins = do_load_demo()
        self.stdout.write(self.style.SUCCESS("Demo district ready: Maple Valley Unified."))
        self.stdout.write(f"Sign in at /accounts/login/ with password: {DEMO_PASSWORD}")
        width = max(len(login.role) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.role:<{width}}  {login.email:<48} "
                              f"{login.name} ({login.where})")
        teacher = demo_teacher(District.objects.get(slug=DEMO_SLUG))
        path = renew_demo_share_link(teacher) if teacher is not None else None
        if teacher is not None and path is not None:
            base = str(options["base_url"]).rstrip("/")
            self.stdout.write(f"Families read {teacher.display_name}'s story, with no "
                              f"sign-in, at:\n  {base}{path}")
        badges = demo_badge_hints(District.objects.get(slug=DEMO_SLUG), teacher)
        if badges is not None:
            base = str(options["base_url"]).rstrip("/")
            shared, revoked = badges
            owner = f"{teacher.display_name}'s" if teacher is not None else "An"
            self.stdout.write(f"{owner} Open Badge, shared publicly:\n  {base}{shared}\n"
                              f"A revoked badge, {revoked}: `uptake credentials export "
                              f"{revoked} --format json -o revoked.json`, then check the "
                              f"file at {base}/verify/")
