"""Who may read whose work: the assignment rules.

An assessor is eligible for a submission when she holds the assessor role in its district
now, her account is active, she is not the submitter, she is not already reading this
round, and (unless the district's policy says otherwise) she does not coach at a school
where the submitter works now: her own coach is not her assessor. Among the eligible, the
one with the fewest reviews still open is chosen (then the longest-serving, by account),
so work spreads evenly; a resubmission goes back to the assessor who read the last round
when she is still eligible, so feedback and the next reading come from the same person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from uptake.accounts.models import Role, RoleAssignment, User
from uptake.credentials.models import Policy, Submission

if TYPE_CHECKING:
    from collections.abc import Iterable

    from uptake.accounts.models import District


def policy_of(district: District | int) -> Policy:
    """The district's policy (its defaults until a coordinator changes them)."""
    district_id = district if isinstance(district, int) else district.pk
    policy, _ = Policy.objects.get_or_create(district_id=district_id)
    return policy


def coaches_of(educator: User) -> QuerySet[User]:
    """People who coach at a school where the educator works now."""
    schools = RoleAssignment.objects.filter(user=educator, school__isnull=False).values(
        "school_id")
    return User.objects.filter(pk__in=RoleAssignment.objects.filter(
        role=Role.COACH, school_id__in=schools).values("user_id"))


def eligible_assessors(submission: Submission, *, exclude: Iterable[int] = ()
                       ) -> QuerySet[User]:
    """Assessors who may read this submission now, the least busy first."""
    policy = policy_of(submission.district_id)
    assessors = RoleAssignment.objects.filter(
        district_id=submission.district_id, role=Role.ASSESSOR).values("user_id")
    qs = (User.objects.filter(pk__in=assessors, district_id=submission.district_id,
                              is_active=True)
          .exclude(pk=submission.educator_id).exclude(pk__in=list(exclude)))
    if policy.exclude_coaches:
        qs = qs.exclude(pk__in=coaches_of(submission.educator).values("pk"))
    open_q = Q(credential_reviews__decided_at__isnull=True,
               credential_reviews__released_at__isnull=True,
               credential_reviews__round__outcome="")
    return qs.annotate(open_reviews=Count("credential_reviews", filter=open_q)).order_by(
        "open_reviews", "pk")


def why_ineligible(submission: Submission, person: User) -> str:
    """Why ``person`` may not read this submission ('' when she may)."""
    if person.pk == submission.educator_id:
        return "Nobody assesses her own work."
    if person.district_id != submission.district_id or not person.is_active:
        return "She is not an active member of this district."
    if not person.has_role(Role.ASSESSOR):
        return "She does not hold the assessor role."
    if (policy_of(submission.district_id).exclude_coaches
            and coaches_of(submission.educator).filter(pk=person.pk).exists()):
        return ("She coaches at a school where the educator works; the district's policy "
                "gives an educator's work to someone other than her coach.")
    return ""


def previous_reader(submission: Submission) -> User | None:
    """Who decided the last decided round (its deciding reader, else its first), if anyone."""
    last = submission.rounds.exclude(outcome="").order_by("-number").first()
    if last is None:
        return None
    decided = {r.reader: r for r in last.reviews.filter(decided_at__isnull=False)
               .select_related("assessor")}
    chosen = decided.get("deciding") or decided.get("first") or decided.get("second")
    return chosen.assessor if chosen is not None else None
