"""This app's part of the JSON API (uptake/api): who a credential acts for (``/me``), and
the district's schools and people for its coordinators (``/districts``, ``/schools``,
``/people``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from uptake.api import support

me_router = Router()
router = Router()


class DistrictRef(Schema):
    id: int
    slug: str
    name: str


class RoleOut(Schema):
    role: str
    label: str
    school_id: int | None
    school_name: str | None


class MeOut(Schema):
    id: int
    email: str
    name: str
    district: DistrictRef | None
    roles: list[RoleOut]
    via: str
    scopes: list[str] | None


@me_router.get("", response=MeOut, summary="Who this credential acts for")
def me(request: HttpRequest) -> MeOut:
    """The person (or an integration's service account) the request acts for, with her
    current roles: what she may see through the API follows from them. ``scopes`` is null
    for a browser session (every scope)."""
    who = support.principal(request)
    user = who.user
    district = user.district
    return MeOut(
        id=user.pk, email=user.email, name=user.display_name,
        district=DistrictRef(id=district.pk, slug=district.slug, name=district.name)
        if district else None,
        roles=[RoleOut(role=r.role, label=r.get_role_display(), school_id=r.school_id,
                       school_name=r.school.name if r.school else None)
               for r in user.roles.select_related("school")],
        via=who.via, scopes=sorted(who.scopes) if who.scopes is not None else None)
