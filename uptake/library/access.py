"""Who sees and changes which practices and trials.

- The library is open to everyone who holds a role in the district (teachers, coaches,
  school leaders, coordinators, assessors, researchers), read at every request: someone
  whose roles end, or who leaves the district, sees nothing of it any more.
- A published practice: everyone of the library's audience in its district.
- A draft: only its author.
- Only the author (a teacher) changes, publishes, unpublishes or deletes a practice.
- "I tried this": a teacher links an inquiry she may edit (``uptake.inquiry.access``) to a
  practice she may see; a trial is removed by whoever may edit its inquiry. A trial is
  shown wherever its practice is, with its inquiry's title and the verdicts of its
  measures, because its owner chose to link it.
- Nobody outside the district sees anything: missing and forbidden give the same 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from uptake.accounts.access import district_id_of, in_a_district
from uptake.accounts.models import Role, User
from uptake.inquiry.access import inquiries_editable_by

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from typing_extensions import TypeIs

    from uptake.evidence.models import Artifact
    from uptake.inquiry.models import Inquiry
    from uptake.library.models import Practice, Trial

    Person = User | AnonymousUser

READERS = tuple(Role.values)  # every role of the district reads the library
AUTHORS = (Role.TEACHER,)


def may_use_library(user: Person) -> TypeIs[User]:
    """Signed in, in a district, holding at least one role there now."""
    return in_a_district(user) and bool(user.role_set())


def practices_visible_to(user: Person) -> QuerySet[Practice]:
    from uptake.library.models import Practice

    if not may_use_library(user):
        return Practice.objects.none()
    return Practice.objects.filter(
        Q(status=Practice.Status.PUBLISHED) | Q(author=user),
        district_id=district_id_of(user))


def published_practices(user: Person) -> QuerySet[Practice]:
    """What the library lists: published practices of her district (her drafts are on
    "My practices")."""
    from uptake.library.models import Practice

    return practices_visible_to(user).filter(status=Practice.Status.PUBLISHED)


def own_practices(user: Person) -> QuerySet[Practice]:
    from uptake.library.models import Practice

    if not may_use_library(user) or not user.has_role(*AUTHORS):
        return Practice.objects.none()
    return Practice.objects.filter(author=user, district_id=district_id_of(user))


def access_practice(user: Person, practice_id: Any) -> Practice:
    """A practice the person may read, or 404."""
    from uptake.library.models import Practice

    try:
        return practices_visible_to(user).select_related("author", "source_inquiry").get(
            pk=practice_id)
    except (Practice.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such practice.") from None


def access_own_practice(user: Person, practice_id: Any) -> Practice:
    """A practice the person wrote (to change, publish or delete it), or 404."""
    from uptake.library.models import Practice

    try:
        return own_practices(user).select_related("author", "source_inquiry").get(
            pk=practice_id)
    except (Practice.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such practice.") from None


def may_edit_practice(user: Person, practice: Practice) -> bool:
    return own_practices(user).filter(pk=practice.pk).exists()


def inquiries_to_try_with(user: Person) -> QuerySet[Inquiry]:
    """Inquiries a teacher may link to a practice: the ones she may edit."""
    from uptake.inquiry.models import Inquiry

    if not may_use_library(user) or not user.has_role(Role.TEACHER):
        return Inquiry.objects.none()
    return inquiries_editable_by(user).order_by("title", "pk")


def trials_visible_to(user: Person) -> QuerySet[Trial]:
    from uptake.library.models import Trial

    return Trial.objects.filter(practice__in=practices_visible_to(user).values("pk"))


def access_own_trial(user: Person, trial_id: Any) -> Trial:
    """A trial whose inquiry the person may edit, on a practice she may see, or 404."""
    from uptake.library.models import Trial

    try:
        return (trials_visible_to(user)
                .filter(inquiry__in=inquiries_to_try_with(user).values("pk"))
                .select_related("practice", "inquiry").get(pk=trial_id))
    except (Trial.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such trial.") from None


def attachable_artifacts(user: Person) -> QuerySet[Artifact]:
    """Her own evidence that does not identify students: the only evidence a practice may
    carry, since the whole district reads it."""
    from uptake.evidence.models import Artifact

    if not may_use_library(user):
        return Artifact.objects.none()
    return Artifact.objects.filter(owner=user, district_id=district_id_of(user),
                                   identifies_students=False).order_by("title", "pk")


def shown_artifacts(practice: Practice) -> list[Artifact]:
    """The practice's evidence as the page shows it: only pieces that still do not
    identify students (one changed since it was attached is left out)."""
    return list(practice.artifacts.filter(identifies_students=False,
                                          owner_id=practice.author_id).order_by("title", "pk"))
