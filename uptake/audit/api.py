"""This app's part of the JSON API (uptake/api):
The district's audit log (district coordinators).

The same events, fields and audience as the Audit log page (``uptake.audit.views.log``):
the caller's own district's events only, for its coordinators (everyone else, and a
coordinator whose role was revoked, gets the 404 a missing page gets), newest first.
Like the page it shows who acted, what, on which object, the summary, the students'
pseudonyms an event names and the page (or API path) it came from; the IP address and the
event's internal details stay in the CSV export, which is itself recorded. Read only:
nothing changes or removes an event.
"""

import json
from datetime import UTC, datetime

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from uptake import registry
from uptake.accounts.access import district_id_of, is_coordinator
from uptake.accounts.models import User
from uptake.api import support
from uptake.audit.models import AuditEvent
from uptake.rules import Invalid

router = Router()


class AuditEventOut(Schema):
    id: int
    at: datetime
    action: str = Field(description="The kind of event (a stable key, e.g. role_granted).")
    action_label: str
    actor_id: int | None = Field(description="Who acted, when she still has an account.")
    actor_label: str = Field(description="Who acted, as recorded then (her e-mail), or ''.")
    object_type: str = Field(description="What it was done to, e.g. accounts.User, or ''.")
    object_id: str
    summary: str
    students: list[str] = Field(description="The pseudonymous IDs of the students whose "
                                            "data the event showed or changed.")
    page: str = Field(description="The page or API path the event came from, or ''.")

    @staticmethod
    def resolve_students(obj: AuditEvent) -> list[str]:
        return [str(s) for s in obj.subjects or []]


def _moment(value: datetime | None, name: str) -> datetime | None:
    """An aware moment in UTC (a moment sent without an offset is the district's time)."""
    if value is None:
        return None
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise Invalid(f"“{name}” is out of range.", field=name) from None


def _coordinator(request: HttpRequest) -> User:
    me = support.me(request)
    if not is_coordinator(me) or me.district_id is None:
        raise Http404("Not found.")
    return me


# Ids a filter may name: a database's integer key (larger answers 400, not 500).
# Text filters: never a NUL character (PostgreSQL cannot compare one).
NO_NUL = r"^[^\x00]*$"


class EventFilters(Schema):
    action: str | None = Field(None, max_length=32, pattern=NO_NUL,
                               description="One kind of event (its key).")
    actor: int | None = Field(None, ge=1, le=support.MAX_ID,
                              description="The id of the person who acted.")
    since: datetime | None = Field(None, description="Events at or after this moment.")
    until: datetime | None = Field(None, description="Events before this moment.")
    object_type: str | None = Field(None, max_length=64, pattern=NO_NUL,
                                    description="What it was done to, e.g. accounts.User.")
    object_id: str | None = Field(None, max_length=64, pattern=NO_NUL)
    student: str | None = Field(None, max_length=16, pattern=NO_NUL,
                                description="Events naming this student's pseudonymous ID.")


@router.get("/events", response=list[AuditEventOut], summary="The district's audit log")
@support.paginate(ordering=("-pk",))
def list_audit_events(request: HttpRequest, filters: Query[EventFilters]
                      ) -> QuerySet[AuditEvent]:
    """The caller's district's audit events, newest first, for its coordinators: every
    sign-in, change to people and roles, import, export, deletion and view of
    identifiable student data (through a page or a token). Filters combine."""
    action, actor, student = filters.action, filters.actor, filters.student
    object_type, object_id = filters.object_type, filters.object_id
    me = _coordinator(request)
    events = AuditEvent.objects.filter(district_id=district_id_of(me))
    if action:
        if action not in registry.audit_kinds:
            raise Invalid(f"{action!r} is not a kind of audit event.", field="action")
        events = events.filter(action=action)
    events = support.where(events, actor_id=actor)
    since, until = _moment(filters.since, "since"), _moment(filters.until, "until")
    if since is not None and until is not None and since > until:
        raise Invalid("“until” is before “since”.", field="until")
    events = support.where(events, at__gte=since, at__lt=until)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if student := (student or "").strip().upper():
        # The quoted JSON string finds the exact pseudonym on SQLite and PostgreSQL alike,
        # as the page's filter does.
        events = events.annotate(subjects_text=Cast("subjects", TextField())).filter(
            subjects_text__contains=json.dumps(student))
    return events
