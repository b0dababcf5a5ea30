"""Who may see which artifacts.

- Her own artifacts: the owner, always, shared or not.
- Not shared: nobody else (not even a coordinator: evidence is private until she shares).
- Shared, cannot identify students: teachers, coaches and school leaders of a school where
  the owner teaches now; coaches she named; her district's coordinators.
- Shared, can identify students: only coaches she named and her district's coordinators
  (who already see student names). Colleagues and leaders never see it.
- A coach she named holds a grant (``uptake.accounts.grants``) that counts only while the
  artifact is shared and while she is a coach at a school where the owner works now: a
  coach moved to another school loses it at once, file downloads included.
- Nobody outside the owner's district, whatever their role.

Only the owner changes, shares or deletes an artifact. Missing and forbidden give the same
404. She attaches it to inquiries she may edit, by the inquiry app's rule
(``uptake.inquiry.access.inquiries_editable_by``), never a rule of our own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from uptake.accounts.access import district_id_of, in_a_district
from uptake.accounts.grants import GrantRule, eligible_grantees, granted_q
from uptake.accounts.models import Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from typing_extensions import TypeIs

    from uptake.evidence.models import Artifact, ArtifactQuerySet

    Person = User | AnonymousUser

SCHOOL_VIEWER_ROLES = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)
# A teacher names coaches at a school where she works (coordinators see shared evidence
# anyway, as the district's audience).
EVIDENCE_GRANTS = GrantRule(school_roles=frozenset({Role.COACH}))


def _signed_in_with_district(user: Person) -> TypeIs[User]:
    return in_a_district(user)


def artifacts_visible_to(user: Person, qs: ArtifactQuerySet) -> ArtifactQuerySet:
    if not _signed_in_with_district(user):
        return qs.none()
    assert isinstance(user, User)
    from uptake.evidence.models import Artifact

    qs = qs.filter(district_id=district_id_of(user))
    rule = Q(owner=user) | (Q(shared=True) & granted_q(user, Artifact, EVIDENCE_GRANTS))
    if user.has_role(Role.COORDINATOR):
        rule |= Q(shared=True)
    schools = list(user.roles.filter(role__in=SCHOOL_VIEWER_ROLES, school__isnull=False)
                   .values_list("school_id", flat=True))
    if schools:
        rule |= Q(shared=True, identifies_students=False,
                  owner__roles__role=Role.TEACHER, owner__roles__school_id__in=schools)
    return qs.filter(rule).distinct()


def access_artifact(user: Person, artifact_id: Any) -> Artifact:
    """An artifact the person may see, or 404."""
    from uptake.evidence.models import Artifact

    try:
        return Artifact.objects.visible_to(user).select_related("owner").get(pk=artifact_id)
    except (Artifact.DoesNotExist, ValueError, TypeError):
        raise Http404("No such evidence.") from None


def access_own_artifact(user: Person, artifact_id: Any) -> Artifact:
    """An artifact the person owns (to share, unshare or delete), or 404."""
    from uptake.evidence.models import Artifact

    if not _signed_in_with_district(user):
        raise Http404("No such evidence.")
    try:
        return Artifact.objects.get(pk=artifact_id, owner=user, district_id=district_id_of(user))
    except (Artifact.DoesNotExist, ValueError, TypeError):
        raise Http404("No such evidence.") from None


def coaches_for(user: User) -> QuerySet[User]:
    """Coaches a teacher may name when sharing: coaches at a school where she works now."""
    return eligible_grantees(user, EVIDENCE_GRANTS)

