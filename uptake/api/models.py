"""Personal access tokens: a person's own key to the API, for her scripts and integrations.

Only the SHA-256 of the secret is stored (``uptake.accounts.tokens``); the secret is shown
once, when the token is made. A token acts as its owner, with her *current* roles, and only
within its scopes; it expires, can be revoked, and records when it was last used.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PersonalToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for.")
    token = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the secret.")
    prefix = models.CharField(max_length=16, help_text="The secret's first characters, "
                              "shown in lists so its owner can tell her tokens apart.")
    scopes = models.JSONField(default=list, help_text='Like ["inquiry:read", "inquiry:write"].')
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
