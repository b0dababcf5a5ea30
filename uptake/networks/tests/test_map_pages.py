"""The map pages: who sees what (the whole map, a leader's numbers, her own ties), what
the filters change, and the audit of every view of the whole network."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.accounts.models import Role
from uptake.audit.models import AuditEvent
from uptake.networks.tests.examples_map import OBSERVED, scene, tie

pytestmark = pytest.mark.django_db

HOME = reverse("networks:home")
NAMES = ("Jamie Nguyen", "Asha Patel", "Miguel Garcia", "Cora Coach", "Pat Podcast")


def _page(login: Any, who: Any, query: str = "") -> str:
    response = login(who).get(HOME + query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_it_shows_a_coordinator_the_whole_map_with_a_text_alternative(world: Any,
                                                                      login: Any) -> None:
    scene(world)
    html = _page(login, world.people["coordinator"])
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart network-map"' in html
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "The network has" in html and "ties; its density is" in html
    for name in NAMES:
        assert name in html
    assert html.count("<tr><th scope=\"row\">") >= len(NAMES)  # the measures table


def test_it_records_each_view_of_the_whole_network_once(world: Any, login: Any) -> None:
    scene(world)
    _page(login, world.people["researcher"])
    _page(login, world.people["researcher"], "?relation=advice")
    events = AuditEvent.objects.filter(action="network_viewed")
    assert events.count() == 2
    assert events.filter(actor=world.people["researcher"]).count() == 2


def test_a_teacher_sees_only_her_own_ties(world: Any, login: Any) -> None:
    scene(world)
    html = _page(login, world.people["teacher"])
    assert "<svg" not in html
    assert "Asha Patel" in html and "Pat Podcast" in html and "Miguel Garcia" in html
    assert "outside the district" in html
    assert f'href="{reverse("networks:ties")}"' in html  # name who she learns from
    # Asha learns from the coach: a tie between two others is never hers to see.
    assert "Cora Coach" not in html
    assert not AuditEvent.objects.filter(action="network_viewed").exists()


def test_her_page_never_says_who_named_a_tie_into_or_out_of_her(world: Any,
                                                                 login: Any) -> None:
    scene(world)  # Miguel named that he learns from Jamie; Jamie named Asha and the host
    html = _page(login, world.people["teacher"])
    miguel = html[html.index("Miguel Garcia"):]
    miguel = miguel[:miguel.index("</tr>")]
    assert "Named by" not in miguel and "—" in miguel
    assert html.count("Named by you") == 2  # her own two
    assert "who named a tie is not shown" in html
    # Miguel sees the tie he named as his own.
    assert "Named by you" in _page(login, world.people["outsider"])


def test_the_outsider_sees_only_that_jamie_passes_something_on_to_her(world: Any,
                                                                     login: Any) -> None:
    scene(world)
    html = _page(login, world.people["outsider"])
    assert "Jamie Nguyen" in html
    for name in ("Asha Patel", "Pat Podcast", "Cora Coach"):
        assert name not in html


def test_a_leader_sees_numbers_and_no_names_of_others(world: Any, login: Any,
                                                      settings: Any) -> None:
    settings.MIN_GROUP_SIZE = 3
    scene(world)
    html = _page(login, world.people["leader"])
    assert "Cedar Elementary" in html and "Withheld" not in html
    for name in NAMES:
        assert name not in html
    assert "Birch Middle" not in html  # not her school
    # One coach, one leader, two teachers: no role's E-I index is one or two people's.
    assert "Coach, School leader, Teacher: withheld" in html


def test_a_leaders_aggregate_says_density_is_a_lower_bound_when_some_did_not_answer(
        world: Any, login: Any, settings: Any) -> None:
    from uptake.networks.models import NetworkImport

    settings.MIN_GROUP_SIZE = 3
    scene(world)
    p = world.people
    NetworkImport.objects.create(
        district=world.district, kind=NetworkImport.Kind.SURVEY, relation="advice",
        observed_on=OBSERVED, invited=[p["teacher"].pk, p["colleague"].pk],
        responded=[p["teacher"].pk])
    html = _page(login, p["leader"])
    assert ("Cedar Elementary: 1 of 2 people invited did not answer; their own answers are "
            "missing, so density and reciprocity here are lower bounds.") in html
    assert "Asha Patel" not in html  # who did not answer is never said


def test_a_leaders_aggregate_is_withheld_below_the_minimum_group_size(
        world: Any, login: Any, settings: Any) -> None:
    settings.MIN_GROUP_SIZE = 5  # Cedar has four people in the network: teacher,
    scene(world)                 # colleague, coach, leader
    html = _page(login, world.people["leader"])
    assert "Withheld: fewer than 5 people." in html
    assert "Density" in html and "0.3" not in html


def test_another_districts_coordinator_sees_nothing_of_this_one(world: Any,
                                                                 login: Any) -> None:
    scene(world)
    html = _page(login, world.people["other_coordinator"])
    for name in NAMES:
        assert name not in html
    assert "The network has 1 person and 0 ties" in html


def test_an_assessor_has_no_network(world: Any, login: Any) -> None:
    scene(world)
    assert login(world.people["assessor"]).get(HOME).status_code == 404


def test_a_revoked_role_ends_the_view_at_once(world: Any, login: Any) -> None:
    scene(world)
    coordinator = world.people["coordinator"]
    assert "Asha Patel" in _page(login, coordinator)
    coordinator.roles.filter(role=Role.COORDINATOR).delete()
    assert login(coordinator).get(HOME).status_code == 404


def test_a_deactivated_teacher_is_sent_to_sign_in(world: Any, client: Any) -> None:
    scene(world)
    teacher = world.people["teacher"]
    client.force_login(teacher, backend="django.contrib.auth.backends.ModelBackend")
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    response = client.get(HOME)
    assert response.status_code in (302, 404)
    assert b"Asha Patel" not in response.content


def test_filters_change_what_is_drawn(world: Any, login: Any) -> None:
    scene(world)
    coordinator = world.people["coordinator"]
    everything = _page(login, coordinator)
    advice = _page(login, coordinator, "?relation=advice")
    strong = _page(login, coordinator, "?min_weight=4")
    assert everything.count("<line ") == 4
    assert advice.count("<line ") == 2  # the podcast's information and the collaboration go
    assert strong.count("<line ") == 2  # weights 5 and 4 stay
    assert "Pat Podcast" in everything and "Pat Podcast" not in advice
    birch = _page(login, coordinator, f"?school={world.birch.pk}")
    assert "Jamie Nguyen" not in birch and "Miguel Garcia" in birch


def test_the_period_filter_keeps_the_ties_observed_in_it(world: Any, login: Any) -> None:
    from datetime import date

    scene(world)
    p = world.people
    tie(world, p["outsider"], p["coach"], observed_on=date(2025, 3, 1))
    coordinator = p["coordinator"]
    assert _page(login, coordinator).count("<line ") == 5
    assert _page(login, coordinator, "?until=2025-12-31").count("<line ") == 1
    assert _page(login, coordinator, "?since=2026-01-01").count("<line ") == 4


def test_a_period_ending_before_it_starts_is_refused_with_a_message(world: Any,
                                                                   login: Any) -> None:
    response = login(world.people["coordinator"]).get(HOME + "?since=2026-05-01&until=2026-01-01")
    assert response.status_code == 400
    assert "is before" in response.content.decode()


def test_the_table_sorts_by_a_column_through_the_query(world: Any, login: Any) -> None:
    scene(world)
    html = _page(login, world.people["coordinator"], "?sort=in_degree&dir=desc")
    table = html[html.index("<tbody>"):]
    # Jamie is named by two (Asha and the podcast): first when sorted by in-degree.
    assert table.index("Jamie Nguyen") < table.index("Cora Coach")
    assert 'aria-sort="descending"' in html


def test_the_map_page_has_no_inline_script_or_style(world: Any, login: Any) -> None:
    scene(world)
    html = _page(login, world.people["coordinator"])
    assert "<script>" not in html and " style=" not in html and "onclick" not in html


def test_a_surveys_response_rate_is_said_and_non_respondents_marked(world: Any,
                                                                    login: Any) -> None:
    from uptake.networks.models import NetworkImport

    scene(world)
    p = world.people
    NetworkImport.objects.create(
        district=world.district, kind=NetworkImport.Kind.SURVEY, relation="advice",
        observed_on=OBSERVED, invited=[p["teacher"].pk, p["colleague"].pk, p["outsider"].pk],
        responded=[p["teacher"].pk, p["colleague"].pk])
    html = _page(login, p["coordinator"])
    assert "2 of the 3 people asked answered the network survey (67 %)." in html
    assert "The 1 person who did not answer is marked unobserved" in html
    row = html[html.index('<th scope="row">Miguel Garcia</th>'):]
    assert "unobserved: did not answer" in row[:row.index("</tr>")]
    assert "Miguel Garcia (Birch Middle, unobserved)" in html  # the map's node
    caveat = ("1 of 3 people invited did not answer; their own answers are missing, so "
              "density and reciprocity here are lower bounds.")
    text = html[html.index('<p id="map-text">'):]
    assert caveat in text[:text.index("</p>")]
