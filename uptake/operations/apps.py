"""Running Uptake: the shared cache's table, request-size limits, worker leases, checks."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OperationsConfig(AppConfig):
    name = "uptake.operations"
    label = "operations"

    def ready(self) -> None:
        from uptake.operations import checks  # noqa: F401  (registers the system checks)

        post_migrate.connect(create_cache_table, sender=self)


def create_cache_table(*, using: str = "default", verbosity: int = 1, **kwargs: Any) -> None:
    """Create the database cache's table after every ``migrate`` (and test database).

    Django leaves it to ``createcachetable``, a step operators forget; without the table,
    sign-in throttling and idempotency keys would fail on the first request. Does nothing
    when the cache is Redis, or when the table exists.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))
