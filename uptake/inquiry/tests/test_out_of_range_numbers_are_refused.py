"""Numbers a column cannot hold, or that no measure means (2**63, negative counts, NaN,
infinity, a thousand digits), are refused with a message naming the cell, never a server
error, and nothing is saved: in the entry forms, in imported files and in measure scales."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uptake.inquiry.models import ClassTotal, Measure, Occasion, StudentValue

HUGE = str(2**63)
TOO_BIG = [HUGE, str(2**31), "9" * 5000]


@pytest.fixture
def count(world: Any, inquiry: Any) -> Any:
    """A tally per class: the count may exceed the class size, so only the range stops it."""
    from uptake.inquiry.actions import do_create_measure

    return do_create_measure(world.people["teacher"], inquiry, sections=[world.section],
                             name="Questions asked", kind="count", direction="up")


@pytest.fixture
def unscaled(world: Any, inquiry: Any) -> Any:
    """A score with no scale: nothing but the range check bounds its values."""
    from uptake.inquiry.actions import do_create_measure

    return do_create_measure(world.people["teacher"], inquiry, sections=[world.section],
                             name="Words read", kind="score", direction="up")


def _nothing_saved() -> None:
    assert not Occasion.objects.exists()
    assert not StudentValue.objects.exists() and not ClassTotal.objects.exists()


@pytest.mark.parametrize(("numerator", "denominator", "words"), [
    (HUGE, "12", "less than or equal to 2147483647"),
    ("3", HUGE, "less than or equal to 2147483647"),
    (str(2**31), "12", "less than or equal to 2147483647"),
    ("9" * 5000, "12", "Enter a whole number"),
    ("-1", "12", "greater than or equal to 0"),
    ("NaN", "12", "Enter a whole number"),
    ("inf", "12", "Enter a whole number"),
    ("1e3", "12", "Enter a whole number"),
    ("2.5", "12", "Enter a whole number"),
])
def test_it_refuses_class_totals_out_of_range_in_the_form(
        world: Any, login: Any, count: Any, numerator: str, denominator: str,
        words: str) -> None:
    r = login(world.people["teacher"]).post(
        reverse("inquiry:enter", args=[count.pk, world.section.pk]),
        {"when": "2026-09-14", "numerator": numerator, "denominator": denominator})
    assert r.status_code == 400 and words in r.content.decode()
    _nothing_saved()


def _import(login: Any, world: Any, measure: Any, content: bytes) -> Any:
    return login(world.people["teacher"]).post(
        reverse("inquiry:import", args=[measure.pk, world.section.pk]),
        {"file": SimpleUploadedFile("data.csv", content)})


@pytest.mark.parametrize(("cell", "words"), [
    (HUGE, "is too large: a class total is at most 2,147,483,647."),
    ("9" * 5000, "is too large"),
    ("-3", "must be 0 or more."),
    ("1e3", "is not a whole number."),
])
def test_it_names_the_cell_of_an_imported_total_out_of_range(
        world: Any, login: Any, count: Any, cell: str, words: str) -> None:
    r = _import(login, world, count,
                f"date,numerator,denominator\n2026-09-14,{cell},12\n".encode())
    page = r.content.decode()
    assert r.status_code == 400
    assert f"Row 2, column &#x27;numerator&#x27;: &#x27;{cell[:40]}" in page and words in page
    _nothing_saved()


@pytest.mark.parametrize(("cell", "words"), [
    ("1e309", "is too large to be a value"),
    ("-1e309", "is too large to be a value"),
    ("9" * 40, "is too large: Uptake keeps values between"),
    ("9" * 400, "is too long to be a value"),
    ("1e300", "is too large: Uptake keeps values between"),
    ("-2000000000", "is too large: Uptake keeps values between"),
    ("nan", "is not a number"),
    ("inf", "is not a number"),
])
def test_it_refuses_values_no_measure_means_in_the_grid(
        world: Any, login: Any, unscaled: Any, cell: str, words: str) -> None:
    student = world.students[0]
    r = login(world.people["teacher"]).post(
        reverse("inquiry:enter", args=[unscaled.pk, world.section.pk]),
        {"when": "2026-09-14", f"v-{student.pk}": cell})
    page = r.content.decode()
    assert r.status_code == 400 and f"{student.display_name}: " in page and words in page
    _nothing_saved()


@pytest.mark.parametrize(("cell", "words"), [
    ("1e309", "is too large to be a value"),
    ("1e300", "is too large: Uptake keeps values between"),
    ("NaN", "is not a number"),
])
def test_it_names_the_cell_of_an_imported_value_no_measure_means(
        world: Any, login: Any, unscaled: Any, cell: str, words: str) -> None:
    pseudonym = world.students[0].pseudonym
    r = _import(login, world, unscaled,
                f"student_id,date,value\n{pseudonym},2026-09-14,{cell}\n".encode())
    page = r.content.decode()
    assert r.status_code == 400
    assert "Row 2, column &#x27;value&#x27;" in page and words in page
    _nothing_saved()


@pytest.mark.parametrize(("low", "high"), [("0", "1e300"), ("-1e300", "10")])
def test_it_refuses_a_scale_beyond_a_billion(world: Any, login: Any, inquiry: Any,
                                            low: str, high: str) -> None:
    r = login(world.people["teacher"]).post(
        reverse("inquiry:measure_create", args=[inquiry.pk]),
        {"name": "Score", "kind": "score", "scale_min": low, "scale_max": high,
         "direction": "up", "chart": "run", "sections": [world.section.pk]})
    assert r.status_code in (200, 400)
    assert "A scale runs between -1,000,000,000 and 1,000,000,000" in r.content.decode()
    assert not Measure.objects.exists()
