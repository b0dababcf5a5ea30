"""Personal access tokens: a person's own key to the API, for her scripts and integrations.

Only the SHA-256 of the secret is stored (``uptake.accounts.tokens``); the secret is shown
once, when the token is made. A token acts as its owner, with her *current* roles, and only
within its scopes; it expires, can be revoked, and records when it was last used.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Credential(models.Model):
    """What a personal token and an integration share: the scopes they carry, when they
    were made, revoked (and by whom) and last used (and from where)."""

    scopes = models.JSONField(default=list, help_text='Like ["inquiry:read", "inquiry:write"].')
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]


class PersonalToken(Credential):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for.")
    token = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the secret.")
    prefix = models.CharField(max_length=16, help_text="The secret's first characters, "
                              "shown in lists so its owner can tell her tokens apart.")
    expires_at = models.DateTimeField()

    class Meta(Credential.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Integration(Credential):
    """A district's integration (its SIS, its warehouse) calling the API as a machine, with
    the OAuth 2.0 client-credentials grant (RFC 6749, section 4.4) of ``allauth.idp.oidc``.

    The integration acts as its **service account**: a person of the district who cannot
    sign in (no usable password, an address at ``.invalid``), holding the roles the
    coordinator gave it; its access tokens carry at most ``scopes``, and it may make at most
    ``rate_per_minute`` requests a minute. Revoked, it opens nothing again.
    """

    district = models.ForeignKey("accounts.District", on_delete=models.CASCADE,
                                 related_name="api_integrations")
    name = models.CharField(max_length=100, help_text="What the integration is.")
    client = models.OneToOneField("allauth_idp_oidc.Client", on_delete=models.PROTECT,
                                  related_name="uptake_integration")
    service_account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                           related_name="api_integration")
    rate_per_minute = models.PositiveIntegerField(default=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta(Credential.Meta):
        pass

    def __str__(self) -> str:
        return self.name
