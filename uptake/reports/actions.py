"""The reports app's one write path: a case's words saved or reset, the research export
taken (``uptake.reports.research``). Pages and the API call the same functions."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from uptake.accounts.models import User
from uptake.audit.actions import record
from uptake.programs.models import Program
from uptake.reports.access import may_edit_case, may_export_research
from uptake.reports.models import PARAGRAPH_MAX, CaseReport
from uptake.reports.research import ResearchExport, build_research_export
from uptake.rules import NotAllowed, RuleError

AUDIT_KINDS = {
    "case_report_edited": "Make-your-case words edited",
    "case_report_reset": "Make-your-case words reset to the figures",
    "research_exported": "Research export taken",
}


class ReportRuleError(RuleError):
    """A change to a case, or an export, the rules refuse."""


class ReportNotAllowed(NotAllowed, ReportRuleError):
    """The person may read the case but not change it."""


def _clean(text: str, field: str, heading: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > PARAGRAPH_MAX:
        raise ReportRuleError(f"{heading} is {len(text):,} characters; a one-page case "
                              f"keeps it to {PARAGRAPH_MAX:,}.", field=field)
    return text


@transaction.atomic
def do_save_case(actor: User, *, program: Program | None, challenge: str, solution: str,
                 impact: str, drafts: dict[str, str] | None = None,
                 request: HttpRequest | None = None) -> CaseReport:
    """Save the coordinator's words for the case. A paragraph left blank, or left exactly
    as the draft from the figures (``drafts``), is stored blank so it keeps following the
    figures."""
    if not may_edit_case(actor):
        raise ReportNotAllowed("Only the district's coordinators edit a case.")
    assert actor.district_id is not None
    if program is not None and program.district_id != actor.district_id:
        raise ReportNotAllowed("Only the district's coordinators edit a case.")
    drafts = drafts or {}
    texts = {}
    for key, heading, text in (("challenge", "Challenge", challenge),
                               ("solution", "Solution", solution),
                               ("impact", "Impact", impact)):
        cleaned = _clean(text, key, heading)
        texts[key] = "" if cleaned == (drafts.get(key) or "").strip() else cleaned
    report, _ = CaseReport.objects.select_for_update().get_or_create(
        district_id=actor.district_id, program=program)
    changed = sorted(k for k, v in texts.items() if getattr(report, k) != v)
    for key, value in texts.items():
        setattr(report, key, value)
    report.edited_by = actor
    report.updated_at = timezone.now()
    report.save()
    what = f"the case for {program.name}" if program else "the district's case"
    record("case_report_edited", actor=actor, request=request, obj=program or actor.district,
           summary=f"Edited {what}: {', '.join(changed) or 'no change'}",
           details={"program": program.pk if program else None, "changed": changed})
    return report


@transaction.atomic
def do_reset_case(actor: User, *, program: Program | None,
                  request: HttpRequest | None = None) -> CaseReport | None:
    """Blank the case's three paragraphs: it follows the figures again."""
    if not may_edit_case(actor):
        raise ReportNotAllowed("Only the district's coordinators edit a case.")
    assert actor.district_id is not None
    # Ordered by pk alone: the default ordering joins the nullable program, and
    # PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    report = CaseReport.objects.select_for_update().filter(
        district_id=actor.district_id, program=program).order_by("pk").first()
    if report is None:
        return None
    report.challenge = report.solution = report.impact = ""
    report.edited_by = actor
    report.updated_at = timezone.now()
    report.save()
    what = f"the case for {program.name}" if program else "the district's case"
    record("case_report_reset", actor=actor, request=request, obj=program or actor.district,
           summary=f"Reset {what} to the figures",
           details={"program": program.pk if program else None})
    return report


def do_export_research(actor: User, *, request: HttpRequest | None = None) -> ResearchExport:
    """The de-identified research export of the actor's district (a ``ResearchExport``),
    audited."""
    if not may_export_research(actor):
        raise ReportNotAllowed("Only the district's coordinators and researchers take the "
                               "research export.")
    return build_research_export(actor, request=request)
