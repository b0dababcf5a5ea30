"""The dashboard's pages, drill-down, downloads and API, read as the people who use them."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from uptake.district.tests import scene as scene_

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world: Any) -> scene_.Scene:
    return scene_.build(world)


def test_the_coordinator_reads_the_dashboard(world, scene, login, client):
    login(world.people["coordinator"])
    page = client.get(reverse("district:dashboard")).content.decode()
    assert "District dashboard" in page
    assert "Math talk" in page and "Writing workshop" in page
    assert "<title" in page and "role=\"img\"" in page  # charts with a text alternative
    assert "does not say the money caused" in page or "Spending" in page
    assert "1 class with fewer than" in page  # c5 is said to be left out
    # No pupil is named anywhere.
    assert all(s.given_name not in page for s in world.students)


def test_the_filters_narrow_the_figures(world, scene, login, client):
    login(world.people["coordinator"])
    url = reverse("district:dashboard") + f"?program={scene.writing.pk}"
    page = client.get(url).content.decode()
    assert "Fewer than three classes" in page


@pytest.mark.parametrize("persona", ["teacher", "coach", "assessor", "colleague"])
def test_teachers_coaches_and_assessors_get_404(world, scene, login, client, persona):
    login(world.people[persona])
    assert client.get(reverse("district:dashboard")).status_code == 404
    assert client.get(reverse("district:program", args=[scene.math.pk])).status_code == 404
    assert client.get(reverse("district:records")).status_code == 404


def test_a_school_leader_sees_her_school_and_not_another(world, scene, login, client):
    login(world.people["leader"])  # Cedar
    page = client.get(reverse("district:dashboard")).content.decode()
    assert "Cedar Elementary" in page and "Birch Middle" not in page
    birch = reverse("district:dashboard") + f"?school={world.birch.pk}"
    assert client.get(birch).status_code == 404
    # Her role revoked: the same 404 as for a page that does not exist.
    world.people["leader"].roles.all().delete()
    assert client.get(reverse("district:dashboard")).status_code == 404


def test_the_drill_down_lists_what_she_may_open_and_counts_the_rest(world, scene, login,
                                                                  client):
    login(world.people["coordinator"])
    url = reverse("district:records") + "?verdict=sustained_improvement"
    page = client.get(url).content.decode()
    # Two classes with a sustained improvement (c1, c3); the coordinator opens neither
    # inquiry (not shared with her), so both are counted, neither listed.
    assert "2 classes counted; 2 more you may not open" in page
    assert "Inquiry c1" not in page
    # The small class c5 is never behind a number.
    assert "Class c5" not in page


def test_the_program_page_shows_five_levels_empty_ones_included(world, scene, login, client):
    login(world.people["coordinator"])
    page = client.get(reverse("district:program", args=[scene.math.pk])).content.decode()
    for level in ("Level 1: Reactions", "Level 2", "Level 3", "Level 4", "Level 5"):
        assert level in page
    assert page.count("No evidence yet at this level.") >= 2


def test_every_table_downloads_as_csv_and_xlsx_and_is_audited(world, scene, login, client):
    from uptake.audit.models import AuditEvent

    login(world.people["coordinator"])
    before = AuditEvent.objects.count()
    url = reverse("district:export") + "?table=verdicts_program&format=csv"
    response = client.get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Program"
    assert {r[0] for r in rows[1:]} >= {"Math talk", "Writing workshop"}
    xlsx = client.get(reverse("district:export") + "?table=groups&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert AuditEvent.objects.count() == before + 2
    assert client.get(reverse("district:export") + "?table=nope").status_code == 404


def test_the_api_gives_the_same_tables_with_the_same_scope(world, scene, api):
    coordinator = api(world.people["coordinator"])
    answer = coordinator.get("/api/v1/district/dashboard")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["classes_counted"] == 4 and body["improvements"] == 2
    assert body["whole_district"] is True
    leader = api(world.people["leader"]).get("/api/v1/district/dashboard").json()
    assert leader["whole_district"] is False and leader["classes_counted"] == 2
    teacher = api(world.people["teacher"]).get("/api/v1/district/dashboard")
    assert teacher.status_code == 404
    ladder = coordinator.get(f"/api/v1/district/programs/{scene.math.pk}").json()["ladder"]
    assert [level["level"] for level in ladder] == [1, 2, 3, 4, 5]


READERS = {"leader", "coordinator", "researcher", "other_coordinator"}


def test_every_persona_gets_exactly_the_dashboard_declared(world, scene, client):
    for persona, person in world.people.items():
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        for name in ("district:dashboard", "district:records"):
            status = client.get(reverse(name)).status_code
            assert status == (200 if persona in READERS else 404), (persona, name, status)
    client.logout()
    assert client.get(reverse("district:dashboard")).status_code == 302


def test_the_standard_filter_follows_the_inquiry_alignment(world, scene):
    from uptake.district.figures import Filters, district_figures
    from uptake.learning.models import Framework, FrameworkElement

    framework = Framework.objects.create(district=world.district, name="Teaching standards",
                                         kind=Framework.Kind.choices[0][0])
    element = FrameworkElement.objects.create(framework=framework, code="2.1",
                                              title="Classroom discourse")
    element.inquiries.add(scene.inquiries["c1"])
    figures = district_figures(world.people["coordinator"],
                               filters=Filters(standard=element.pk))
    assert figures.classes_counted == 1 and figures.improvements == 1
    assert figures.labels["standard"][str(element.pk)] == "2.1 Classroom discourse"
