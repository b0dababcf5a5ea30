"""The professional-learning spending ledger: what a district spent, from which fund, on
what, for which program, per fiscal year.

A ledger line is one of three kinds:

- **entered** by a coordinator on the ledger page (or the API);
- **imported** from the finance system's export (``FinanceImport``: a CSV or XLSX file, all
  rows or none);
- a **stipend**: a micro-credential tier awarded (``credentials.StipendEntry``), read live
  from the credentials app and never copied here, so it is never counted twice and never out
  of date (``uptake.spending.queries.ledger_lines``).

Amounts are never zero. A refund or a correction is a negative amount, and then the line
must say why (``description``); the totals subtract it.

A fiscal year is named by the calendar year it ends in (FY2027 runs July 2026 to June 2027
with the default ``FISCAL_YEAR_START_MONTH`` of 7).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from uptake.accounts.models import District
from uptake.programs.models import FundingSource, Program

__all__ = ["FinanceImport", "FundingSource", "SpendingEntry", "Use"]


class Use(models.TextChoices):
    """What the money paid for (the uses Learning Forward's template and ESSA Title II-A
    reporting ask about)."""

    COACHING = "coaching", "Coaching"
    COURSES_WORKSHOPS = "courses_workshops", "Courses and workshops"
    STIPENDS = "stipends", "Stipends"
    SUBSTITUTES = "substitutes", "Substitutes"
    CONFERENCES = "conferences", "Conferences"
    MATERIALS = "materials", "Materials"
    CLASS_SIZE_REDUCTION = "class_size_reduction", "Class-size reduction"
    OTHER = "other", "Other"


class FinanceImport(models.Model):
    """One finance-system file brought into the ledger: applied whole, or rejected whole
    with every problem found (``report["errors"]``: row, column and message each)."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        REJECTED = "rejected", "Rejected"

    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="finance_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices)
    report = models.JSONField(default=dict, blank=True)
    rows = models.PositiveIntegerField(default=0)  # data rows read (the header aside)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class SpendingEntry(models.Model):
    """One line of the ledger, entered or imported."""

    class Origin(models.TextChoices):
        ENTERED = "entered", "Entered"
        IMPORTED = "imported", "Imported"

    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="spending_entries")
    fiscal_year = models.PositiveSmallIntegerField(
        help_text="The fiscal year by the calendar year it ends in (2027 for 2026-27).")
    spent_on = models.DateField()
    amount = models.DecimalField(
        max_digits=12, decimal_places=2,
        help_text="Never zero; a refund or correction is negative and says why.")
    source = models.CharField(max_length=20, choices=FundingSource.choices)
    use = models.CharField(max_length=24, choices=Use.choices)
    program = models.ForeignKey(Program, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="spending_entries")
    description = models.CharField(max_length=300, blank=True)
    reference = models.CharField(
        max_length=100, blank=True,
        help_text="The finance system's id for the line (a voucher or journal number).")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.ENTERED)
    finance_import = models.ForeignKey(FinanceImport, on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="entries")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-spent_on", "-pk"]
        indexes = [models.Index(fields=["district", "fiscal_year"])]
        constraints = [
            models.UniqueConstraint(fields=["district", "reference"],
                                    condition=~Q(reference=""),
                                    name="spending_reference_unique_per_district"),
            models.CheckConstraint(condition=~Q(amount=0), name="spending_amount_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.get_source_display()}, {self.get_use_display()})"
