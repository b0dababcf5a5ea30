"""What the reports app keeps: the coordinator's words of a "make your case" page.

The numbers of a case are never stored: they are drawn from the roster, the spending
ledger and the district view's figures every time the page or the PDF is drawn. Only the
three paragraphs the coordinator edits are kept (``CaseReport``); a blank paragraph means
"the draft written from the figures", so a case nobody has edited follows the data, and
"reset to the figures" blanks the three again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from uptake.accounts.models import District

# The longest paragraph a one-page case can print (Learning Forward's template gives each
# of Challenge, Solution and Impact a short paragraph).
PARAGRAPH_MAX = 1000


class CaseReport(models.Model):
    """The edited words of one district's case (``program`` null) or one program's."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="case_reports")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, null=True,
                                blank=True, related_name="case_reports")
    challenge = models.TextField(blank=True, max_length=PARAGRAPH_MAX)
    solution = models.TextField(blank=True, max_length=PARAGRAPH_MAX)
    impact = models.TextField(blank=True, max_length=PARAGRAPH_MAX)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["district", "program", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["district", "program"],
                                    name="case_report_unique_per_program"),
            models.UniqueConstraint(fields=["district"], condition=models.Q(program=None),
                                    name="case_report_unique_per_district"),
        ]

    def __str__(self) -> str:
        return f"Case for {self.program or self.district}"

    @property
    def edited(self) -> bool:
        """Whether any paragraph carries the coordinator's words (not the draft's)."""
        return bool(self.challenge or self.solution or self.impact)
