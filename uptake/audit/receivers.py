"""Sign-in events from Django, allauth and django-axes, written to the audit log.

Receivers only translate a signal into a call of an audit action; they hold no logic.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from uptake.accounts.lockout import attempted_login
from uptake.audit import actions


@receiver(user_logged_in, dispatch_uid="uptake.audit.logged_in")
def on_logged_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    actions.record_sign_in(request, user)


@receiver(user_logged_out, dispatch_uid="uptake.audit.logged_out")
def on_logged_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    actions.record_sign_out(request, user)


@receiver(user_login_failed, dispatch_uid="uptake.audit.login_failed")
def on_login_failed(sender: Any, credentials: dict[str, Any] | None = None, request: Any = None,
                    **kwargs: Any) -> None:
    # Django has already masked the password in ``credentials``; only the e-mail is read.
    actions.record_sign_in_failure(request, attempted_login(request, credentials))


@receiver(user_locked_out, dispatch_uid="uptake.audit.locked_out")
def on_locked_out(sender: Any, request: Any = None, username: str | None = None,
                  **kwargs: Any) -> None:
    actions.record_lockout(request, username or attempted_login(request, None))
