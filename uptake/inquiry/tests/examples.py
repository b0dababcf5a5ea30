"""Objects for the access-matrix test (tests/test_access_matrix.py): Jamie's inquiry,
shared with the coach, with a score measure on her class and one occasion of data."""

from __future__ import annotations

from datetime import date
from typing import Any


def teacher_inquiry(w: Any) -> Any:
    from uptake.inquiry.actions import do_create_inquiry, do_share_inquiry

    teacher = w.people["teacher"]
    inquiry = do_create_inquiry(teacher, title="Math talk", prediction="More talk")
    do_share_inquiry(teacher, inquiry, w.people["coach"], share=True)
    return inquiry


def teacher_measure(w: Any) -> Any:
    from uptake.inquiry.actions import do_create_measure

    return do_create_measure(w.people["teacher"], teacher_inquiry(w), sections=[w.section],
                             name="Exit ticket", kind="score", scale_min=0, scale_max=10)


def teacher_occasion(w: Any) -> Any:
    from uptake.inquiry.actions import OccasionData, do_save_occasion

    measure = teacher_measure(w)
    return do_save_occasion(w.people["teacher"], measure, w.section, OccasionData(
        when=date(2026, 9, 7), values={s.pk: 5.0 for s in w.students}))


def inquiry_id(w: Any) -> dict[str, Any]:
    return {"inquiry_id": teacher_inquiry(w).pk}


def cycle_id(w: Any) -> dict[str, Any]:
    return {"cycle_id": teacher_inquiry(w).cycles.get().pk}


def measure_id(w: Any) -> dict[str, Any]:
    return {"measure_id": teacher_measure(w).pk}


def measure_class(w: Any) -> dict[str, Any]:
    return {"measure_id": teacher_measure(w).pk, "section_id": w.section.pk}


def occasion_id(w: Any) -> dict[str, Any]:
    return {"occasion_id": teacher_occasion(w).pk}


def teacher_team(w: Any) -> Any:
    """Jamie's team with her colleague Asha."""
    from uptake.inquiry.actions import do_create_team

    return do_create_team(w.people["teacher"], name="Grade 3 PLC", kind="plc", school=w.cedar,
                          members=[w.people["colleague"]])


def team_id(w: Any) -> dict[str, Any]:
    return {"team_id": teacher_team(w).pk}


def team_member(w: Any) -> dict[str, Any]:
    return {"team_id": teacher_team(w).pk, "person_id": w.people["colleague"].pk}


READERS = {"teacher", "coach"}  # the owner, and the coach she shared it with
EDITORS = {"teacher"}
TEAM = {"teacher", "colleague"}  # the team's members

# URLs this app declares itself (tests/test_access_matrix.py collects them).
URL_EXAMPLES = {
    "inquiry:annotations": (measure_id, EDITORS),  # notes on the chart: its editors only
}
