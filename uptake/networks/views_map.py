"""The PLN map, the whole network's measures, a leader's aggregate and a person's ego
network."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from uptake.accounts.access import allow
from uptake.accounts.models import Role


@allow(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR, Role.RESEARCHER)
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
