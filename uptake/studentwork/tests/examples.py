"""Objects for the access matrices (tests/test_access_matrix.py and
tests/test_api_access_matrix.py): Jamie's set of student work on her class, on her own
inquiry; only she (who edits the inquiry and teaches the class) reaches it."""

from __future__ import annotations

import datetime as dt
from typing import Any


def work_set(w: Any) -> Any:
    from uptake.inquiry.models import Inquiry
    from uptake.studentwork.actions import do_add_group, do_create_set, do_score

    teacher = w.people["teacher"]
    inquiry = Inquiry.objects.create(district=w.district, owner=teacher, title="Fractions")
    made = do_create_set(teacher, inquiry, section=w.section, title="Exit task 3",
                         when=dt.date(2026, 10, 5), rubric="Beginning\nDeveloping\nSecure")
    do_score(teacher, made, {w.students[0].pk: made.levels.get(position=1).pk})
    do_add_group(teacher, made, name="Needs models", next_step="Model one")
    return made


def set_id(w: Any) -> dict[str, Any]:
    return {"set_id": work_set(w).pk}


CURRENT_TEACHER = {"teacher"}

API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/student-work/sets": [
        {"label": "every teacher lists her own sets", "params": lambda w: {},
         "allowed": {"teacher", "colleague", "outsider"}},
    ],
    "GET /api/v1/student-work/sets/{set_id}": [
        {"label": "the class's current teacher", "params": set_id,
         "allowed": CURRENT_TEACHER},
    ],
    "GET /api/v1/student-work/sets/{set_id}/scores": [
        {"label": "the class's current teacher", "params": set_id,
         "allowed": CURRENT_TEACHER},
    ],
}
