"""The append-only audit log. Rows are written by actions (uptake.audit.actions) only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from uptake import registry


class AuditAction(models.TextChoices):
    """The kinds the audit log had before apps registered their own; each stays valid.

    The ``action`` field has no choices: the kinds it accepts are those registered in
    ``uptake.registry.audit_kinds`` (these, by AuditConfig.ready(); an app's own, by its
    ``AppConfig.ready()``), checked by ``uptake.audit.actions.record``, so a new app's kinds
    need no audit migration.
    """

    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    LOGOUT = "logout", "Signed out"
    LOCKED_OUT = "locked_out", "Locked out"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset by e-mail"
    MFA_CHANGED = "mfa_changed", "Two-step sign-in changed"
    ROLE_GRANTED = "role_granted", "Role granted"
    ROLE_REVOKED = "role_revoked", "Role revoked"
    PERSON_CREATED = "person_created", "Person added"
    PERSON_UPDATED = "person_updated", "Person updated"
    PERSON_DEACTIVATED = "person_deactivated", "Person deactivated"
    PERSON_REACTIVATED = "person_reactivated", "Person reactivated"
    INVITATION_SENT = "invitation_sent", "Invitation sent"
    INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
    INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
    IMPORT_PREVIEWED = "import_previewed", "Import checked"
    IMPORT_APPLIED = "import_applied", "Import applied"
    IMPORT_REJECTED = "import_rejected", "Import rejected"
    EXPORT = "export", "Export"
    DELETION = "deletion", "Deletion"
    STUDENT_DATA_READ = "student_data_read", "Student data viewed"
    PLAN_SHARED = "plan_shared", "Learning plan shared"
    PLAN_UNSHARED = "plan_unshared", "Learning plan no longer shared"
    PLAN_REVIEWED = "plan_reviewed", "Learning plan review logged"
    FRAMEWORK_CHANGED = "framework_changed", "Framework changed"
    INQUIRY_SHARED = "inquiry_shared", "Inquiry shared"
    INQUIRY_UNSHARED = "inquiry_unshared", "Inquiry no longer shared"
    MEASURE_DATA_SAVED = "measure_data_saved", "Student-learning data saved"
    EVIDENCE_ADDED = "evidence_added", "Evidence added"
    EVIDENCE_SHARED = "evidence_shared", "Evidence shared"
    EVIDENCE_UNSHARED = "evidence_unshared", "Evidence no longer shared"
    EVIDENCE_CHANGED = "evidence_changed", "Evidence changed"
    PROTOCOL_CHANGED = "protocol_changed", "Observation protocol changed"
    OBSERVATION_INVITED = "observation_invited", "Colleague invited to observe"
    OBSERVATION_WITHDRAWN = "observation_withdrawn", "Observation invitation withdrawn"
    OBSERVATION_RECORDED = "observation_recorded", "Observation tallies recorded"
    STUDENT_WORK_RECORDED = "student_work_recorded", "Student work scored or grouped"
    INQUIRY_CHANGED = "inquiry_changed", "Inquiry changed"


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    # Kept as text so the log still says who acted after an account is removed.
    actor_label = models.CharField(max_length=255, blank=True)
    district = models.ForeignKey("accounts.District", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")
    action = models.CharField(max_length=32, db_index=True)  # a registered audit kind
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    # For student_data_read: which students' data was shown (pseudonyms, never names).
    subjects = models.JSONField(default=list, blank=True)
    page = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["district", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")

    @property
    def action_label(self) -> str:
        """The registered kind's label; the raw kind when its app is gone."""
        kind = registry.audit_kinds.get(self.action)
        return kind.label if kind is not None else self.action
