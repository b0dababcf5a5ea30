"""A roster import that moves students in or out of classes makes the summaries stale."""

from __future__ import annotations

from typing import Any

import pytest

from uptake.inquiry.actions import do_create_inquiry, do_create_measure
from uptake.inquiry.models import SeriesSummary
from uptake.inquiry.queries import series_summaries
from uptake.roster.actions import do_apply_import, do_preview_import
from uptake.roster.models import Section
from uptake.roster.tests import conftest as roster

# The roster tests' fixtures: the fixture files' district, its importer, zips of the files.
maple, importer, make_zip, _media_in_tmp = (roster.maple, roster.importer, roster.make_zip,
                                            roster._media_in_tmp)

pytestmark = pytest.mark.django_db


def _without_enrollment(files: dict[str, Any]) -> None:
    lines = files["enrollments.csv"].split(b"\n")
    files["enrollments.csv"] = b"\n".join(line for line in lines
                                          if not line.startswith(b"enr-4,"))


def test_an_import_that_moves_students_marks_the_summaries_stale(
        maple: Any, importer: Any, make_zip: Any) -> None:
    do_apply_import(do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer),
                    actor=importer)
    section = Section.objects.filter(district=maple).order_by("pk")[0]
    inquiry = do_create_inquiry(importer, title="Attendance at the writing club")
    measure = do_create_measure(importer, inquiry, sections=[section], name="Came",
                                kind="proportion", direction="up")
    series_summaries(maple.pk)
    assert not SeriesSummary.objects.filter(stale=True).exists()
    unchanged = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    do_apply_import(unchanged, actor=importer)  # nothing changes: nothing goes stale
    assert not SeriesSummary.objects.filter(stale=True).exists()
    moved = do_preview_import(maple, make_zip(edit=_without_enrollment), actor=importer)
    do_apply_import(moved, actor=importer, confirm_removals=True)
    assert SeriesSummary.objects.filter(measure=measure, stale=True).count() == 2
    series_summaries(maple.pk)
    assert not SeriesSummary.objects.filter(stale=True).exists()
