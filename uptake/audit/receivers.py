"""Sign-in events from Django, allauth and django-axes, written to the audit log.

Receivers only translate a signal into a call of an audit action; they hold no logic.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
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


@receiver(password_changed, dispatch_uid="uptake.audit.password_changed")
@receiver(password_set, dispatch_uid="uptake.audit.password_set")
def on_password_changed(sender: Any, request: Any = None, user: Any = None, **kwargs: Any
                        ) -> None:
    actions.record_password_change(request, user, by_email=False)


@receiver(password_reset, dispatch_uid="uptake.audit.password_reset")
def on_password_reset(sender: Any, request: Any = None, user: Any = None, **kwargs: Any
                      ) -> None:
    actions.record_password_change(request, user, by_email=True)


def _on_mfa(change: str) -> Any:
    def handler(sender: Any, request: Any = None, user: Any = None, authenticator: Any = None,
                **kwargs: Any) -> None:
        kind = str(getattr(authenticator, "type", ""))
        actions.record_mfa_change(request, user, change=change, kind=kind)

    return handler


on_mfa_added = _on_mfa("added")
on_mfa_removed = _on_mfa("removed")
on_mfa_reset = _on_mfa("reset")
authenticator_added.connect(on_mfa_added, dispatch_uid="uptake.audit.mfa_added")
authenticator_removed.connect(on_mfa_removed, dispatch_uid="uptake.audit.mfa_removed")
authenticator_reset.connect(on_mfa_reset, dispatch_uid="uptake.audit.mfa_reset")
