"""Access through a grant: the owner's consent, re-checked against who the grantee is now.

A :class:`~uptake.accounts.models.Grant` records that the owner of an object (an inquiry,
a learning plan, evidence) let one named person see it. It never opens anything by itself:
every read asks, in the same query, whether the grantee *now* holds a role that may see the
object — a coach or school leader at a school where the owner works now, or (where the
object's :class:`GrantRule` says so) a coordinator of the district — with an active
account in the object's district, and whether the grant is neither withdrawn nor expired.
A coach moved to another school, a leader who left, a deactivated account: the grant stays
in the history and stops working at once, and comes back only if she is eligible again.

Each app states its rule next to its access helpers (``INQUIRY_GRANTS`` and so on) and
filters with :func:`granted_q`; sharing forms offer :func:`eligible_grantees`; pages that
list who an object is shared with show :func:`grants_on`, which marks lapsed grants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, Q, QuerySet
from django.utils import timezone

from uptake.accounts.access import district_id_of, in_a_district
from uptake.accounts.models import Grant, Role, RoleAssignment, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from typing_extensions import TypeIs


@dataclass(frozen=True)
class GrantRule:
    """Who may hold a grant on one kind of object.

    ``school_roles``: roles the grantee must hold at a school where the owner works now.
    ``coordinators``: whether a coordinator of the owner's district may hold one too.
    ``district_roles``: roles that qualify wherever in the district they are held (an
    assessor reads a candidate's submission whatever school either of them works at).
    """

    school_roles: frozenset[str]
    coordinators: bool = False
    district_roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GrantStanding:
    """A grant that has not been withdrawn, and why it no longer works ('' if it does)."""

    grant: Grant
    lapsed: str

    @property
    def grantee(self) -> User:
        return self.grant.grantee

    @property
    def last_day(self) -> date | None:
        """The last day the grant was given for (it ends at that day's close), or None."""
        return last_day(self.grant.expires_at)


NOTHING = Q(pk__in=[])


def live_q(now: datetime | None = None) -> Q:
    """Grants not withdrawn and not expired (on the Grant model)."""
    now = now or timezone.now()
    return Q(withdrawn_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def end_of_day(day: date | None) -> datetime | None:
    """A grant chosen to last "until" a day lasts through that whole day (local time)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def last_day(expires_at: datetime | None) -> date | None:
    """The day a grant ending at ``expires_at`` was given "until" (undoes :func:`end_of_day`)."""
    if expires_at is None:
        return None
    return (timezone.localtime(expires_at) - timedelta(seconds=1)).date()


def shared_message(person: User, until: date | None) -> str:
    """What the owner is told after sharing."""
    if until is None:
        return f"Shared with {person.display_name}."
    return f"Shared with {person.display_name} until {until.day} {until:%b %Y}."


def content_type_of(model: type[Model] | Model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def _in_district(user: User | AnonymousUser) -> TypeIs[User]:
    return in_a_district(user) and user.is_active


def granted_q(user: User | AnonymousUser, model: type[Model], rule: GrantRule, *,
              owner: str = "owner") -> Q:
    """A filter on ``model``: the objects granted to ``user`` that she may see *now*.

    ``owner`` names the model's field holding the person who gave the grant's consent.
    Subqueries only, no per-row Python and nothing decided before the query runs: the live
    grants to her, and whether she may still see through one (the owner works at one of
    her schools in a role the rule names, or she is a coordinator where the rule allows).
    """
    if not _in_district(user):
        return NOTHING
    district_id = district_id_of(user)
    grants = Grant.objects.filter(live_q(), content_type=content_type_of(model), grantee=user,
                                  district_id=district_id)
    mine = RoleAssignment.objects.filter(user=user, district_id=district_id)
    schools = mine.filter(role__in=rule.school_roles, school__isnull=False).values("school_id")
    owners = RoleAssignment.objects.filter(school_id__in=schools).values("user_id")
    eligible = Q(**{f"{owner}__in": owners})
    if rule.coordinators:
        eligible |= Q(Exists(mine.filter(role=Role.COORDINATOR)))
    if rule.district_roles:
        eligible |= Q(Exists(mine.filter(role__in=rule.district_roles)))
    return Q(pk__in=grants.values("object_id"), district_id=district_id) & eligible


def eligible_grantees(owner: User, rule: GrantRule) -> QuerySet[User]:
    """The people the owner may grant access to now: those :func:`granted_q` would admit."""
    if owner.district_id is None:
        return User.objects.none()
    in_district = RoleAssignment.objects.filter(district_id=owner.district_id)
    schools = in_district.filter(user=owner, school__isnull=False).values("school_id")
    q = Q(pk__in=in_district.filter(role__in=rule.school_roles, school_id__in=schools)
          .values("user_id"))
    if rule.coordinators:
        q |= Q(pk__in=in_district.filter(role=Role.COORDINATOR).values("user_id"))
    if rule.district_roles:
        q |= Q(pk__in=in_district.filter(role__in=rule.district_roles).values("user_id"))
    return (User.objects.filter(q, district_id=owner.district_id, is_active=True)
            .exclude(pk=owner.pk).order_by("last_name", "first_name", "email"))


def is_eligible(person: User | AnonymousUser, owner: User, rule: GrantRule) -> bool:
    if not _in_district(person) or person.district_id != owner.district_id:
        return False
    return eligible_grantees(owner, rule).filter(pk=person.pk or 0).exists()


def grants_on(obj: Model, owner: User, rule: GrantRule) -> list[GrantStanding]:
    """Grants on ``obj`` not withdrawn, oldest first, each marked when it has lapsed."""
    grants = list(Grant.objects.filter(content_type=content_type_of(obj), object_id=obj.pk,
                                       withdrawn_at__isnull=True).select_related("grantee"))
    eligible = set(eligible_grantees(owner, rule)
                   .filter(pk__in=[g.grantee_id for g in grants]).values_list("pk", flat=True))
    now = timezone.now()
    out = []
    for g in grants:
        if g.expires_at is not None and g.expires_at <= now:
            day = timezone.localdate(g.expires_at)
            why = f"expired on {day.day} {day:%b %Y}"
        elif g.grantee_id not in eligible:
            why = "no longer sees it: her role or school has changed, or her account is closed"
        else:
            why = ""
        out.append(GrantStanding(g, why))
    return out


def live_grant(obj: Model, grantee: User) -> Grant | None:
    """The grant on ``obj`` to ``grantee`` that is neither withdrawn nor expired."""
    return Grant.objects.filter(live_q(), content_type=content_type_of(obj), object_id=obj.pk,
                                grantee=grantee).first()


def grantees_of(obj: Model, *, live: bool = False) -> QuerySet[User]:
    """Everyone holding a grant on ``obj`` that was not withdrawn (``live``: nor expired;
    whether she is still eligible is not asked: this is whom to withdraw from)."""
    held = Grant.objects.filter(live_q() if live else Q(withdrawn_at__isnull=True),
                                content_type=content_type_of(obj),
                                object_id=obj.pk).values("grantee_id")
    return User.objects.filter(pk__in=held)
