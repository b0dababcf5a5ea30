"""Who may reach what.

Every view declares its audience with :func:`allow`; the access-matrix test reads that
declaration for every URL pattern, so a view without one fails the suite. Objects are
fetched through helpers that give the same 404 for "missing" and "forbidden".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase

from uptake.accounts.models import District, Invitation, Role, RoleAssignment, School, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from typing_extensions import TypeIs

ANY_ROLE = "any-role"
ANONYMOUS = "anonymous"

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


@dataclass(frozen=True)
class Audience:
    """Who a view is for: anonymous visitors, any signed-in person, or holders of roles."""

    roles: frozenset[str]

    @property
    def anonymous(self) -> bool:
        return ANONYMOUS in self.roles

    def admits(self, user: User | AnonymousUser) -> bool:
        if self.anonymous:
            return True
        if not isinstance(user, User) or not user.is_authenticated:
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
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not audience.anonymous and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not audience.admits(request.user):
                raise Http404("No such page.")
            return view(request, *args, **kwargs)

        wrapper.uptake_audience = audience  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def signed_in_person(request: HttpRequest) -> User:
    """The signed-in person of a view that ``allow`` admitted only signed-in people to."""
    return request.user  # type: ignore[return-value]


def audience_of(view: Callable[..., Any]) -> Audience | None:
    return getattr(view, "uptake_audience", None)


def in_a_district(user: User | AnonymousUser) -> TypeIs[User]:
    """Whether this is a signed-in person with a district (everyone else reaches nothing
    that belongs to one). Narrows the type, so access helpers take ``User | AnonymousUser``."""
    return bool(getattr(user, "is_authenticated", False)) \
        and getattr(user, "district_id", None) is not None


def district_of(user: User) -> District:
    """The one district a signed-in person works in, or 404."""
    if user.district_id is None:
        raise Http404("No such page.")
    return user.district  # type: ignore[return-value]


def district_id_of(user: User) -> int:
    """The id of the person's district, or 404 for someone without one."""
    if user.district_id is None:
        raise Http404("No such page.")
    return user.district_id


def schools_led_by(user: User) -> list[int]:
    return list(user.roles.filter(role=Role.SCHOOL_LEADER, school__isnull=False)
                .values_list("school_id", flat=True))


def is_coordinator(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


def access_school(user: User, school_id: int) -> School:
    """A school of the person's own district, or 404."""
    try:
        return School.objects.get(pk=school_id, district_id=district_id_of(user))
    except (School.DoesNotExist, ValueError, TypeError):
        raise Http404("No such school.") from None


def access_person(user: User, person_id: int) -> User:
    """A person a coordinator may manage (same district), or 404."""
    if not is_coordinator(user):
        raise Http404("No such person.")
    try:
        return User.objects.people().get(pk=person_id, district_id=district_id_of(user))
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("No such person.") from None


def access_role_assignment(user: User, person: User, assignment_id: int) -> RoleAssignment:
    """One of ``person``'s role assignments (``person`` already fetched by access_person)."""
    try:
        return RoleAssignment.objects.select_related("school").get(
            pk=assignment_id, user=person, district_id=district_id_of(user))
    except (RoleAssignment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such role.") from None


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    """Invitations someone sent; a coordinator also sees every one from her district."""
    if not user.is_authenticated or user.district_id is None:
        return Invitation.objects.none()
    qs = Invitation.objects.select_related("invited_by", "school", "accepted_by")
    if is_coordinator(user):
        return qs.filter(district_id=user.district_id)
    return qs.filter(invited_by=user, district_id=user.district_id)


def access_invitation(user: User, invitation_id: int) -> Invitation:
    try:
        return invitations_visible_to(user).get(pk=invitation_id)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such invitation.") from None
