"""``uptake demo``: load (or refresh) the demo district and print a sign-in for every role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from uptake.demo.actions import DEMO_PASSWORD, do_load_demo


class Command(BaseCommand):
    help = "Load the Maple Valley demo district (idempotent) and print demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = do_load_demo()
        self.stdout.write(self.style.SUCCESS("Demo district ready: Maple Valley Unified."))
        self.stdout.write(f"Sign in at /accounts/login/ with password: {DEMO_PASSWORD}")
        width = max(len(login.role) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.role:<{width}}  {login.email:<48} "
                              f"{login.name} ({login.where})")
