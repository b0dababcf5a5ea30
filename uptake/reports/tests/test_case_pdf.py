"""The case as a PDF: one page, the headings and the numbers in its text, a tagged PDF/UA
document with its language and title, and no student named in it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from uptake.reports.actions import do_save_case
from uptake.reports.case import build_case
from uptake.reports.models import PARAGRAPH_MAX
from uptake.reports.pdf import render_case_pdf
from uptake.reports.tests import fixtures
from uptake.stories.tests.pdf_reading import identifiers_in, open_pdf, structure, text_of

pytestmark = pytest.mark.django_db


def _pdf(w: Any, *, program: Any = None) -> bytes:
    return render_case_pdf(build_case(w.people["coordinator"], program=program))


def test_a_program_s_case_fits_one_page_with_its_headings_and_numbers(world: Any) -> None:
    program = fixtures.scene(world)
    pdf = _pdf(world, program=program)
    document = open_pdf(pdf)
    assert len(document.pages) == 1
    text = " ".join(text_of(pdf).split())
    for heading in ("Who we serve", "What we invested", "The numbers", "Challenge",
                    "Solution", "Impact"):
        assert heading in text
    assert f"Making the case: {fixtures.programs.TITLE}" in text
    assert "$12,500" in text and "Federal Title II-A" in text
    assert "5 classes measured students' learning" in text
    assert "does not say the money caused the improvements" in text


def test_it_is_tagged_with_its_language_and_title(world: Any) -> None:
    document = open_pdf(_pdf(world))
    root = document.Root
    assert root.MarkInfo.Marked is True
    assert "/StructTreeRoot" in root
    assert str(root.Lang) == "en"
    assert str(document.docinfo["/Title"]).startswith("Making the case for professional")
    assert document.open_metadata().get("pdfuaid:part") == "1"


def test_its_headings_chart_and_tables_are_tagged(world: Any) -> None:
    fixtures.scene(world)
    tags = structure(_pdf(world))
    names = [tag for tag, _alt in tags]
    assert names.index("H1") < names.index("H2")
    figures = [alt for tag, alt in tags if tag == "Figure"]
    assert figures and figures[0] and figures[0].startswith("Spending by funding source")
    assert "Table" in names and "TH" in names


def test_the_longest_words_and_every_source_and_use_still_fit_one_page(world: Any) -> None:
    """Three paragraphs at their longest, and a line of spending for every funding source
    and every use in each of the five years."""
    from uptake.programs.models import FundingSource
    from uptake.spending.actions import EntryData, do_add_entry
    from uptake.spending.models import Use

    program = fixtures.scene(world)
    sources, uses = FundingSource.values, Use.values
    for year_back in range(5):
        day = fixtures.today().replace(year=fixtures.today().year - year_back)
        for i in range(max(len(sources), len(uses))):
            do_add_entry(world.people["coordinator"], EntryData(
                spent_on=day, amount=Decimal("98765.43"), source=sources[i % len(sources)],
                use=uses[i % len(uses)]))
    long = ("Our students need to explain their thinking in mathematics. " * 40)[
        :PARAGRAPH_MAX]
    do_save_case(world.people["coordinator"], program=program, challenge=long,
                 solution=long, impact=long)
    pdf = _pdf(world, program=program)
    assert len(open_pdf(pdf).pages) == 1
    assert "Our students need to explain" in text_of(pdf)


def test_it_names_no_student(world: Any) -> None:
    program = fixtures.scene(world)
    # (the students' family name is Cedar, like the school the program is named after)
    text = text_of(_pdf(world, program=program)).replace(program.name, "")
    assert identifiers_in(text, world) == []


def test_the_page_downloads_it_for_a_reader(world: Any, login: Any) -> None:
    program = fixtures.scene(world)
    answer = login(world.people["researcher"]).get(
        reverse("reports:program_case_pdf", kwargs={"program_id": program.pk}))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert "attachment" in answer["Content-Disposition"]
    assert answer.content.startswith(b"%PDF")
