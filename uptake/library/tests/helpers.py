"""Scenes for the library's tests: a colleague's inquiry with a measure whose verdict shows."""

from __future__ import annotations

from typing import Any


def inquiry_with_verdict(w: Any, person: str = "colleague", title: str = "Stems in room 12",
                         *, before: float = 4.0, after: float = 8.0) -> Any:
    """An inquiry of ``person``'s on the world's Grade 3 class (she co-teaches it), with a
    score measure: eight occasions at ``before``, nine at ``after``, so that its study
    shows a verdict."""
    from uptake.inquiry.actions import (
        OccasionData,
        do_create_inquiry,
        do_create_measure,
        do_save_occasion,
    )
    from uptake.inquiry.demo import occasion_dates
    from uptake.roster.models import TeacherAssignment

    teacher = w.people[person]
    TeacherAssignment.objects.get_or_create(section=w.section, teacher=teacher)
    inquiry = do_create_inquiry(teacher, title=title, change_idea="Sentence stems.")
    dates = occasion_dates(17)
    measure = do_create_measure(teacher, inquiry, sections=[w.section],
                                name="Explain-your-thinking score", kind="score",
                                scale_min=0, scale_max=10, direction="up",
                                change_date=dates[8])
    for n, when in enumerate(dates):
        level = before if n < 8 else after
        values = {s.pk: level + (i % 3) * 0.5 for i, s in enumerate(w.students)}
        do_save_occasion(teacher, measure, w.section, OccasionData(when=when, values=values))
    return inquiry
