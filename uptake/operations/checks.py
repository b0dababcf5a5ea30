"""System checks that stop a production start or a ``check --deploy`` with unsafe settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

DEMO_KEY_HINT = ("Set SECRET_KEY to 50 or more random characters of your own, e.g. "
                 "python -c \"import secrets; print(secrets.token_urlsafe(50))\"; "
                 "see docs/configuration.md.")


def _demo_key_error() -> Error:
    return Error("SECRET_KEY is the demo key written in Uptake's source code: anyone can "
                 "forge sessions, password-reset links and signed values with it.",
                 hint=DEMO_KEY_HINT, id="uptake.E001")


@register(Tags.security, deploy=True)
def secret_key_is_not_the_demo_key(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """``check --deploy`` judges production settings: the demo key is always an error."""
    return [_demo_key_error()] if settings.SECRET_KEY == settings.DEMO_SECRET_KEY else []


@register(Tags.security)
def secret_key_is_allowed_here(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Every start (``migrate``, ``runserver``, the worker) outside the demo and the tests.

    settings.py already refuses this; the check also catches settings that were changed
    after it ran (a settings module importing ours and overriding the flags).
    """
    if settings.SECRET_KEY != settings.DEMO_SECRET_KEY or settings.DEMO or settings.TESTING:
        return []
    return [_demo_key_error()]
