"""The audit log for district coordinators: browse with filters, export as CSV."""

from __future__ import annotations

import csv
import json

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from uptake.accounts.access import allow, district_id_of
from uptake.accounts.models import Role, User
from uptake.audit.actions import do_export_log
from uptake.audit.forms import AuditFilterForm, end_of, start_of
from uptake.audit.models import AuditEvent

EVENTS_PER_PAGE = 50


def _people_matching(district_id: int, text: str) -> list[int]:
    people = User.objects.filter(district_id=district_id)
    for word in text.split():
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                               | Q(email__icontains=word))
    return list(people.values_list("pk", flat=True)[:500])


def filtered_events(user: User, form: AuditFilterForm) -> QuerySet[AuditEvent]:
    """The district's events, narrowed by whichever filters are valid."""
    events = AuditEvent.objects.filter(district_id=district_id_of(user))
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("action"):
        events = events.filter(action=data["action"])
    if person := (data.get("person") or "").strip():
        ids = _people_matching(district_id_of(user), person)
        events = events.filter(
            Q(actor_id__in=ids) | Q(actor_label__icontains=person)
            | Q(object_type="accounts.User", object_id__in=[str(i) for i in ids]))
    if data.get("date_from"):
        events = events.filter(at__gte=start_of(data["date_from"]))
    if data.get("date_to"):
        events = events.filter(at__lt=end_of(data["date_to"]))
    if student := data.get("student"):
        # Matching the quoted JSON string finds the exact pseudonym on SQLite and PostgreSQL
        # alike (JSON "contains" lookups are not portable).
        events = events.annotate(subjects_text=Cast("subjects", TextField())).filter(
            subjects_text__contains=json.dumps(student))
    return events


def _active_filters(form: AuditFilterForm) -> dict[str, str]:
    if not form.is_valid():
        return {}
    return {k: str(v) for k, v in form.cleaned_data.items() if v}


@allow(Role.COORDINATOR)
def log(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = AuditFilterForm(request.GET or None)
    page = Paginator(filtered_events(user, form).select_related("actor"),
                     EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "export_query": query.urlencode(),
    })


class _Echo:
    def write(self, value: str) -> str:
        return value


@allow(Role.COORDINATOR)
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "audit/log.html", {"form": form, "page": None, "query": ""},
                      status=400)
    rows = do_export_log(actor=user, events=filtered_events(user, form), request=request,
                         filters=_active_filters(form))
    writer = csv.writer(_Echo())
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse((writer.writerow(r) for r in rows),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="uptake-audit-{stamp}.csv"'
    return response


