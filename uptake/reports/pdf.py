"""A case as a one-page tagged PDF (WeasyPrint, PDF/UA-1), for a board or a policymaker.

``render_case_pdf(case)`` draws ``reports/case_pdf.html``: US Letter, DejaVu (embedded,
extractable), the chart as inline SVG (a vector, with its title and description), the
document tagged with its language and title. A case too long for one page at the regular
size is laid out again compact; the paragraphs are capped (``PARAGRAPH_MAX``) so the
compact layout fits. Nothing is fetched while rendering.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify

from uptake.reports.case import Case

TEMPLATE = "reports/case_pdf.html"
OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def _refuse_all() -> Any:
    from weasyprint.urls import URLFetcher

    class Nothing(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError("Case PDFs load nothing from outside.")

    return Nothing()


def render_case_html(case: Case, *, compact: bool = False) -> str:
    return render_to_string(TEMPLATE, {"case": case, "compact": compact})


def render_case_pdf(case: Case) -> bytes:
    """The case on one Letter page (compact when the regular layout runs over)."""
    import weasyprint

    def laid_out(compact: bool) -> Any:
        return weasyprint.HTML(string=render_case_html(case, compact=compact),
                               url_fetcher=_refuse_all()).render(**OPTIONS)

    document = laid_out(compact=False)
    if len(document.pages) > 1:
        document = laid_out(compact=True)
    pdf = document.write_pdf(**OPTIONS)
    assert isinstance(pdf, bytes)
    return pdf


def case_filename(case: Case) -> str:
    what = slugify(case.program.name if case.program else case.district.name)[:60] or "case"
    return f"make-your-case-{what}-{case.prepared_on:%Y-%m-%d}.pdf"
