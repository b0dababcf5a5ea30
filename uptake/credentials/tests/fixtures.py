"""Micro-credentials for tests, built through the actions on the shared ``world`` (root
conftest): the district's four-tier credential published by its coordinator, and Jamie's
work on it in each state a submission can be in.

Each builder returns what it made; calling one twice reuses what the first call made.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

TITLE = "Academic conversations"
REFLECTION = " ".join(["Talk moves gave my quieter students a way into the discussion."] * 50)


def credential(w: Any, *, preset: str = "four_tier", title: str = TITLE,
               publish: bool = True) -> Any:
    """The district's credential (its current version): four tiers, published."""
    from uptake.credentials.actions import do_create_credential, do_publish
    from uptake.credentials.models import Version

    found = (Version.objects.filter(credential__district=w.district, title=title)
             .exclude(status=Version.Status.SUPERSEDED).first())
    if found is not None:
        if publish and found.is_draft:
            return do_publish(found, actor=w.people["coordinator"])
        return found
    version = do_create_credential(
        actor=w.people["coordinator"], title=title, preset=preset,
        competency="Leads academic conversations in which every student explains and "
                   "builds on ideas.")
    return do_publish(version, actor=w.people["coordinator"]) if publish else version


def tier(w: Any, kind: str = "learning") -> Any:
    return credential(w).tiers.get(kind=kind)


SOURCE_TITLES = ("The Teacher's Guide to Academic Conversations", "Talk moves in grade 3")


def sources(w: Any) -> list[Any]:
    """Two of Jamie's learning sources, one research-based."""
    from uptake.learning.actions import SourceFields, do_add_source
    from uptake.learning.models import LearningSource

    teacher = w.people["teacher"]
    # Only the two made here: other examples give Jamie sources of their own.
    have = list(LearningSource.objects.filter(owner=teacher, title__in=SOURCE_TITLES)
                .order_by("pk"))
    if len(have) >= 2:
        return have[:2]
    return [
        do_add_source(owner=teacher, fields=SourceFields(
            kind="book", title="The Teacher's Guide to Academic Conversations",
            learned_on=date(2026, 9, 1), hours=Decimal("6"), research_based=True,
            author="Zwiers", link="https://example.org/academic-conversations")),
        do_add_source(owner=teacher, fields=SourceFields(
            kind="webinar", title="Talk moves in grade 3", learned_on=date(2026, 9, 10),
            hours=Decimal("1.5"))),
    ]


def learning_draft(w: Any, *, ready: bool = True) -> Any:
    """Jamie's draft of the learning tier; ``ready``: every pre-check passes."""
    from uptake.credentials.actions import do_add_item, do_start_submission, do_update_submission

    teacher = w.people["teacher"]
    submission = do_start_submission(tier(w), actor=teacher)
    if ready and submission.editable and not submission.items.exists():
        for source in sources(w):
            do_add_item(submission, actor=teacher, kind="source", record_id=source.pk)
        do_update_submission(submission, actor=teacher, reflection=REFLECTION)
    submission.refresh_from_db()
    return submission


def submitted(w: Any) -> Any:
    """Jamie's learning tier, sent: the world's assessor is reading it."""
    from uptake.credentials.actions import do_submit

    submission = learning_draft(w)
    if submission.editable:
        submission = do_submit(submission, actor=w.people["teacher"])
    return submission


def open_review(w: Any) -> Any:
    submission = submitted(w)
    return submission.rounds.get(outcome="").reviews.get(released_at__isnull=True,
                                                          decided_at__isnull=True)


def scores(submission: Any, level: int) -> dict[int, tuple[int, str]]:
    """Every criterion of the submission's tier at ``level``."""
    return {c.pk: (level, "") for c in submission.tier.criteria.all()}


def returned(w: Any) -> Any:
    """Jamie's learning tier, returned with feedback."""
    from uptake.credentials.actions import do_decide

    review = open_review(w)
    submission = review.round.submission
    do_decide(review, actor=review.assessor, decision="return", scores=scores(submission, 0),
              comment="Say how the talk moves fit your grade 3 readers.")
    submission.refresh_from_db()
    return submission


def awarded(w: Any) -> Any:
    """Jamie's learning tier, awarded."""
    from uptake.credentials.actions import do_decide

    review = open_review(w)
    submission = review.round.submission
    do_decide(review, actor=review.assessor, decision="award", scores=scores(submission, 1),
              comment="Clear and well sourced.")
    submission.refresh_from_db()
    return submission


def second_assessor(w: Any) -> Any:
    """A second assessor in the district (Blair)."""
    from uptake.accounts.models import Role, RoleAssignment, User

    found = User.objects.filter(email="blair@maple.test").first()
    if found is not None:
        return found
    person = User.objects.create_user(email="blair@maple.test", password="x",
                                      first_name="Blair", last_name="Reader",
                                      district=w.district)
    RoleAssignment.objects.create(user=person, district=w.district, role=Role.ASSESSOR)
    return person
