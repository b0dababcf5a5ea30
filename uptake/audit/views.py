from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from uptake.accounts.access import allow
from uptake.accounts.models import Role
from uptake.audit.models import AuditEvent


@allow(Role.COORDINATOR)
def log(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.filter(district_id=request.user.district_id)[:200]  # type: ignore[union-attr]
    return render(request, "audit/log.html", {"events": events})
