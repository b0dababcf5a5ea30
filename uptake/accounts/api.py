"""This app's part of the JSON API (uptake/api): who a credential acts for (``/me``), and
the district's schools and people for its coordinators (``/districts``, ``/schools``,
``/people``).

Who sees what mirrors the pages: the People pages and the district's figures are for its
coordinators only (``uptake.accounts.access.access_person``), so ``/districts`` and
``/people`` answer everyone else the 404 a missing object gets. Schools are listed for a
coordinator (all of her district's, as in the People page's school filter) and for a
school leader or coach (the schools she holds that role at, as on her home page); nobody
else. A role revoked, an account moved out of the district: the next request sees what
the person may see then. The writes are the People page's own: add a person, grant a
role, revoke one, deactivate and reactivate an account, through ``uptake.accounts.actions``.
"""

from datetime import datetime
from typing import Literal

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from uptake.accounts import actions
from uptake.accounts.access import (
    access_person,
    access_role_assignment,
    district_id_of,
    is_coordinator,
)
from uptake.accounts.models import District, Role, RoleAssignment, School, User
from uptake.api import support
from uptake.rules import Invalid

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


# ---------------------------------------------------------- districts, schools, people

RoleName = Literal["teacher", "coach", "assessor", "school_leader", "coordinator",
                   "researcher"]
# Ids a filter or a body may name: a database's integer key (larger answers 400, not 500).
# Text filters: never a NUL character (PostgreSQL cannot compare one).
NO_NUL = r"^[^\x00]*$"
# What a GET /people status filter means, as on the People page.
PersonStatus = Literal["active", "inactive", "all"]


def _coordinator(request: HttpRequest) -> User:
    """The caller, when she coordinates her district now; everyone else gets a 404."""
    me = support.me(request)
    if not is_coordinator(me) or me.district_id is None:
        raise Http404("Not found.")
    return me


class DistrictOut(Schema):
    id: int
    slug: str
    name: str
    identifier: str
    sourced_id: str = Field(description="The district's OneRoster org sourcedId, or ''.")
    created_at: datetime


@router.get("/districts", response=list[DistrictOut], summary="The caller's district")
@support.paginate()
def list_districts(request: HttpRequest) -> QuerySet[District]:
    """The district the caller coordinates (a list of one: nobody reaches another
    district). District coordinators only."""
    me = _coordinator(request)
    return District.objects.filter(pk=district_id_of(me))


@router.get("/districts/{district_id}", response=DistrictOut, summary="One district")
def get_district(request: HttpRequest, district_id: int) -> District:
    """The caller's own district, for its coordinators; any other id answers 404."""
    me = _coordinator(request)
    if district_id != me.district_id:
        raise Http404("No such district.")
    return District.objects.get(pk=district_id)


class SchoolOut(Schema):
    id: int
    district_id: int
    name: str
    identifier: str
    sourced_id: str = Field(description="The school's OneRoster org sourcedId, or ''.")
    active: bool


def _schools_visible_to(me: User) -> QuerySet[School]:
    """A coordinator's whole district; a leader's or coach's own schools; else 404."""
    district_id = district_id_of(me)
    schools = School.objects.filter(district_id=district_id)
    if is_coordinator(me):
        return schools
    held = me.roles.filter(role__in=[Role.SCHOOL_LEADER, Role.COACH], school__isnull=False,
                           district_id=district_id)
    if not held.exists():
        raise Http404("Not found.")
    return schools.filter(pk__in=held.values("school_id"))


@router.get("/schools", response=list[SchoolOut], summary="Schools")
@support.paginate()
def list_schools(request: HttpRequest, active: bool | None = None) -> QuerySet[School]:
    """The district's schools for its coordinators; for a school leader or coach, the
    schools where she holds that role. ``active`` narrows to open (true) or closed
    (false) schools."""
    schools = _schools_visible_to(support.me(request))
    schools = support.where(schools, active=active)
    return schools


@router.get("/schools/{school_id}", response=SchoolOut, summary="One school")
def get_school(request: HttpRequest, school_id: int) -> School:
    """One school the caller may list (see ``GET /schools``), or 404."""
    try:
        return _schools_visible_to(support.me(request)).get(pk=school_id)
    except School.DoesNotExist:
        raise Http404("No such school.") from None


class RoleHeldOut(Schema):
    id: int = Field(description="The role assignment's id (to revoke it).")
    role: RoleName
    label: str
    school_id: int | None = Field(description="Null for a district-wide role.")
    school_name: str | None
    granted_at: datetime

    @staticmethod
    def resolve_label(obj: RoleAssignment) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_school_name(obj: RoleAssignment) -> str | None:
        return obj.school.name if obj.school is not None else None


class PersonOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    name: str
    active: bool
    roles: list[RoleHeldOut]
    school_ids: list[int] = Field(description="The schools where she holds a role.")

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.display_name

    @staticmethod
    def resolve_active(obj: User) -> bool:
        return obj.is_active

    @staticmethod
    def resolve_roles(obj: User) -> list[RoleAssignment]:
        return list(obj.roles.all())

    @staticmethod
    def resolve_school_ids(obj: User) -> list[int]:
        return sorted({r.school_id for r in obj.roles.all() if r.school_id is not None})


def _people(me: User) -> QuerySet[User]:
    return User.objects.people().filter(district_id=district_id_of(me)).prefetch_related(
        Prefetch("roles", queryset=RoleAssignment.objects.select_related("school")))


@router.get("/people", response=list[PersonOut], summary="People of the district")
@support.paginate()
def list_people(request: HttpRequest,
                school: int | None = Query(None, ge=1, le=support.MAX_ID),
                role: RoleName | None = None, status: PersonStatus = "active",
                q: str | None = Query(None, max_length=200, pattern=NO_NUL)
                ) -> QuerySet[User]:
    """The district's people, as on the People page (district coordinators only):
    ``status`` active (the default), inactive (deactivated) or all; ``role`` and
    ``school`` together mean one role held at that school ("teacher at Cedar"); ``q``
    matches every word against names and e-mail."""
    me = _coordinator(request)
    people = _people(me)
    if status != "all":
        people = people.filter(is_active=status == "active")
    for word in (q or "").split():
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                               | Q(email__icontains=word))
    held = Q()
    if role is not None:
        held &= Q(role=role)
    if school is not None:
        held &= Q(school_id=school)
    if held:
        people = people.filter(pk__in=RoleAssignment.objects.filter(
            held, district_id=district_id_of(me)).values("user_id"))
    return people


@router.get("/people/{person_id}", response=PersonOut, summary="One person")
def get_person(request: HttpRequest, person_id: int) -> User:
    """One person of the coordinator's district with her roles, or 404."""
    me = _coordinator(request)
    person = access_person(me, person_id)
    return _people(me).get(pk=person.pk)


class AddPersonIn(Schema):
    first_name: str = Field(min_length=1, max_length=150, pattern=NO_NUL)
    last_name: str = Field(min_length=1, max_length=150, pattern=NO_NUL)
    email: str = Field(min_length=3, max_length=254, pattern=NO_NUL)
    role: RoleName
    school_id: int | None = Field(None, ge=1, le=support.MAX_ID,
                                  description="The school the role is held at; null for a "
                                              "district-wide role.")


def _school(me: User, school_id: int | None) -> School | None:
    """A school of the caller's district, or a refusal naming the field."""
    if school_id is None:
        return None
    school = School.objects.filter(pk=school_id, district_id=district_id_of(me)).first()
    if school is None:
        raise Invalid("There is no such school in your district.", field="school_id")
    return school


@router.post("/people", response={201: PersonOut}, summary="Add a person")
def add_person(request: HttpRequest, payload: AddPersonIn) -> Status[User]:
    """Add someone to the district with one role, as the People page's "Add person" does:
    she is e-mailed a link to choose her password; audited. An address already in use is
    refused (in the district: "find them under People"; anywhere else, without saying
    so: invite her to join instead)."""
    me = _coordinator(request)
    person = actions.do_add_person(
        actor=me, email=payload.email, first_name=payload.first_name,
        last_name=payload.last_name,
        roles=[actions.RoleGrant(payload.role, _school(me, payload.school_id))],
        request=request)
    return Status(201, _people(me).get(pk=person.pk))


class GrantRoleIn(Schema):
    role: RoleName
    school_id: int | None = Field(None, ge=1, le=support.MAX_ID,
                                  description="The school the role is held at; null "
                                                    "for a district-wide role (coordinator, "
                                                    "researcher, assessor).")


@router.post("/people/{person_id}/roles", response={201: RoleHeldOut},
             summary="Grant a role")
def grant_role(request: HttpRequest, person_id: int, payload: GrantRoleIn
               ) -> Status[RoleAssignment]:
    """Grant one role, at one school or district-wide, as the person's page does; audited.
    A school of another district, a role at the wrong scope or one already held is
    refused with the reason."""
    me = _coordinator(request)
    person = access_person(me, person_id)
    assignment = actions.do_grant_role(actor=me, person=person, role=payload.role,
                                       school=_school(me, payload.school_id),
                                       request=request)
    return Status(201, RoleAssignment.objects.select_related("school").get(pk=assignment.pk))


@router.delete("/people/{person_id}/roles/{role_id}", response={204: None},
               summary="Revoke a role")
def revoke_role(request: HttpRequest, person_id: int, role_id: int) -> Status[None]:
    """Revoke one of the person's roles, as her page does; audited. The district's last
    coordinator keeps hers, and nobody revokes her own coordinator role."""
    me = _coordinator(request)
    person = access_person(me, person_id)
    assignment = access_role_assignment(me, person, role_id)
    actions.do_revoke_role(actor=me, assignment=assignment, request=request)
    return Status(204, None)


@router.post("/people/{person_id}/deactivate", response=PersonOut,
             summary="Deactivate an account")
def deactivate_person(request: HttpRequest, person_id: int) -> User:
    """Stop the person signing in (her tokens stop working too); her data is kept, and her
    open invitations are withdrawn. Doing it again changes nothing."""
    me = _coordinator(request)
    person = access_person(me, person_id)
    actions.do_deactivate_person(actor=me, person=person, request=request)
    return _people(me).get(pk=person.pk)


@router.post("/people/{person_id}/reactivate", response=PersonOut,
             summary="Reactivate an account")
def reactivate_person(request: HttpRequest, person_id: int) -> User:
    """Let a deactivated person sign in again. Doing it again changes nothing."""
    me = _coordinator(request)
    person = access_person(me, person_id)
    actions.do_reactivate_person(actor=me, person=person, request=request)
    return _people(me).get(pk=person.pk)
