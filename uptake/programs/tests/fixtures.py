"""A scene for the programs' tests: Cedar's "Math talk" (a coaching cycle at Cedar only,
two sessions, Jamie enrolled and present at the first) and a district-wide book study;
Jamie's inquiry linked to Math talk."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from uptake.programs import actions
from uptake.programs.models import Program, ProgramLink, ProgramSession

TITLE = "Math talk at Cedar"


def program(w: Any, *, name: str = TITLE, schools: Any = None, enrol: bool = True) -> Program:
    found = Program.objects.filter(district=w.district, name=name).first()
    if found is not None:
        return found
    made = actions.do_create_program(
        actor=w.people["coordinator"], name=name, kind=Program.Kind.COACHING,
        focus_area="Math discourse", starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31),
        facilitator="Cora Coach", schools=[w.cedar] if schools is None else schools)
    first = actions.do_add_session(made, actor=w.people["coordinator"],
                                   held_on=date(2026, 9, 14), title="Launch",
                                   hours=Decimal("3"))
    actions.do_add_session(made, actor=w.people["coordinator"], held_on=date(2026, 10, 12),
                           title="Talk moves", hours=Decimal("2"))
    if enrol:
        actions.do_enrol(made, actor=w.people["coordinator"], person=w.people["teacher"],
                         enrolled_on=date(2026, 9, 1))
        actions.do_record_attendance(made, actor=w.people["coordinator"],
                                     present=[(first.pk, w.people["teacher"].pk)])
    return made


def district_wide(w: Any) -> Program:
    return program(w, name="Book study: Intentional Talk", schools=[], enrol=False)


def session(w: Any) -> ProgramSession:
    return program(w).sessions.order_by("held_on").first()  # type: ignore[return-value]


def inquiry(w: Any, owner: str = "teacher", title: str = "Exit tickets in grade 3") -> Any:
    from uptake.inquiry.models import Inquiry

    return Inquiry.objects.get_or_create(district=w.district, owner=w.people[owner],
                                         title=title)[0]


def link(w: Any) -> ProgramLink:
    found = ProgramLink.objects.filter(owner=w.people["teacher"]).first()
    return found or actions.do_link(w.people["teacher"], program(w), inquiry=inquiry(w))
