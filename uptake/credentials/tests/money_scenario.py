"""The money tests' scenario, built through the actions on the shared ``world``.

In October 2026 the world's assessor awards the learning tier of the district's "Academic
conversations" credential ($75 stipend, 0.5 CEU) to Jamie (Cedar Elementary, staff
identifier E-1042) on 15 October and to Miguel (Birch Middle, E-2210) on 20 October; in
November, to Asha (Cedar, whose roster import left "=1+1" as her staff identifier) on
3 November. Jamie also logged, in school year 2026-27: a research-based book (6 hours), a
webinar whose title starts like a formula (1.5 hours), and a social-media thread (2 hours);
and in 2025-26 an article (2 hours).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from uptake.credentials.tests import fixtures

LA = ZoneInfo("America/Los_Angeles")
WEBINAR = "@everyone: talk moves in grade 3"
THREAD = "Talk moves thread on Mastodon"


def _source(person: Any, kind: str, title: str, day: date, hours: str,
            research: bool = False) -> Any:
    from uptake.learning.actions import SourceFields, do_add_source

    return do_add_source(owner=person, fields=SourceFields(
        kind=kind, title=title, learned_on=day, hours=Decimal(hours),
        research_based=research, author="Zwiers" if research else ""))


def award_learning(w: Any, person: Any, day: date, sources: list[Any]) -> Any:
    """``person``'s learning tier, sent with ``sources`` and awarded on ``day``."""
    from uptake.credentials.actions import (
        do_add_item,
        do_decide,
        do_start_submission,
        do_submit,
        do_update_submission,
    )

    with time_machine.travel(datetime(day.year, day.month, day.day, 10, 0, tzinfo=LA),
                             tick=False):
        submission = do_start_submission(fixtures.tier(w), actor=person)
        for source in sources:
            do_add_item(submission, actor=person, kind="source", record_id=source.pk)
        do_update_submission(submission, actor=person, reflection=fixtures.REFLECTION)
        submission = do_submit(submission, actor=person)
        review = submission.rounds.get(outcome="").reviews.get(decided_at__isnull=True)
        do_decide(review, actor=review.assessor, decision="award",
                  scores=fixtures.scores(submission, 1), comment="Clear and well sourced.")
    submission.refresh_from_db()
    return submission


def build(w: Any) -> Any:
    jamie, miguel, asha = (w.people[p] for p in ("teacher", "outsider", "colleague"))
    for person, staff_id in ((jamie, "E-1042"), (miguel, "E-2210"), (asha, "=1+1")):
        person.staff_identifier = staff_id
        person.save(update_fields=["staff_identifier"])
    book = _source(jamie, "book", "The Teacher's Guide to Academic Conversations",
                   date(2026, 9, 1), "6", research=True)
    webinar = _source(jamie, "webinar", WEBINAR, date(2026, 9, 10), "1.5")
    _source(jamie, "network_thread", THREAD, date(2026, 9, 20), "2")
    _source(jamie, "article", "Why talk matters", date(2026, 5, 4), "2")
    award_learning(w, jamie, date(2026, 10, 15), [book, webinar])
    for person, day in ((miguel, date(2026, 10, 20)), (asha, date(2026, 11, 3))):
        sources = [_source(person, "book", "Academic Conversations", date(2026, 9, 5), "4",
                           research=True),
                   _source(person, "course", "Talk moves, module 1", date(2026, 9, 12), "3")]
        award_learning(w, person, day, sources)
    return w
