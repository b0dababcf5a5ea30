"""Money and credit, exported: the payroll CSV of the stipend ledger, and an educator's CEU
transcript as CSV and as a PDF document. Each export is audited (``note_*``).

Every spreadsheet cell goes through ``safe_cell``: a credential's title or a learning
source's title copied from elsewhere that starts like a formula (``=``, ``+``, ``-``,
``@``) is neutralised, so opening the file never runs anything.

The PDF is drawn by WeasyPrint from ``credentials/money/transcript_pdf.html`` (Letter,
tagged PDF/UA-1, text embedded and extractable); nothing is fetched while drawing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.text import slugify

from uptake.audit.actions import record
from uptake.credentials.credit import ZERO, Transcript
from uptake.credentials.models import StipendEntry
from uptake.learning.hours import hours_text
from uptake.learning.models import school_year_label
from uptake.spreadsheets import money, safe_cell

if TYPE_CHECKING:
    from django.http import HttpRequest

    from uptake.accounts.models import User

PAYROLL_HEADER = ("Period", "School", "Staff identifier", "Name", "E-mail", "Credential",
                  "Tier", "Awarded on", "Amount")
TRANSCRIPT_HEADER = ("School year", "Date", "Credit", "Title", "Kind", "Contact hours",
                     "CEUs")
NO_SCHOOL = "No school on record"
PDF_TEMPLATE = "credentials/money/transcript_pdf.html"


def ceu_text(ceus: Decimal) -> str:
    """``Decimal("0.50")`` → ``"0.5"``, ``Decimal("0")`` → ``"0"``."""
    return hours_text(ceus)


def _safe(row: Iterable[Any]) -> list[str]:
    return [safe_cell(v) for v in row]


# --------------------------------------------------------------------------- payroll

def payroll_entries(entries: Any) -> list[StipendEntry]:
    """The ledger rows of a payroll export in its order: period, school, name, date."""
    rows = list(entries.select_related("educator", "school",
                                       "submission__tier__version"))
    rows.sort(key=lambda e: (e.period, e.school is None,
                             (e.school.name if e.school else "").casefold(),
                             e.educator.display_name.casefold(), e.awarded_on, e.pk))
    return rows


def payroll_rows(entries: Sequence[StipendEntry]) -> list[list[str]]:
    """Header, one row per awarded tier, and a total row; every cell is safe."""
    out = [list(PAYROLL_HEADER)]
    for e in entries:
        out.append(_safe((
            e.period, e.school.name if e.school else NO_SCHOOL,
            e.educator.staff_identifier, e.educator.display_name, e.educator.email,
            e.submission.tier.version.title, e.submission.tier.name,
            e.awarded_on.isoformat(), money(e.amount))))
    total = sum((e.amount for e in entries), ZERO)
    count = len(entries)
    out.append(_safe(("Total", "", "", f"{count} stipend{'s' if count != 1 else ''}", "",
                      "", "", "", money(total))))
    return out


def payroll_filename(period: str, school: str) -> str:
    parts = ["stipends", slugify(period) or "all-periods", slugify(school) or "all-schools"]
    return "-".join(parts)[:100] + ".csv"


def note_stipends_exported(*, actor: User, count: int, total: Decimal, filters: dict[str, str],
                           request: HttpRequest | None = None) -> None:
    """Audit a payroll export."""
    scope = ", ".join(f"{k} {v}" for k, v in filters.items()) or "every period and school"
    record("stipends_exported", actor=actor, request=request,
           summary=f"Exported {count} stipend{'s' if count != 1 else ''} "
                   f"(${money(total)}) for payroll: {scope}",
           details={"rows": count, "total": money(total), **filters})


# ------------------------------------------------------------------------ transcript

def transcript_rows(t: Transcript) -> list[list[str]]:
    """The transcript as a spreadsheet: who and under which rule, then one row per
    awarded tier and per counted learning source, each school year's conversion and total,
    and the grand total. Every cell is safe."""
    out: list[list[str]] = [
        _safe(("CEU transcript", t.name)),
        _safe(("Staff identifier", t.staff_identifier)),
        _safe(("District", t.district)),
        _safe(("Period", t.period)),
        _safe(("Conversion", f"Logged learning hours: {t.rule}")),
    ]
    for gap in t.left_out:
        out.append(_safe(("Not counted", f"{hours_text(gap.hours)} hours from "
                                         f"{gap.sources} source{'s' if gap.sources != 1 else ''}"
                                         f": {gap.reason}")))
    out.append([])
    out.append(list(TRANSCRIPT_HEADER))
    for y in t.years:
        for tier in (c for c in t.tiers if c.school_year == y.school_year):
            out.append(_safe((y.label, tier.awarded_on.isoformat(), "Micro-credential tier",
                              f"{tier.credential}: {tier.tier}", tier.kind, "",
                              ceu_text(tier.ceus))))
        year_sources = [s for s in t.learning if s.school_year == y.school_year]
        for s in year_sources:
            out.append(_safe((y.label, s.learned_on.isoformat(), "Logged learning", s.title,
                              s.kind_label, hours_text(s.hours), "")))
        if year_sources:
            out.append(_safe((y.label, "", "Learning hours converted", t.rule, "",
                              hours_text(y.learning_hours), ceu_text(y.learning_ceus))))
        out.append(_safe((y.label, "", "School year total", "", "",
                          hours_text(y.learning_hours), ceu_text(y.total_ceus))))
    out.append(_safe(("Total", "", t.period, "", "", hours_text(t.learning_hours),
                      ceu_text(t.total_ceus))))
    return out


def transcript_filename(t: Transcript, extension: str) -> str:
    years = ""
    if t.start_year is not None or t.end_year is not None:
        first = school_year_label(t.start_year) if t.start_year is not None else "start"
        last = school_year_label(t.end_year) if t.end_year is not None else "now"
        years = "-" + (first if first == last else f"{first}-to-{last}")
    name = slugify(t.name)[:60].strip("-") or f"person-{t.person_id}"
    return f"ceu-transcript-{name}{years}.{extension}"


def render_transcript_pdf(t: Transcript) -> bytes:
    """The transcript as a tagged PDF (one or two Letter pages for a typical year)."""
    import weasyprint

    html = render_to_string(PDF_TEMPLATE, {"t": t})
    document = weasyprint.HTML(string=html, url_fetcher=_refuse_all()).render(
        pdf_variant="pdf/ua-1", pdf_tags=True)
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    assert isinstance(pdf, bytes)
    return pdf


def _refuse_all() -> Any:
    from weasyprint.urls import URLFetcher

    class Nothing(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError("Transcript PDFs load nothing from outside.")

    return Nothing()


def note_transcript_exported(*, actor: User, person: User, t: Transcript, what: str,
                             request: HttpRequest | None = None) -> None:
    """Audit a transcript export (``what``: "csv" or "pdf")."""
    whose = "her own" if actor.pk == person.pk else f"{person.display_name}'s"
    record("transcript_exported", actor=actor, request=request, obj=person,
           summary=f"Exported {whose} CEU transcript ({t.period}) as {what.upper()}: "
                   f"{ceu_text(t.total_ceus)} CEUs",
           details={"what": what, "person": person.pk, "start_year": t.start_year,
                    "end_year": t.end_year, "ceus": str(t.total_ceus)})
