"""Issuers, their keys, status lists and the signed credentials (docs/badges.md).

A signed credential is kept as the exact text that was signed (``Badge.document``), never
rebuilt: what a verifier checks is byte for byte what the educator downloaded.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from uptake.accounts.models import District
from uptake.credentials.models import Award


class Issuer(models.Model):
    """A district as an Open Badges issuer: ``did:web:<host>:issuers:<uuid>``, whose DID
    document is served at ``/issuers/<uuid>/did.json``."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="issuer")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The Profile in every credential: the district's name, and these when given.
    url = models.URLField(blank=True, help_text="The district's public web site.")
    email = models.EmailField(blank=True, help_text="Where questions about its credentials go.")
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Issuer for {self.district}"


class IssuerKey(models.Model):
    """One key of an issuer, ``#key-<number>`` in its DID document. Keys are added, never
    removed: a retired key stays listed so the credentials it signed still verify.
    The private half is encrypted with ``BADGE_KEY_ENCRYPTION_KEY`` (``keystore.py``)."""

    class Kind(models.TextChoices):
        ED25519 = "ed25519", "Ed25519 (eddsa-rdfc-2022 proofs)"
        RSA = "rsa", "RSA (VC-JWT, RS256)"

    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="keys")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Ed25519: the publicKeyMultibase; RSA: the public JWK as JSON.
    public = models.TextField()
    private_encrypted = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    # Set when a newer key of the same kind took over signing.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issuer", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="issuerkey_unique_number"),
            models.UniqueConstraint(fields=["issuer", "kind"], condition=Q(retired_at=None),
                                    name="issuerkey_one_signing_key_per_kind"),
        ]

    def __str__(self) -> str:
        return f"key-{self.number} ({self.kind}) of {self.issuer}"

    @property
    def fragment(self) -> str:
        return f"key-{self.number}"


class StatusList(models.Model):
    """A W3C Bitstring Status List for revocation, served at ``/issuers/<uuid>/status/
    <number>``. ``bits`` is the raw bitstring; ``signed`` the list credential as last
    signed (re-signed on every revocation)."""

    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="status_lists")
    number = models.PositiveIntegerField()
    purpose = models.CharField(max_length=20, default="revocation")
    entries = models.PositiveIntegerField(default=131_072)
    bits = models.BinaryField()
    signed = models.TextField(blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issuer", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="statuslist_unique_number"),
        ]

    def __str__(self) -> str:
        return f"Status list {self.number} of {self.issuer}"


class Badge(models.Model):
    """One signed OpenBadgeCredential: an award as issued.

    ``document`` is the signed JSON exactly as issued; ``jwt`` its VC-JWT when the issuer
    has an RSA key. ``status_index`` is a random, never reused bit of ``status_list``.
    The public verification page exists only while ``shared_at`` is set."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="badge")
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="badges")
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="badges")
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="badges")
    status_index = models.PositiveIntegerField()
    salt = models.CharField(max_length=64)
    document = models.TextField()
    jwt = models.TextField(blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    shared_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["status_list", "status_index"],
                                    name="badge_unique_status_index"),
        ]

    def __str__(self) -> str:
        return f"Badge {self.uuid} for award {self.award_id}"

    @property
    def credential_id(self) -> str:
        return f"urn:uuid:{self.uuid}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class IssueProblem(models.Model):
    """An award that could not be issued: the checks before signing failed. The district's
    coordinator sees ``problems`` and can try again once the credential is fixed."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="issue_problems")
    problems = models.JSONField(default=list)
    found_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-found_at", "-pk"]

    def __str__(self) -> str:
        return f"Could not issue award {self.award_id}"
