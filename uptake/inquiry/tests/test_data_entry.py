"""The per-student grid and class totals: all or nothing, missing kept as missing, each
bad cell named with the student's name, every save and every read of names audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.inquiry.models import ClassTotal, Occasion, StudentValue


def _grid(world: Any, values: dict[int, str], **extra: str) -> dict[str, str]:
    data = {"when": "2026-09-14", "label": "Ticket 1", **extra}
    data.update({f"v-{world.students[i].pk}": v for i, v in values.items()})
    return data


def test_it_shows_one_labelled_decimal_input_per_student(world: Any, login: Any,
                                                         measure: Any) -> None:
    page = login(world.people["teacher"]).get(
        reverse("inquiry:enter", args=[measure.pk, world.section.pk])).content.decode()
    assert page.count('inputmode="decimal"') == len(world.students)
    s = world.students[0]
    assert f'<label for="v-{s.pk}">{s.display_name}</label>' in page


def test_it_saves_values_and_keeps_empty_cells_as_missing(world: Any, login: Any,
                                                          measure: Any) -> None:
    client = login(world.people["teacher"])
    data = _grid(world, {i: str(40 + i) for i in range(12)} | {3: "", 5: "NA", 7: "55,5"})
    r = client.post(reverse("inquiry:enter", args=[measure.pk, world.section.pk]), data)
    assert r.status_code == 302
    occasion = Occasion.objects.get()
    values = dict(StudentValue.objects.filter(occasion=occasion)
                  .values_list("student_id", "value"))
    assert len(values) == 12
    assert values[world.students[3].pk] is None and values[world.students[5].pk] is None
    assert values[world.students[7].pk] == 55.5 and values[world.students[0].pk] == 40
    event = AuditEvent.objects.get(action="measure_data_saved")
    assert set(event.subjects) == {s.pseudonym for s in world.students}
    page = client.get(reverse("inquiry:measure", args=[measure.pk])).content.decode()
    assert '<td class="num">10</td><td class="num">2</td>' in page  # 10 values, 2 missing


def test_it_names_each_bad_cell_and_saves_nothing(world: Any, login: Any,
                                                  measure: Any) -> None:
    client = login(world.people["teacher"])
    data = _grid(world, {0: "abc", 1: "101", 2: "50", 4: "=1+1"})
    r = client.post(reverse("inquiry:enter", args=[measure.pk, world.section.pk]), data)
    assert r.status_code == 400
    page = r.content.decode()
    assert "Nothing was saved" in page
    assert f"{world.students[0].display_name}: &#x27;abc&#x27; is not a number" in page
    assert f"{world.students[1].display_name}: 101 is above the scale" in page
    assert f"{world.students[4].display_name}: &#x27;=1+1&#x27; is not a number" in page
    assert 'aria-invalid="true"' in page and 'value="abc"' in page  # typed text kept
    assert not Occasion.objects.exists() and not StudentValue.objects.exists()
    assert not AuditEvent.objects.filter(action="measure_data_saved").exists()


def test_it_refuses_a_second_occasion_on_the_same_date_and_label(world: Any, login: Any,
                                                                 measure: Any) -> None:
    client = login(world.people["teacher"])
    url = reverse("inquiry:enter", args=[measure.pk, world.section.pk])
    assert client.post(url, _grid(world, {0: "50"})).status_code == 302
    r = client.post(url, _grid(world, {0: "60"}))
    assert r.status_code == 400 and b"already has an occasion on 2026-09-14" in r.content
    assert StudentValue.objects.get(student=world.students[0]).value == 50


def test_it_changes_an_existing_occasion(world: Any, login: Any, measure: Any) -> None:
    client = login(world.people["teacher"])
    client.post(reverse("inquiry:enter", args=[measure.pk, world.section.pk]),
                _grid(world, {0: "50", 1: "60"}))
    occasion = Occasion.objects.get()
    page = client.get(reverse("inquiry:occasion", args=[occasion.pk])).content.decode()
    assert f'name="v-{world.students[0].pk}" value="50"' in page
    r = client.post(reverse("inquiry:occasion", args=[occasion.pk]),
                    _grid(world, {0: "55", 1: ""}))
    assert r.status_code == 302
    values = dict(StudentValue.objects.values_list("student_id", "value"))
    assert values[world.students[0].pk] == 55 and values[world.students[1].pk] is None


def test_it_audits_the_names_shown_in_the_grid(world: Any, login: Any, measure: Any) -> None:
    login(world.people["teacher"]).get(
        reverse("inquiry:enter", args=[measure.pk, world.section.pk]))
    event = AuditEvent.objects.get(action="student_data_read")
    assert set(event.subjects) == {s.pseudonym for s in world.students}
    assert event.actor == world.people["teacher"]


def test_it_ignores_values_posted_for_students_outside_the_class(world: Any, login: Any,
                                                                 measure: Any) -> None:
    from uptake.roster.models import Student

    stranger = Student.objects.create(district=world.district, sourced_id="x-1",
                                      given_name="Not", family_name="Here")
    data = _grid(world, {0: "50"}) | {f"v-{stranger.pk}": "99"}
    login(world.people["teacher"]).post(
        reverse("inquiry:enter", args=[measure.pk, world.section.pk]), data)
    assert not StudentValue.objects.filter(student=stranger).exists()


@pytest.fixture
def proportion(world: Any, inquiry: Any) -> Any:
    from uptake.inquiry.actions import do_create_measure

    return do_create_measure(world.people["teacher"], inquiry, sections=[world.section],
                             name="Explained their thinking", kind="proportion",
                             direction="up")


def test_it_takes_class_totals_as_k_of_n(world: Any, login: Any, proportion: Any) -> None:
    client = login(world.people["teacher"])
    url = reverse("inquiry:enter", args=[proportion.pk, world.section.pk])
    page = client.get(url).content.decode()
    assert 'name="denominator"' in page and 'value="12"' in page  # class size offered
    r = client.post(url, {"when": "2026-09-14", "numerator": "13", "denominator": "12"})
    assert r.status_code == 400 and b"13 of 12 is more than all of them" in r.content
    assert not Occasion.objects.exists()
    r = client.post(url, {"when": "2026-09-14", "numerator": "7", "denominator": "12"})
    assert r.status_code == 302
    total = ClassTotal.objects.get()
    assert (total.numerator, total.denominator) == (7, 12)
