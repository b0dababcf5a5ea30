"""Stories for tests: Jamie's inquiry with a measure of her class of twelve (sixteen
weekly points, a change date after the eighth), a story told from it, published, and a share link.

Each builder takes the shared test ``world`` (root conftest) and returns what it made;
calling one twice reuses what the first call made.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

START = date(2026, 9, 7)
CHANGE = START + timedelta(weeks=8)


def inquiry_with_data(w: Any) -> Any:
    from uptake.inquiry.actions import (
        OccasionData,
        do_create_inquiry,
        do_create_measure,
        do_save_occasion,
    )
    from uptake.inquiry.models import Inquiry

    teacher = w.people["teacher"]
    existing = Inquiry.objects.filter(owner=teacher, title="Math talk").first()
    if existing is not None:
        return existing
    inquiry = do_create_inquiry(teacher, title="Math talk", question="Will talk moves help?",
                                change_idea="Four talk moves every lesson")
    measure = do_create_measure(teacher, inquiry, sections=[w.section], name="Exit ticket",
                                kind="score", scale_min=0, scale_max=10, change_date=CHANGE)
    for week in range(16):
        after = week >= 8
        do_save_occasion(teacher, measure, w.section, OccasionData(
            when=START + timedelta(weeks=week),
            values={s.pk: float(3 + (i % 3) + (3 if after else 0) + (week % 3) / 2)
                    for i, s in enumerate(w.students)}))
    return inquiry


def story(w: Any, *, publish: bool = True) -> Any:
    from uptake.stories.actions import ChartChoice, do_choose_charts, do_publish, do_start_story

    inquiry = inquiry_with_data(w)
    teacher = w.people["teacher"]
    made = do_start_story(inquiry, actor=teacher)
    if not made.charts.exists():
        do_choose_charts(made, [ChartChoice(inquiry.measures.get())], actor=teacher)
        made.what_happened = "More of my students explained their thinking."
        made.save()
    if publish and not made.is_published:
        do_publish(made, actor=teacher)
    return made


def share_link(w: Any, *, days: int = 30) -> tuple[Any, str]:
    """A live link to the published story, and its secret."""
    from uptake.stories.actions import do_create_share_link

    made = do_create_share_link(story(w), actor=w.people["teacher"], label="Families, room 12",
                                days=days)
    return made.link, made.secret
