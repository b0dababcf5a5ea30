"""Notices a person reads in the product (and, by default, by e-mail too).

A :class:`Notice` is written by :func:`uptake.notifications.actions.notify`, the one way any
app tells someone that something needs her (a submission to review, work returned with
feedback, a credential awarded). Notices are the person's own: nobody else reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from uptake.accounts.models import District


class Notice(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notices")
    # What it is about, for filtering and for tests ("submission_returned"); the app that
    # sends it names it. Free text, like the audit log's action.
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    # Where to act on it, a path inside Uptake ("/credentials/review/12/").
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def unread(self) -> bool:
        return self.read_at is None
