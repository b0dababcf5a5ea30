"""Who may reach which credential, submission and review.

- **Authoring**: a district's coordinators write its credentials, drafts included, and set
  its policy. Nobody else sees a draft.
- **The catalog**: every educator of the district (teacher, coach, school leader) reads
  its published credentials, their scoring guides and exemplars; assessors and coordinators
  read it too.
- **Submissions**: an educator reads and changes only her own. She selects only records of
  her own (``selectable``): her inquiries (and her teams'), their cycles and measures, her
  sources, artifacts, plan goals and library practices.
- **Review**: an assessor reads a candidate's submission, and through it the records
  selected, only while she holds a live grant on it (``accounts.Grant`` with the purpose
  *assessment*), given when she is assigned and withdrawn when the round is decided or she
  is taken off it; and only while she still holds the assessor role in the district
  (``SUBMISSION_GRANTS``, re-checked at every read). Her own past decisions stay listed for
  her, without the candidate's records.
- **Oversight**: coordinators see every submission's state, readers and dates in their
  district (to assign and reassign), never the selected records; and the stipend ledger,
  payroll export and CEU transcripts.
- Another district's anything is the same 404 as a missing one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from uptake.accounts.access import district_id_of, in_a_district
from uptake.accounts.grants import GrantRule, granted_q
from uptake.accounts.models import Role, User
from uptake.credentials.models import (
    Credential,
    Criterion,
    Review,
    StipendEntry,
    Submission,
    Tier,
    Version,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from typing_extensions import TypeIs

    Person = User | AnonymousUser

EDUCATOR_ROLES = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)
CATALOG_ROLES = (*EDUCATOR_ROLES, Role.ASSESSOR, Role.COORDINATOR)
# An assessor reads a submission shared with her for assessment wherever either works.
SUBMISSION_GRANTS = GrantRule(school_roles=frozenset(),
                              district_roles=frozenset({Role.ASSESSOR}))


def _signed_in(user: Person) -> TypeIs[User]:
    return in_a_district(user) and user.is_active


def is_author(user: Person) -> TypeIs[User]:
    return _signed_in(user) and user.has_role(Role.COORDINATOR)


def is_educator(user: Person) -> TypeIs[User]:
    return _signed_in(user) and user.has_role(*EDUCATOR_ROLES)


def is_assessor(user: Person) -> TypeIs[User]:
    return _signed_in(user) and user.has_role(Role.ASSESSOR)


# ------------------------------------------------------------------------ authoring

def credentials_authored_by(user: Person) -> QuerySet[Credential]:
    """Every credential of her district, drafts and retired ones included (coordinators)."""
    if not is_author(user):
        return Credential.objects.none()
    return Credential.objects.filter(district_id=district_id_of(user))


def access_credential(user: Person, credential_id: Any) -> Credential:
    """A credential of her district that she authors (coordinator), or 404."""
    try:
        return credentials_authored_by(user).get(pk=credential_id)
    except (Credential.DoesNotExist, ValueError, TypeError):
        raise Http404("No such credential.") from None


def access_authored_version(user: Person, version_id: Any) -> Version:
    """Any version of a credential she authors, or 404 (editing a draft only is a rule of
    the actions, so the page can say why)."""
    try:
        return Version.objects.select_related("credential").get(
            pk=version_id, credential__in=credentials_authored_by(user))
    except (Version.DoesNotExist, ValueError, TypeError):
        raise Http404("No such credential.") from None


def access_authored_tier(user: Person, tier_id: Any) -> Tier:
    """A tier of any version of a credential she authors, or 404."""
    try:
        return Tier.objects.select_related("version", "version__credential").get(
            pk=tier_id, version__credential__in=credentials_authored_by(user))
    except (Tier.DoesNotExist, ValueError, TypeError):
        raise Http404("No such tier.") from None


def access_authored_criterion(user: Person, criterion_id: Any) -> Criterion:
    """A criterion of a tier of a credential she authors, or 404."""
    try:
        return Criterion.objects.select_related(
            "tier", "tier__version", "tier__version__credential").get(
            pk=criterion_id, tier__version__credential__in=credentials_authored_by(user))
    except (Criterion.DoesNotExist, ValueError, TypeError):
        raise Http404("No such criterion.") from None


# --------------------------------------------------------------------------- catalog

def catalog(user: Person) -> QuerySet[Version]:
    """The published version of each credential of her district still offered."""
    if not (_signed_in(user) and user.has_role(*CATALOG_ROLES)):
        return Version.objects.none()
    return (Version.objects.filter(status=Version.Status.PUBLISHED,
                                   credential__district_id=district_id_of(user),
                                   credential__retired_at__isnull=True)
            .select_related("credential").order_by("title", "pk"))


def access_catalog_version(user: Person, version_id: Any) -> Version:
    """A version she may read in the catalog: the published one, or any earlier version
    she has work on (her submission stays on it), or 404."""
    if not (_signed_in(user) and user.has_role(*CATALOG_ROLES)):
        raise Http404("No such credential.")
    mine = Submission.objects.filter(educator=user).values("tier__version_id")
    reviewing = submissions_to_review(user).values("tier__version_id")
    try:
        return Version.objects.select_related("credential").get(
            Q(status=Version.Status.PUBLISHED, credential__retired_at__isnull=True)
            | Q(pk__in=mine) | Q(pk__in=reviewing),
            ~Q(status=Version.Status.DRAFT),
            pk=version_id, credential__district_id=district_id_of(user))
    except (Version.DoesNotExist, ValueError, TypeError):
        raise Http404("No such credential.") from None


# ----------------------------------------------------------------------- submissions

def own_submissions(user: Person) -> QuerySet[Submission]:
    if not _signed_in(user):
        return Submission.objects.none()
    return Submission.objects.filter(educator=user, district_id=district_id_of(user))


def access_own_submission(user: Person, submission_id: Any) -> Submission:
    """Her own submission, or 404."""
    try:
        return own_submissions(user).select_related(
            "tier", "tier__version", "tier__version__credential").get(pk=submission_id)
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise Http404("No such submission.") from None


def submissions_to_review(user: Person) -> QuerySet[Submission]:
    """Submissions shared with her for assessment that she may read now."""
    if not is_assessor(user):
        return Submission.objects.none()
    return Submission.objects.filter(
        granted_q(user, Submission, SUBMISSION_GRANTS, owner="educator"))


def open_reviews(user: Person) -> QuerySet[Review]:
    """Her reviews still to decide, on submissions she may read now: her queue, the
    oldest submission first."""
    return (Review.objects.filter(assessor_id=getattr(user, "pk", None),
                                  decided_at__isnull=True, released_at__isnull=True,
                                  round__outcome="",
                                  round__submission__in=submissions_to_review(user))
            .select_related("round", "round__submission", "round__submission__educator",
                            "round__submission__tier", "round__submission__tier__version")
            .order_by("round__submitted_at", "pk"))


def access_open_review(user: Person, review_id: Any) -> Review:
    """A review of hers still to decide, on a submission she may read now, or 404."""
    try:
        return open_reviews(user).get(pk=review_id)
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404("No such review.") from None


def past_reviews(user: Person) -> QuerySet[Review]:
    """Reviews she decided (her record of her own decisions: no candidate's records)."""
    if not is_assessor(user):
        return Review.objects.none()
    return (Review.objects.filter(assessor=user, decided_at__isnull=False,
                                  round__submission__district_id=district_id_of(user))
            .select_related("round", "round__submission", "round__submission__educator",
                            "round__submission__tier", "round__submission__tier__version")
            .order_by("-decided_at", "-pk"))


# ------------------------------------------------------------------------- oversight

def overseen_submissions(user: Person) -> QuerySet[Submission]:
    """Her district's submissions that have been sent (coordinators): states, readers and
    dates, for assigning; drafts are the educator's own business."""
    if not is_author(user):
        return Submission.objects.none()
    return Submission.objects.filter(district_id=district_id_of(user)).exclude(
        state=Submission.State.DRAFT)


def access_overseen_submission(user: Person, submission_id: Any) -> Submission:
    try:
        return overseen_submissions(user).select_related(
            "educator", "tier", "tier__version").get(pk=submission_id)
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise Http404("No such submission.") from None


def stipends_overseen(user: Person) -> QuerySet[StipendEntry]:
    if not is_author(user):
        return StipendEntry.objects.none()
    return StipendEntry.objects.filter(district_id=district_id_of(user))


def own_stipends(user: Person) -> QuerySet[StipendEntry]:
    if not _signed_in(user):
        return StipendEntry.objects.none()
    return StipendEntry.objects.filter(educator=user, district_id=district_id_of(user))


def access_transcript_person(user: Person, person_id: Any) -> User:
    """Whose CEU transcript she may read: her own; anyone's in her district when she is a
    coordinator. 404 otherwise."""
    if not _signed_in(user):
        raise Http404("No such person.")
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise Http404("No such person.") from None
    if pk == user.pk:
        return user
    if not is_author(user):
        raise Http404("No such person.")
    try:
        return User.objects.get(pk=pk, district_id=district_id_of(user))
    except User.DoesNotExist:
        raise Http404("No such person.") from None
