"""The demo district's Open Badges: both outcomes a verifier can see.

- The demo teacher's "Academic conversations" award (``uptake.demo.credentials``) was
  issued by the award hook as it was made; she shares it on its public page.
- A teacher at the other school earns "Learning in professional networks" (her threads
  documented, her reflection awarded by the district's assessor), and the coordinator then
  revokes it: it was awarded in error. Its bit is set in the district's status list, so the
  verifier page shows a revoked credential beside her valid one.
- Any award that is still without a badge is issued.

Everything goes through the actions (``uptake.credentials.actions`` for the work,
``uptake.badges.actions`` for issuing, sharing and revoking). Loading again adds nothing
twice: the second award is found by its credential, a shared badge stays shared, a revoked
one revoked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from uptake.accounts.models import District, Role, User
from uptake.badges.actions import do_issue, do_revoke, do_set_shared
from uptake.badges.models import Badge
from uptake.credentials.actions import do_submit
from uptake.credentials.models import Award
from uptake.demo.credentials import (
    SOCIAL,
    SOCIAL_TEXT,
    _add_sources,
    _by_title,
    _decide,
    _text,
    _work,
)

if TYPE_CHECKING:
    from uptake.roster.models import Section

REVOKED_REASON = ("Awarded in error: the threads she documented were her teammate's, "
                  "logged under her account.")


@dataclass(frozen=True)
class DemoBadges:
    shared: Badge | None
    revoked: Badge | None


def load_demo_badges(district: District, teacher: User, section: Section) -> DemoBadges:
    """Issue what is unissued, add the second award, share the teacher's badge and revoke
    the other (module docstring). The credentials must be loaded first."""
    coordinator = (User.objects.filter(district=district, is_active=True,
                                       roles__role=Role.COORDINATOR).order_by("pk").first())
    if coordinator is None:
        return DemoBadges(None, None)
    second = _second_award(district, section)
    for award in Award.objects.filter(district=district, badge__isnull=True).order_by("pk"):
        do_issue(award, actor=coordinator)

    hers = Badge.objects.filter(award__district=district, award__educator=teacher).first()
    if hers is not None and not hers.is_revoked:
        hers = do_set_shared(hers, actor=teacher, shared=True)
    revoked = Badge.objects.filter(award=second).first() if second is not None else None
    if revoked is not None and not revoked.is_revoked:
        revoked = do_revoke(revoked, actor=coordinator, reason=REVOKED_REASON)
    return DemoBadges(hers, revoked)


def _second_award(district: District, section: Section) -> Award | None:
    """A teacher at the other school earns the one-tier professional-networks credential:
    the first such teacher (by name) with no work on any credential yet."""
    social = _by_title(district, SOCIAL)
    if social is None:
        return None
    found = Award.objects.filter(district=district, credential=social.credential).first()
    if found is not None:
        return found
    candidates = (User.objects.filter(district=district, is_active=True,
                                      roles__role=Role.TEACHER)
                  .exclude(roles__school=section.school)
                  .exclude(credential_submissions__isnull=False)
                  .order_by("last_name", "pk").distinct())
    educator = candidates.first()
    if educator is None:
        return None
    sources = _add_sources(educator, [
        ("network_thread", "#MTBoS: number talks for upper grades", "", False,
         "https://example.org/mtbos/number-talks", Decimal("1.5")),
        ("network_thread", "Thread: one good question a day in math", "", False,
         "https://example.org/threads/one-good-question", Decimal("1")),
        ("network_thread", "Middle-school math teachers' community: talk moves", "", False,
         "https://example.org/community/talk-moves", Decimal("1.5")),
    ])
    submission = _work(educator, social.tiers.get(order=1),
                       [("source", s, "") for s in sources], _text(SOCIAL_TEXT, 320))
    _decide(do_submit(submission, actor=educator), "award",
            "Three threads, each with its link and hours, and a reflection that says what "
            "you will bring back to your team. Awarded.")
    return Award.objects.filter(district=district, credential=social.credential,
                                educator=educator).first()


def demo_badge_hints(district: District, teacher: User | None) -> tuple[str, UUID] | None:
    """The public page of the teacher's shared badge (its path) and the uuid of the
    revoked badge, for the demo's sign-in notes."""
    from django.urls import reverse

    shared = Badge.objects.filter(award__district=district, shared_at__isnull=False)
    if teacher is not None:
        shared = shared.filter(award__educator=teacher)
    public = shared.order_by("pk").first()
    revoked = (Badge.objects.filter(award__district=district, revoked_at__isnull=False)
               .order_by("pk").first())
    if public is None or revoked is None:
        return None
    return reverse("badges:public", args=[public.uuid]), revoked.uuid
