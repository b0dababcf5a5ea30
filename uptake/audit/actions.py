"""The only way rows reach the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from typing import TYPE_CHECKING, Any

from uptake import registry
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
    """Append one event. Called inside the action whose effect it records.

    ``action`` must be a kind registered in ``uptake.registry.audit_kinds``.
    """
    if str(action) not in registry.audit_kinds:
        raise ValueError(f"{action!r} is not a registered audit kind; register it in its "
                         "app's AppConfig.ready() (uptake.registry.audit_kinds).")
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if district is None and actor is not None:
        district = actor.district
    # Through the API with a token: which one (its label, never its secret).
    credential = getattr(request, "api_principal", None)
    if credential is not None and credential.via != "session":
        details = {**(details or {}), "credential": credential.label}
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


def _account_for(email: str) -> User | None:
    from uptake.accounts.models import User

    if not email:
        return None
    return User.objects.filter(email__iexact=email).select_related("district").first()


def record_sign_in(request: HttpRequest | None, user: User) -> AuditEvent:
    return record(AuditAction.LOGIN, actor=user, request=request, obj=user, summary="Signed in")


def record_sign_out(request: HttpRequest | None, user: User | None) -> AuditEvent | None:
    if user is None:  # a sign-out without a session changes nothing worth logging
        return None
    return record(AuditAction.LOGOUT, actor=user, request=request, obj=user,
                  summary="Signed out")


def record_password_change(request: HttpRequest | None, user: User, *, by_email: bool
                           ) -> AuditEvent:
    action = AuditAction.PASSWORD_RESET if by_email else AuditAction.PASSWORD_CHANGED
    return record(action, actor=user, request=request, obj=user,
                  summary="Password reset through an e-mailed link" if by_email
                  else "Password changed")


_MFA_WORDS = {"added": "turned on", "removed": "turned off", "reset": "regenerated"}


def record_mfa_change(request: HttpRequest | None, user: User, *, change: str, kind: str
                      ) -> AuditEvent:
    """Two-step sign-in turned on or off, or recovery codes regenerated."""
    what = "recovery codes" if kind == "recovery_codes" else "authenticator app"
    return record(AuditAction.MFA_CHANGED, actor=user, request=request, obj=user,
                  summary=f"Two-step sign-in: {what} {_MFA_WORDS.get(change, change)}",
                  details={"change": change, "kind": kind})


def record_sign_in_failure(request: HttpRequest | None, attempted: str) -> AuditEvent:
    """A failed sign-in, labelled with the e-mail tried (never the password).

    The event belongs to the district of the account that e-mail names, so that district's
    coordinators see attempts on their people; attempts on unknown e-mails belong to nobody.
    """
    account = _account_for(attempted)
    return record(AuditAction.LOGIN_FAILED, actor=None, request=request,
                  actor_label=attempted[:255] or "(no e-mail given)",
                  district=account.district if account is not None else None,
                  obj=account, summary="Sign-in failed")


def record_lockout(request: HttpRequest | None, attempted: str) -> AuditEvent:
    account = _account_for(attempted)
    return record(AuditAction.LOCKED_OUT, actor=None, request=request,
                  actor_label=attempted[:255] or "(no e-mail given)",
                  district=account.district if account is not None else None,
                  obj=account,
                  summary="Sign-in refused: too many failed attempts for this account")


# -------------------------------------------------------------------------- export

CSV_COLUMNS = ("when_utc", "actor", "event", "event_label", "object_type", "object_id",
               "summary", "students", "page", "ip_address", "details")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """Text safe to open in a spreadsheet: a leading formula character is neutralised.

    Some values (the e-mail typed into a failed sign-in) are chosen by strangers.
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def export_rows(events: Any) -> Iterable[list[str]]:
    import json

    yield list(CSV_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        yield [_cell(v) for v in (
            event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), event.actor_label,
            event.action, event.action_label, event.object_type, event.object_id,
            event.summary, " ".join(event.subjects or []), event.page, event.ip_address or "",
            json.dumps(event.details, sort_keys=True) if event.details else "")]


def do_export_log(*, actor: User, events: Any, request: HttpRequest | None,
                  filters: dict[str, Any]) -> Iterable[list[str]]:
    """Record the export, then return its rows (events up to the export, never after)."""
    last = events.order_by("-pk").values_list("pk", flat=True).first() or 0
    count = events.filter(pk__lte=last).count()
    record(AuditAction.EXPORT, actor=actor, request=request,
           summary=f"Exported {count} audit log event{'s' if count != 1 else ''} as CSV",
           details={"what": "audit_log", "filters": filters, "rows": count})
    return export_rows(events.filter(pk__lte=last))
