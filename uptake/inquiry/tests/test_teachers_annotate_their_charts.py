"""A teacher's own notes on a measure's chart ("snow day", "sub all week"): added, changed
and deleted by the measure's editors, audited, drawn on the chart as a labelled line and
listed in the chart's description and data table; bad input gets a message that says
what to fix."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.inquiry.models import Annotation
from uptake.inquiry.tests.conftest import fill

SERIES = [50, 52, 49, 51, 50, 48, 52, 50, 60, 62, 61, 63, 60, 62, 61, 64, 63]


def _add(client: Any, measure: Any, **fields: Any) -> Any:
    data = {"op": "add", "new-when": fields.get("when", "2026-11-12"),
            "new-text": fields.get("text", "snow day"), "new-section": fields.get("section", "")}
    return client.post(reverse("inquiry:annotations", args=[measure.pk]), data)


def _study(client: Any, measure: Any) -> str:
    return str(client.get(reverse("inquiry:study", args=[measure.pk])).content.decode())


def test_it_draws_a_note_on_the_chart_and_lists_it_in_the_text_and_table(
        world: Any, login: Any, measure: Any) -> None:
    fill(world.people["teacher"], measure, world.section, SERIES, world.students)
    jamie = login(world.people["teacher"])
    response = _add(jamie, measure, text="  snow   day ", section=world.section.pk)
    assert response.status_code == 302
    note = Annotation.objects.get()
    assert (note.text, note.section, note.date) == ("snow day", world.section,
                                                    date(2026, 11, 12))
    page = _study(jamie, measure)
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert ">snow day</text>" in svg and ">teacher's note</text>" in svg
    assert 'stroke-dasharray="12,3,2,3"' in svg
    # The note of Thursday 12 November falls before the point of Monday 16 November.
    rows = page.split("Data table for", 1)[1].split("</tbody>", 1)[0].split("<tr>")
    twelfth = next(r for r in rows if r.startswith('<th scope="row">11</th>'))
    assert "2026-11-16" in twelfth and "note: snow day" in twelfth
    assert "dash-dot: a teacher&#x27;s note" in page
    assert "Nov 16: note: snow day" in page


def test_it_changes_and_deletes_a_note_and_audits_each_step(
        world: Any, login: Any, measure: Any) -> None:
    jamie = login(world.people["teacher"])
    _add(jamie, measure, text="sub all week")
    note = Annotation.objects.get()
    url = reverse("inquiry:annotations", args=[measure.pk])
    response = jamie.post(url, {"op": "save", "note": note.pk, f"n{note.pk}-when": "2026-11-13",
                                f"n{note.pk}-text": "sub all week (Mr. Diaz)",
                                f"n{note.pk}-section": ""})
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.text, str(note.date)) == ("sub all week (Mr. Diaz)", "2026-11-13")
    assert jamie.post(url, {"op": "delete", "note": note.pk}).status_code == 302
    assert not Annotation.objects.exists()
    summaries = list(AuditEvent.objects.filter(summary__contains=": note ")
                     .order_by("pk").values_list("summary", flat=True))
    assert summaries == [
        "Exit ticket: note added for 2026-11-12: sub all week",
        "Exit ticket: note changed for 2026-11-13: sub all week (Mr. Diaz)",
        "Exit ticket: note deleted for 2026-11-13: sub all week (Mr. Diaz)"]


@pytest.mark.parametrize(("fields", "message"), [
    ({"text": "   "}, "Write a few words, such as &quot;snow day&quot;."),
    ({"text": "x" * 61}, "Keep the note to 60 characters (this one has 61)"),
    ({"when": ""}, "Give the day the note is about."),
    ({"when": "31/02/2026"}, "Give the day as a date, such as 2026-11-16."),
])
def test_it_refuses_a_bad_note_saying_what_to_fix(world: Any, login: Any, measure: Any,
                                                  fields: dict[str, Any], message: str) -> None:
    response = _add(login(world.people["teacher"]), measure, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Annotation.objects.exists()


def test_it_refuses_a_class_that_does_not_collect_the_measure(
        world: Any, login: Any, measure: Any) -> None:
    response = _add(login(world.people["teacher"]), measure,
                    section=world.other_section.pk)
    assert response.status_code == 400
    assert "That class does not collect this measure." in response.content.decode()
    assert not Annotation.objects.exists()


def test_it_says_a_measures_deletion_takes_its_notes_with_it(
        world: Any, login: Any, measure: Any) -> None:
    jamie = login(world.people["teacher"])
    _add(jamie, measure, text="snow day")
    _add(jamie, measure, text="new seating", when="2026-11-19")
    page = jamie.get(reverse("inquiry:measure_delete", args=[measure.pk])).content.decode()
    assert "<li>2 notes on the chart</li>" in page
    jamie.post(reverse("inquiry:measure_delete", args=[measure.pk]), {"confirm": "on"})
    assert not Annotation.objects.exists()


def test_it_draws_a_note_after_the_last_point_at_the_charts_edge(
        world: Any, login: Any, measure: Any) -> None:
    fill(world.people["teacher"], measure, world.section, SERIES, world.students)
    jamie = login(world.people["teacher"])
    _add(jamie, measure, text="snow day today", when="2027-01-05")  # last point: Dec 28
    page = _study(jamie, measure)
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert ">snow day today</text>" in svg
    assert "After the last point: Jan 5: note: snow day today." in page


def test_it_shows_a_one_class_note_on_that_class_and_with_its_name_on_all_classes(
        world: Any, login: Any, measure: Any) -> None:
    from uptake.inquiry.actions import do_update_measure
    from uptake.roster.models import Enrollment, Section, TeacherAssignment

    room14 = Section.objects.create(district=world.district, school=world.cedar,
                                    sourced_id="cls-3b", title="Grade 3 ELA - Room 14",
                                    grades="03")
    TeacherAssignment.objects.create(section=room14, teacher=world.people["teacher"])
    for student in world.students:
        Enrollment.objects.create(section=room14, student=student)
    do_update_measure(world.people["teacher"], measure, add_sections=[room14])
    for section in (world.section, room14):
        fill(world.people["teacher"], measure, section, SERIES, world.students)
    jamie = login(world.people["teacher"])
    _add(jamie, measure, text="new seating", section=room14.pk)
    page = _study(jamie, measure)
    blocks = {b.split("</h2>", 1)[0]: b for b in page.split('<h2 id="study-')[1:]}
    together = next(b for h, b in blocks.items() if "All classes together" in h)
    room12 = next(b for h, b in blocks.items() if "Room 12" in h)
    room14_block = next(b for h, b in blocks.items() if "Room 14" in h)
    assert "note: new seating (Grade 3 ELA - Room 14)" in together
    assert "note: new seating" in room14_block and "note: new seating (" not in room14_block
    assert "new seating" not in room12
