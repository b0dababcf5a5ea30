"""Who may reach what.

Every view declares its audience with :func:`allow`; the access-matrix test reads that
declaration for every URL pattern, so a view without one fails the suite. Objects are
fetched through helpers that give the same 404 for "missing" and "forbidden".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from uptake.accounts.models import District, Role, School, User

ANY_ROLE = "any-role"
ANONYMOUS = "anonymous"

V = TypeVar("V", bound=Callable[..., HttpResponse])


@dataclass(frozen=True)
class Audience:
    """Who a view is for: anonymous visitors, any signed-in person, or holders of roles."""

    roles: frozenset[str]

    @property
    def anonymous(self) -> bool:
        return ANONYMOUS in self.roles

    def admits(self, user: Any) -> bool:
        if self.anonymous:
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        if ANY_ROLE in self.roles:
            return True
        return bool(user.has_role(*self.roles))


def allow(*roles: str) -> Callable[[V], V]:
    """Declare and enforce a view's audience.

    ``allow(ANONYMOUS)`` for public pages, ``allow(ANY_ROLE)`` for any signed-in person,
    ``allow(Role.COORDINATOR, ...)`` for holders of one of those roles. Someone signed in
    without the role gets a 404, exactly as if the page did not exist.
    """
    unknown = set(roles) - {ANY_ROLE, ANONYMOUS} - set(Role.values)
    if not roles or unknown:
        raise ValueError(f"allow() needs known roles, got {roles!r}")
    audience = Audience(frozenset(roles))

    def decorate(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not audience.anonymous and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not audience.admits(request.user):
                raise Http404("No such page.")
            return view(request, *args, **kwargs)

        wrapper.uptake_audience = audience  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def audience_of(view: Callable[..., Any]) -> Audience | None:
    return getattr(view, "uptake_audience", None)


def district_of(user: User) -> District:
    """The one district a signed-in person works in, or 404."""
    if user.district_id is None:
        raise Http404("No such page.")
    return user.district  # type: ignore[return-value]


def schools_led_by(user: User) -> list[int]:
    return list(user.roles.filter(role=Role.SCHOOL_LEADER, school__isnull=False)
                .values_list("school_id", flat=True))


def is_coordinator(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


def access_school(user: User, school_id: int) -> School:
    """A school of the person's own district, or 404."""
    try:
        return School.objects.get(pk=school_id, district_id=user.district_id)
    except (School.DoesNotExist, ValueError, TypeError):
        raise Http404("No such school.") from None


def access_person(user: User, person_id: int) -> User:
    """A person a coordinator may manage (same district), or 404."""
    if not is_coordinator(user):
        raise Http404("No such person.")
    try:
        return User.objects.get(pk=person_id, district_id=user.district_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("No such person.") from None
