"""The spending tests' scene: Maple Valley's programs and ledger lines (conftest's world)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from uptake.programs.models import FundingSource, Program
from uptake.spending.actions import EntryData, do_add_entry
from uptake.spending.models import SpendingEntry


def program(w: Any, name: str = "Math coaching", *, kind: str = Program.Kind.COACHING,
            funding_source: str = FundingSource.TITLE_II_A, district: Any = None,
            starts_on: date = date(2025, 8, 1), ends_on: date | None = None) -> Program:
    district = district or w.district
    found = Program.objects.filter(district=district, name=name).first()
    if found is not None:
        return found
    return Program.objects.create(district=district, name=name, kind=kind,
                                  funding_source=funding_source, starts_on=starts_on,
                                  ends_on=ends_on)


def entry(w: Any, *, amount: str = "1200.00", spent_on: date = date(2026, 9, 15),
          source: str = FundingSource.TITLE_II_A, use: str = "coaching",
          program_id: int | None = None, description: str = "Coaching cycle, Cedar",
          reference: str = "") -> SpendingEntry:
    """A line the coordinator entered (FY2027 by default)."""
    return do_add_entry(w.people["coordinator"], EntryData(
        spent_on=spent_on, amount=Decimal(amount), source=source, use=use,
        program_id=program_id, description=description, reference=reference))


def stipend(w: Any, *, awarded_on: date, amount: str = "75.00") -> Any:
    """Jamie's learning tier awarded (the credentials app's flow), dated ``awarded_on``."""
    from uptake.credentials.models import StipendEntry
    from uptake.credentials.tests import fixtures

    submission = fixtures.awarded(w)
    StipendEntry.objects.filter(submission=submission).update(
        awarded_on=awarded_on, amount=Decimal(amount), period=awarded_on.strftime("%Y-%m"))
    return StipendEntry.objects.get(submission=submission)


def offering(w: Any, name: str = "Discourse micro-credential", *,
             funding_source: str = FundingSource.TITLE_IV,
             starts_on: date = date(2025, 7, 1)) -> Program:
    """A micro-credential program offering the district's credential."""
    from uptake.credentials.tests import fixtures

    found = program(w, name, kind=Program.Kind.MICRO_CREDENTIAL,
                    funding_source=funding_source, starts_on=starts_on)
    found.credentials.add(fixtures.credential(w).credential)
    return found
