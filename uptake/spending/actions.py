"""The one write path of the spending ledger: add, correct and delete a line, and import a
finance system's file. Only a coordinator of the district changes its ledger; every change
is in the district's audit log.

A line's amount is never zero. A refund or correction is a negative amount and must say why
(its description). A line's ``reference`` (the finance system's id) is unique in the
district, compared without regard to case, so the same line never comes in twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from uptake.audit.actions import record
from uptake.programs.models import FundingSource, Program
from uptake.rules import Conflict, Invalid, NotAllowed, RuleError
from uptake.spending import finance
from uptake.spending.access import may_keep_spending
from uptake.spending.models import FinanceImport, SpendingEntry, Use
from uptake.spending.queries import fiscal_year_of

if TYPE_CHECKING:
    from django.http import HttpRequest

    from uptake.accounts.models import User

AUDIT_KINDS = {
    "spending_added": "Spending line added",
    "spending_changed": "Spending line corrected",
    "spending_deleted": "Spending line deleted",
    "spending_imported": "Finance file imported into the spending ledger",
    "spending_exported": "Spending ledger downloaded",
}
EARLIEST = date(1990, 1, 1)
LATEST = date(2200, 12, 31)


class SpendingRuleError(RuleError):
    """A change to the ledger that the rules refuse."""


class ReferenceTaken(Conflict, SpendingRuleError):
    """A reference already on another line of the district's ledger."""


class ImportRejected(Invalid):
    """A finance file with problems: nothing of it was saved. ``finance_import`` is the
    rejected import's record (its report lists the problems)."""

    def __init__(self, message: str, *, rows: list[finance.RowProblem],
                 finance_import: FinanceImport | None = None) -> None:
        super().__init__(message, rows=rows)
        self.finance_import = finance_import


@dataclass(frozen=True)
class EntryData:
    """What a ledger line says (the form's and the API's fields)."""

    spent_on: date
    amount: Decimal
    source: str
    use: str
    program_id: int | None = None
    description: str = ""
    reference: str = ""


def _keeper(actor: User, district_id: int) -> None:
    if not may_keep_spending(actor, district_id):
        raise NotAllowed("Only the district's coordinators change its spending ledger.")


def _checked(actor: User, data: EntryData, *, entry: SpendingEntry | None = None
             ) -> tuple[EntryData, Program | None]:
    district_id = actor.district_id or 0
    description, reference = data.description.strip(), data.reference.strip()
    if data.source not in FundingSource.values:
        raise Invalid("Choose a funding source.", field="source")
    if data.use not in Use.values:
        raise Invalid("Choose what the money paid for.", field="use")
    if not EARLIEST <= data.spent_on <= LATEST:
        raise Invalid("Give the date the money was spent (1990 to 2200).", field="spent_on")
    amount = Decimal(data.amount)
    if not amount.is_finite() or amount == 0:
        raise Invalid("Give an amount other than zero.", field="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid("Give the amount in dollars and cents (at most two decimals).",
                      field="amount")
    if abs(amount) > finance.MAX_AMOUNT:
        raise Invalid("That amount is larger than any ledger line can be.", field="amount")
    if amount < 0 and not description:
        raise Invalid("A negative amount is a refund or a correction: say why in the "
                      "description.", field="description")
    if len(description) > finance.MAX_DESCRIPTION:
        raise Invalid(f"The description is at most {finance.MAX_DESCRIPTION} characters.",
                      field="description")
    if len(reference) > finance.MAX_REFERENCE:
        raise Invalid(f"The reference is at most {finance.MAX_REFERENCE} characters.",
                      field="reference")
    program = None
    if data.program_id is not None:
        program = Program.objects.filter(pk=data.program_id, district_id=district_id).first()
        if program is None:
            raise Invalid("Choose a program of your district.", field="program_id")
    if reference:
        clash = SpendingEntry.objects.filter(district_id=district_id,
                                             reference__iexact=reference)
        if entry is not None:
            clash = clash.exclude(pk=entry.pk)
        if clash.exists():
            raise ReferenceTaken(f"The reference “{reference}” is already on another line "
                                 "of the ledger.", field="reference")
    return EntryData(spent_on=data.spent_on, amount=amount.quantize(Decimal("0.01")),
                     source=data.source, use=data.use, program_id=data.program_id,
                     description=description, reference=reference), program


def _summary(entry: SpendingEntry) -> str:
    return (f"${entry.amount:,.2f} on {entry.spent_on.isoformat()} "
            f"({entry.get_source_display()}, {entry.get_use_display()})")


def do_add_entry(actor: User, data: EntryData, *, request: HttpRequest | None = None
                 ) -> SpendingEntry:
    _keeper(actor, actor.district_id or 0)
    clean, program = _checked(actor, data)
    with transaction.atomic():
        entry = SpendingEntry.objects.create(
            district_id=actor.district_id or 0, fiscal_year=fiscal_year_of(clean.spent_on),
            spent_on=clean.spent_on, amount=clean.amount, source=clean.source, use=clean.use,
            program=program, description=clean.description, reference=clean.reference,
            origin=SpendingEntry.Origin.ENTERED, created_by=actor)
        record("spending_added", actor=actor, request=request, obj=entry,
               summary=f"Added {_summary(entry)} to the spending ledger")
    return entry


def do_update_entry(actor: User, entry: SpendingEntry, data: EntryData, *,
                    request: HttpRequest | None = None) -> SpendingEntry:
    _keeper(actor, entry.district_id)
    clean, program = _checked(actor, data, entry=entry)
    before = _summary(entry)
    with transaction.atomic():
        entry.fiscal_year = fiscal_year_of(clean.spent_on)
        entry.spent_on, entry.amount = clean.spent_on, clean.amount
        entry.source, entry.use, entry.program = clean.source, clean.use, program
        entry.description, entry.reference = clean.description, clean.reference
        entry.save()
        record("spending_changed", actor=actor, request=request, obj=entry,
               summary=f"Corrected a spending line: {before} is now {_summary(entry)}")
    return entry


def do_delete_entry(actor: User, entry: SpendingEntry, *, request: HttpRequest | None = None
                    ) -> None:
    _keeper(actor, entry.district_id)
    with transaction.atomic():
        record("spending_deleted", actor=actor, request=request, obj=entry,
               summary=f"Deleted {_summary(entry)} from the spending ledger",
               details={"reference": entry.reference, "origin": entry.origin})
        entry.delete()


def do_import_finance(actor: User, *, file_name: str, content: bytes,
                      request: HttpRequest | None = None) -> FinanceImport:
    """Read a finance file and add all its lines, or none: ``ImportRejected`` (every
    problem with its row and column; a rejected import recorded) or ``ImportRefused``
    (the file cannot be read at all)."""
    district_id = actor.district_id or 0
    _keeper(actor, district_id)
    name = (file_name or "finance.csv").rsplit("/", 1)[-1][:255]
    parsed = finance.parse_finance(name, content, district_id=district_id)
    digest = hashlib.sha256(content).hexdigest()
    if parsed.problems:
        rejected = FinanceImport.objects.create(
            district_id=district_id, uploaded_by=actor, file_name=name, sha256=digest,
            status=FinanceImport.Status.REJECTED, rows=parsed.n_rows,
            report={"errors": [{"row": p.row, "column": p.column, "message": p.message}
                               for p in parsed.problems]})
        count = len(parsed.problems)
        raise ImportRejected(
            f"{name}: nothing was imported; {count} problem{'s' if count != 1 else ''} to "
            "correct first.", rows=parsed.problems, finance_import=rejected)
    with transaction.atomic():
        applied = FinanceImport.objects.create(
            district_id=district_id, uploaded_by=actor, file_name=name, sha256=digest,
            status=FinanceImport.Status.APPLIED, rows=parsed.n_rows,
            report={"added": len(parsed.rows),
                    "total": str(sum((r.amount for r in parsed.rows), Decimal("0")))})
        SpendingEntry.objects.bulk_create([SpendingEntry(
            district_id=district_id, fiscal_year=fiscal_year_of(r.spent_on),
            spent_on=r.spent_on, amount=r.amount, source=r.source, use=r.use,
            program=r.program, description=r.description, reference=r.reference,
            origin=SpendingEntry.Origin.IMPORTED, finance_import=applied, created_by=actor)
            for r in parsed.rows])
        record("spending_imported", actor=actor, request=request, obj=applied,
               summary=f"Imported {len(parsed.rows)} spending lines from {name}",
               details={"rows": len(parsed.rows), "sha256": digest})
    return applied
