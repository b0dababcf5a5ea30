"""``queries.network`` and ``queries.ego_network``: the nodes, the layers, the school filter,
unobserved people, the period and the least weight; her ego network holds her ties only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from uptake.accounts.models import Role, RoleAssignment
from uptake.inquiry.actions import do_create_inquiry, do_share_inquiry
from uptake.networks.actions.ties import ContactData, NamedTieData, do_add_contact, do_name_tie
from uptake.networks.models import NetworkImport, Tie
from uptake.networks.queries import ego_network, named_by, network

pytestmark = pytest.mark.django_db


def _p(person: Any) -> str:
    return f"p{person.pk}"


def survey_wave(w: Any, nominations: list[tuple[str, str, int]], *, invited: list[str],
                responded: list[str], observed_on: date = date(2026, 10, 1),
                relation: str = "advice") -> NetworkImport:
    """A network survey brought in (as the imports part stores one): each answer "i goes
    to j for advice" is stored reversed, j → i."""
    people = w.people
    wave = NetworkImport.objects.create(
        district=w.district, kind=NetworkImport.Kind.SURVEY, relation=relation,
        observed_on=observed_on, invited=[people[p].pk for p in invited],
        responded=[people[p].pk for p in responded], rows=len(nominations),
        ties=len(nominations))
    for asker, adviser, weight in nominations:
        Tie.objects.create(district=w.district, relation=relation, weight=weight,
                           source_person=people[adviser], target_person=people[asker],
                           observed_on=observed_on, origin=Tie.Origin.SURVEY,
                           network_import=wave)
    return wave


def _arcs(net: Any) -> set[tuple[str, str]]:
    return {(t.source, t.target) for t in net.ties}


def test_its_nodes_are_the_districts_educators_with_their_school_and_formal_roles(
        world: Any) -> None:
    net = network(world.district.pk)
    people = world.people
    expected = {_p(people[p]) for p in ("teacher", "colleague", "outsider", "coach", "leader",
                                        "coordinator")}
    assert set(net.nodes) == expected  # researchers and assessors only at a tie's end
    jamie, coach, miguel = (net.nodes[_p(people[p])] for p in ("teacher", "coach", "outsider"))
    assert (jamie.school, jamie.formal_role, jamie.external) == ("Cedar Elementary", False,
                                                                 False)
    assert (coach.school_id, coach.formal_role) == (world.cedar.pk, True)
    assert miguel.school == "Birch Middle"
    assert net.nodes[_p(people["coordinator"])].formal_role
    assert _p(people["other_coordinator"]) not in net.nodes


def test_survey_ties_read_as_stored_and_a_non_respondent_is_unobserved(world: Any) -> None:
    survey_wave(world, [("teacher", "coach", 3), ("colleague", "outsider", 2)],
                invited=["teacher", "colleague", "outsider", "coach"],
                responded=["teacher", "colleague"])
    people = world.people
    net = network(world.district.pk)
    assert _arcs(net) == {(_p(people["coach"]), _p(people["teacher"])),
                          (_p(people["outsider"]), _p(people["colleague"]))}
    assert {k for k, n in net.nodes.items() if n.unobserved} == {
        _p(people["outsider"]), _p(people["coach"])}
    assert (net.invited, net.responded, net.response_rate) == (4, 2, 0.5)


def test_a_survey_outside_the_selection_marks_nobody(world: Any) -> None:
    survey_wave(world, [], invited=["teacher", "colleague"], responded=["teacher"])
    for net in (network(world.district.pk, relations=["information"]),
                network(world.district.pk, layers=("reported",)),
                network(world.district.pk, since=date(2027, 1, 1))):
        assert not any(n.unobserved for n in net.nodes.values())
        assert (net.invited, net.responded) == (0, 0)


def test_the_school_filter_keeps_ties_inside_the_schools_and_their_external_contacts(
        world: Any) -> None:
    people = world.people
    survey_wave(world, [("teacher", "coach", 3), ("teacher", "outsider", 2)],
                invited=["teacher"], responded=["teacher"])
    liu = do_add_contact(people["teacher"], ContactData("Dr. Liu", "person", "Bluesky"))
    do_name_tie(people["teacher"], NamedTieData(direction="from", relation="advice",
                                                frequency="weekly", contact=liu))
    do_name_tie(people["outsider"], NamedTieData(direction="to", relation="advice",
                                                 frequency="daily", contact=liu))
    cedar = network(world.district.pk, school_ids=[world.cedar.pk])
    assert _arcs(cedar) == {(_p(people["coach"]), _p(people["teacher"])),
                            (f"c{liu.pk}", _p(people["teacher"]))}
    assert _p(people["outsider"]) not in cedar.nodes
    assert cedar.nodes[f"c{liu.pk}"].external
    assert _p(people["coordinator"]) not in cedar.nodes  # holds no role at a school
    both = network(world.district.pk, school_ids=[world.cedar.pk, world.birch.pk])
    assert len(both.ties) == 4


def test_the_period_and_the_least_weight_choose_the_ties(world: Any) -> None:
    survey_wave(world, [("teacher", "coach", 1)], invited=["teacher"], responded=["teacher"],
                observed_on=date(2025, 10, 1))
    survey_wave(world, [("teacher", "colleague", 4)], invited=["teacher"],
                responded=["teacher"], observed_on=date(2026, 10, 1))
    people = world.people
    assert _arcs(network(world.district.pk, since=date(2026, 1, 1))) == {
        (_p(people["colleague"]), _p(people["teacher"]))}
    assert _arcs(network(world.district.pk, until=date(2025, 12, 31))) == {
        (_p(people["coach"]), _p(people["teacher"]))}
    assert _arcs(network(world.district.pk, min_weight=2)) == {
        (_p(people["colleague"]), _p(people["teacher"]))}
    assert len(network(world.district.pk, min_weight=5).ties) == 0


def test_a_tie_reaching_someone_deactivated_keeps_her_as_a_node(world: Any) -> None:
    survey_wave(world, [("teacher", "colleague", 2)], invited=["teacher"],
                responded=["teacher"])
    asha = world.people["colleague"]
    asha.is_active = False
    asha.save(update_fields=["is_active"])
    net = network(world.district.pk)
    assert _p(asha) in net.nodes and len(net.ties) == 1


def test_the_number_of_queries_does_not_grow_with_the_people(
        world: Any, django_assert_max_num_queries: Any) -> None:
    from uptake.accounts.models import User

    for i in range(30):
        user = User.objects.create_user(email=f"t{i}@maple.test", district=world.district)
        RoleAssignment.objects.create(user=user, district=world.district, school=world.cedar,
                                      role=Role.TEACHER)
        Tie.objects.create(district=world.district, relation="advice", weight=2,
                           source_person=world.people["teacher"], target_person=user,
                           observed_on=date(2026, 10, 1), origin=Tie.Origin.IMPORT)
    inquiry = do_create_inquiry(world.people["teacher"], title="Exit tickets")
    do_share_inquiry(world.people["teacher"], inquiry, world.people["coach"], share=True)
    with django_assert_max_num_queries(14):
        net = network(world.district.pk, layers=("survey", "import", "reported", "known"))
    assert len(net.ties) == 31


# ------------------------------------------------------------------------ ego network

def test_her_ego_network_holds_her_ties_in_and_out_and_never_a_tie_between_others(
        world: Any) -> None:
    people = world.people
    survey_wave(world, [("teacher", "coach", 3), ("colleague", "outsider", 2),
                        ("outsider", "teacher", 1)],
                invited=["teacher", "colleague", "outsider"], responded=["teacher"])
    inquiry = do_create_inquiry(people["teacher"], title="Exit tickets")
    do_share_inquiry(people["teacher"], inquiry, people["coach"], share=True)
    ego = ego_network(people["teacher"])
    me = _p(people["teacher"])
    assert all(me in (t.source, t.target) for t in ego.ties)
    assert {(t.source, t.target, t.layer) for t in ego.ties} == {
        (_p(people["coach"]), me, "survey"), (me, _p(people["outsider"]), "survey"),
        (_p(people["coach"]), me, "known")}
    assert set(ego.nodes) == {me, _p(people["coach"]), _p(people["outsider"])}
    assert not any(n.unobserved for n in ego.nodes.values())  # not hers to read


def test_a_tie_another_named_about_her_is_in_her_ego_network_but_not_her_named_ties(
        world: Any) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    do_name_tie(asha, NamedTieData(direction="from", relation="advice", frequency="daily",
                                   person=jamie, note="Asha's own note"))
    ego = ego_network(jamie)
    assert [(t.source, t.target, t.layer) for t in ego.ties] == [
        (_p(jamie), _p(asha), "reported")]
    assert "Asha's own note" not in repr(ego)  # who named it, and her note, are not in it
    assert named_by(jamie) == []
    assert [t.other_label for t in named_by(asha)] == ["Jamie Nguyen"]


def test_it_reads_the_same_network_when_too_many_ids_for_an_in_list(
        world: Any, monkeypatch: Any) -> None:
    from uptake.networks import queries

    people = world.people
    survey_wave(world, [("teacher", "coach", 3), ("colleague", "researcher", 2)],
                invited=["teacher", "colleague"], responded=["teacher"])
    liu = do_add_contact(people["teacher"], ContactData("Dr. Liu", "person", "Bluesky"))
    do_name_tie(people["teacher"], NamedTieData(direction="from", relation="advice",
                                                frequency="weekly", contact=liu))
    do_add_contact(people["colleague"], ContactData("Unused", "person", ""))
    inquiry = do_create_inquiry(people["teacher"], title="Exit tickets")
    do_share_inquiry(people["teacher"], inquiry, people["coach"], share=True)
    asha = people["colleague"]
    asha.is_active = False
    asha.save(update_fields=["is_active"])
    layers = ("survey", "import", "reported", "known")
    short = network(world.district.pk, layers=layers)
    monkeypatch.setattr(queries, "IN_LIST_MAX", 0)
    assert network(world.district.pk, layers=layers) == short
    assert _p(people["researcher"]) in short.nodes  # at a tie's end
    assert f"c{liu.pk}" in short.nodes and len(short.nodes) == 8
