from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from uptake.accounts.access import ANY_ROLE, allow
from uptake.accounts.home import home_context
from uptake.accounts.models import Role, User


@allow(ANY_ROLE)
def home(request: HttpRequest) -> HttpResponse:
    """A home page per role: what each role held by this person needs first."""
    return render(request, "accounts/home.html", home_context(request.user))  # type: ignore[arg-type]


@allow(Role.COORDINATOR)
def people(request: HttpRequest) -> HttpResponse:
    persons = User.objects.filter(district_id=request.user.district_id).prefetch_related(  # type: ignore[union-attr]
        "roles__school")
    return render(request, "accounts/people.html", {"people": persons})
