"""The only way rows reach the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from uptake.audit.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from uptake.accounts.models import District, User


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: AuditAction | str,
    *,
    actor: User | None = None,
    district: District | None = None,
    request: HttpRequest | None = None,
    obj: Any = None,
    summary: str = "",
    subjects: Iterable[str] = (),
    details: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event. Called inside the action whose effect it records."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user  # type: ignore[assignment]
    if district is None and actor is not None:
        district = actor.district
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=actor_label or (actor.email if actor is not None else ""),
        district=district,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
        subjects=sorted(set(subjects)),
        page=request.get_full_path()[:500] if request is not None else "",
        ip_address=_client_ip(request),
        details=details or {},
    )


def record_student_read(
    request: HttpRequest, pseudonyms: Iterable[str], *, summary: str, obj: Any = None
) -> AuditEvent | None:
    """Log that identifiable student data was shown to the requesting person."""
    subjects = list(pseudonyms)
    if not subjects:
        return None
    return record(AuditAction.STUDENT_DATA_READ, request=request, obj=obj, summary=summary,
                  subjects=subjects)
