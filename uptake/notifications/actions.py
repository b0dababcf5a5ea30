"""Telling people things (the one write path of notices): :func:`notify` stores the notice
she reads in the product and sends the same words by e-mail (the console backend in
development), after the transaction that caused it commits, so a refused change tells
nobody anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from uptake.notifications.models import Notice
from uptake.rules import NotAllowed

if TYPE_CHECKING:
    from uptake.accounts.models import User

SUBJECT_MAX = 200
_QUIET: ContextVar[bool] = ContextVar("uptake_notices_quiet", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    """Notices written inside are stored but not e-mailed (loading the demo district)."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def notify(recipient: User, *, kind: str, subject: str, body: str = "", url: str = "",
           email: bool = True) -> Notice | None:
    """Tell ``recipient`` something; None when she cannot be told (no district, account
    closed). The e-mail leaves only once the surrounding transaction has committed (and
    not at all inside :func:`quiet`); a mail server that fails is logged, never raised
    into the request that caused the notice."""
    if recipient.district_id is None or not recipient.is_active:
        return None
    notice = Notice.objects.create(district_id=recipient.district_id, recipient=recipient,
                                   kind=kind, subject=subject[:SUBJECT_MAX], body=body,
                                   url=url, emailed=(email and bool(recipient.email)
                                                     and not _QUIET.get()))
    if notice.emailed:
        text = body + (f"\n\nOpen it in Uptake:\n\n{_absolute(url)}\n" if url else "\n")
        transaction.on_commit(lambda: send_mail(
            subject=notice.subject, message=text, from_email=None,
            recipient_list=[recipient.email]), robust=True)
    return notice


def do_mark_read(notice: Notice, *, actor: User) -> Notice:
    """Mark one of her notices read."""
    if notice.recipient_id != actor.pk:
        raise NotAllowed("That notice is someone else's.")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def do_mark_all_read(*, actor: User) -> int:
    """Mark all her unread notices read; how many were."""
    return Notice.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now())
