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


# ------------------------------------------------------------------------------ API
# The JSON API's operations (tests/test_api_access_matrix.py): the same people as the pages.


def decided_inquiry_id(w: Any) -> dict[str, Any]:
    """Jamie's inquiry whose first cycle is decided: a next cycle may start."""
    from uptake.inquiry.actions import do_decide

    inquiry = teacher_inquiry(w)
    do_decide(w.people["teacher"], inquiry.cycles.get(), decision="adapt",
              reason="Talk moves helped; add sentence stems.")
    return {"inquiry_id": inquiry.pk}


def occasion_date(w: Any) -> dict[str, Any]:
    """A date of Jamie's measure with her class's values on it."""
    occasion = teacher_occasion(w)
    return {"measure_id": occasion.measure_id, "date": occasion.date.isoformat()}


def measure_date(w: Any) -> dict[str, Any]:
    return {"measure_id": teacher_measure(w).pk, "date": "2026-09-14"}


def scores(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"values": [{"student": s.pseudonym, "value": 7.5} for s in w.students]}


READING = {"teacher", "colleague", "outsider", "coach", "leader"}  # the inquiry pages' audience
TEACHERS = {"teacher", "colleague", "outsider"}

API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/inquiries": [
        {"label": "the inquiry list's readers list what they may see",
         "params": lambda w: {"status": "active"}, "allowed": READING},
    ],
    "POST /api/v1/inquiries": [
        {"label": "any teacher starts her own", "params": lambda w: {},
         "body": lambda w, params: {"title": "Exit tickets", "change_idea": "Daily"},
         "allowed": TEACHERS},
    ],
    "GET /api/v1/inquiries/{inquiry_id}": [
        {"label": "shared with the coach", "params": inquiry_id, "allowed": READERS},
    ],
    "PATCH /api/v1/inquiries/{inquiry_id}": [
        {"label": "its owner edits it", "params": inquiry_id,
         "body": lambda w, params: {"question": "Will talk moves help?"},
         "allowed": EDITORS},
    ],
    "GET /api/v1/inquiries/{inquiry_id}/cycles": [
        {"label": "shared with the coach", "params": inquiry_id, "allowed": READERS},
    ],
    "POST /api/v1/inquiries/{inquiry_id}/cycles": [
        {"label": "after the Act decision", "params": decided_inquiry_id,
         "body": lambda w, params: {}, "allowed": EDITORS},
    ],
    "GET /api/v1/cycles/{cycle_id}": [
        {"label": "shared with the coach", "params": cycle_id, "allowed": READERS},
    ],
    "PATCH /api/v1/cycles/{cycle_id}": [
        {"label": "plan and study notes", "params": cycle_id,
         "body": lambda w, params: {"plan": "Talk moves daily", "study_notes": "More talk"},
         "allowed": EDITORS},
    ],
    "POST /api/v1/cycles/{cycle_id}/log-entries": [
        {"label": "its owner logs what she did", "params": cycle_id,
         "body": lambda w, params: {"date": "2026-09-08", "text": "Modelled two talk moves"},
         "allowed": EDITORS},
    ],
    "GET /api/v1/inquiries/{inquiry_id}/measures": [
        {"label": "shared with the coach", "params": inquiry_id, "allowed": READERS},
    ],
    "POST /api/v1/inquiries/{inquiry_id}/measures": [
        {"label": "on her own class", "params": inquiry_id,
         "body": lambda w, params: {"name": "Exit ticket", "kind": "score", "scale_min": 0,
                                    "scale_max": 4, "classes": [w.section.pk]},
         "allowed": EDITORS},
    ],
    "GET /api/v1/measures/{measure_id}": [
        {"label": "shared with the coach", "params": measure_id, "allowed": READERS},
    ],
    "GET /api/v1/measures/{measure_id}/occasions": [
        {"label": "shared with the coach", "params": lambda w: {
            "measure_id": teacher_occasion(w).measure_id, "date_from": "2026-09-01"},
         "allowed": READERS},
    ],
    "GET /api/v1/measures/{measure_id}/occasions/{date}": [
        {"label": "values for the class's teacher and the coach it is shared with",
         "params": occasion_date, "allowed": READERS},
    ],
    "PUT /api/v1/measures/{measure_id}/occasions/{date}": [
        {"label": "the class's teacher syncs scores", "params": measure_date,
         "body": scores, "allowed": EDITORS},
    ],
    "DELETE /api/v1/measures/{measure_id}/occasions/{date}": [
        {"label": "the class's teacher deletes a date", "params": occasion_date,
         "allowed": EDITORS},
    ],
    "GET /api/v1/measures/{measure_id}/results": [
        {"label": "shared with the coach", "params": lambda w: {
            "measure_id": teacher_occasion(w).measure_id}, "allowed": READERS},
    ],
}
