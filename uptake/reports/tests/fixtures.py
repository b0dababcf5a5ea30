"""A scene for the reports' tests: the programs' "Math talk at Cedar" (Jamie enrolled),
Jamie's demo inquiries (one per verdict, her class of twelve, every third an English
learner) linked to it, and a year of spending on it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from uptake.programs.tests import fixtures as programs

AMOUNT = Decimal("12500.00")


def program(w: Any) -> Any:
    return programs.program(w)


def scene(w: Any) -> Any:
    """The program with Jamie's demo inquiries linked and one ledger line this year."""
    from uptake.inquiry.demo import load_demo_inquiries
    from uptake.programs.actions import do_link
    from uptake.programs.models import ProgramLink
    from uptake.spending.actions import EntryData, do_add_entry

    made = program(w)
    if ProgramLink.objects.filter(program=made).exists():
        return made
    for inquiry in load_demo_inquiries(w.people["teacher"], w.section):
        do_link(w.people["teacher"], made, inquiry=inquiry)
    do_add_entry(w.people["coordinator"], EntryData(
        spent_on=timezone.localdate(), amount=AMOUNT, source="title_ii_a", use="coaching",
        program_id=made.pk, description="Coaching contract"))
    return made


def today() -> date:
    return timezone.localdate()
