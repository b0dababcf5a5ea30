"""The demo district's network tells issue 16's story: an informal broker (a teacher with
no formal role who tops brokerage), a gatekeeper school, contacts outside the district,
a known layer that comes from the rest of the demo, and changes both soft and real, with
every answer to "would this have happened without it?"; loading again adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from uptake.accounts.models import District
from uptake.analysis import networks as sna
from uptake.demo.actions import DEMO_SLUG
from uptake.demo.networks import (
    BROKER,
    COMMUNITY,
    GATEKEEPER_SCHOOL,
    SILENT,
    SURVEY_TITLE,
)
from uptake.networks import queries
from uptake.networks.models import (
    Change,
    CommunityImport,
    Contact,
    NetworkImport,
    Relation,
    Tie,
)
from uptake.surveys.models import Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> int:
    call_command("demo", stdout=StringIO())
    return District.objects.get(slug=DEMO_SLUG).pk


def _counts() -> tuple[int, ...]:
    return (Tie.objects.count(), NetworkImport.objects.count(), Change.objects.count(),
            Contact.objects.count(), Relation.objects.count(),
            CommunityImport.objects.count())


def test_the_network_has_an_informal_broker_a_gatekeeper_school_and_outside_ties(
        demo: int) -> None:
    _the_informal_broker_has_no_formal_role_and_tops_brokerage(demo)
    _knowledge_enters_the_gatekeeper_school_through_one_person(demo)
    _survey_non_respondents_are_unobserved_and_the_rate_is_reported(demo)
    _nominations_were_stored_reversed()
    _relations_built_in_and_the_districts_own(demo)
    _people_outside_the_district_are_external_nodes_with_reported_ties(demo)
    _the_known_layer_comes_from_the_rest_of_the_demo(demo)
    _the_demo_teacher_imported_a_community_and_coded_part_of_its_sample()


def test_loading_the_demo_again_adds_no_tie_contact_or_change(demo: int) -> None:
    before = _counts()
    call_command("demo", stdout=StringIO())
    assert _counts() == before


def _measured(district_id: int) -> tuple[queries.Network, sna.NetworkMeasures]:
    """The whole network as the coordinator's map reads it (survey, import and reported
    layers), grouped by school, people outside the district in a group of their own."""
    network = queries.network(district_id)
    order = sorted(network.nodes)
    groups = {k: "outside" if n.external else n.school for k, n in network.nodes.items()}
    arcs = [sna.Arc(t.source, t.target, float(t.weight), t.relation) for t in network.ties]
    return network, sna.measure(order, arcs, groups=groups)


def _total(m: sna.NodeMeasures) -> int:
    return m.brokerage.total if m.brokerage is not None else 0


def _the_informal_broker_has_no_formal_role_and_tops_brokerage(demo: int) -> None:
    network, measures = _measured(demo)
    ranked = sorted(measures.nodes, key=lambda k: -_total(measures.nodes[k]))
    top = network.nodes[ranked[0]]
    assert top.label.endswith(BROKER) and not top.external and not top.formal_role
    # She is first by indirect brokerage too, and brokers between schools and beyond.
    assert max(measures.nodes, key=lambda k: measures.nodes[k].betweenness) == ranked[0]
    roles = measures.nodes[ranked[0]].brokerage
    assert roles is not None
    assert all(roles.raw[r] > 0 for r in ("gatekeeper", "representative", "liaison"))
    # The formal role is the one most people go to (direct brokerage), and brokers less.
    formal = [k for k, n in network.nodes.items() if n.formal_role]
    coach = max(formal, key=lambda k: measures.nodes[k].out_degree)
    assert measures.nodes[coach].out_degree >= max(
        m.out_degree for k, m in measures.nodes.items() if k != ranked[0])
    assert _total(measures.nodes[coach]) < _total(measures.nodes[ranked[0]])


def _knowledge_enters_the_gatekeeper_school_through_one_person(demo: int) -> None:
    network = queries.network(demo)
    nodes = network.nodes
    entries: dict[str, set[str]] = {}
    for tie in network.ties:
        source, target = nodes[tie.source], nodes[tie.target]
        if not source.external and not target.external and source.school != target.school:
            entries.setdefault(target.school, set()).add(target.label)
    assert {label.split()[-1] for label in entries[GATEKEEPER_SCHOOL]} == {BROKER}
    other = next(school for school in entries if school != GATEKEEPER_SCHOOL)
    assert len(entries[other]) >= 2  # the other school hears from it through several


def _survey_non_respondents_are_unobserved_and_the_rate_is_reported(demo: int) -> None:
    survey = Survey.objects.get(title=SURVEY_TITLE)
    assert survey.purpose == Survey.Purpose.NETWORK and not survey.anonymous
    assert all(q.kind == "roster" and q.frequency_labels for q in survey.questions.all())
    network = queries.network(demo)
    assert (network.invited, network.responded) == (12, 10)
    unobserved = {n.label.split()[-1] for n in network.nodes.values() if n.unobserved}
    assert unobserved == set(SILENT)
    # Named by others, they name nobody: no tie flows into them from the survey.
    keys = {k for k, n in network.nodes.items() if n.unobserved}
    assert not [t for t in network.ties if t.target in keys and t.layer == "survey"]
    assert any(t.source in keys for t in network.ties)


def _nominations_were_stored_reversed() -> None:
    # Sofia Hughes answered that she goes to Ana Kaur for advice: Kaur -> Hughes.
    tie = Tie.objects.get(origin="survey", relation="advice",
                          source_person__last_name="Kaur", target_person__last_name=BROKER)
    assert tie.frequency == "Weekly" and tie.weight == 3
    assert tie.network_import is not None and tie.network_import.nominations_reversed


def _relations_built_in_and_the_districts_own(demo: int) -> None:
    relations = {r.key: r for r in queries.relations_of(demo)}
    own = Relation.objects.get(district_id=demo)
    assert own.question == "Whom do you go to about assessment?"
    assert {"advice", "information", own.key} <= set(relations)
    used = set(Tie.objects.filter(district_id=demo).values_list("relation", flat=True))
    assert {"advice", "information", own.key} <= used


def _people_outside_the_district_are_external_nodes_with_reported_ties(demo: int) -> None:
    network = queries.network(demo)
    external = {n.label for n in network.nodes.values() if n.external}
    assert any("r/Teachers" in label for label in external)
    assert any("@mathcoachmaya" in label for label in external)
    assert any("Jordan Ellis" in label for label in external)
    assert {t.layer for t in network.ties
            if network.nodes[t.source].external or network.nodes[t.target].external} == {
        "reported"}
    kinds = set(Contact.objects.filter(district_id=demo).values_list("kind", flat=True))
    assert {"person", "community"} <= kinds


def _the_known_layer_comes_from_the_rest_of_the_demo(demo: int) -> None:
    relations = {t.relation for t in queries.known_ties(demo)}
    assert {"coaching", "team", "plan_review", "observation", "practice_tried"} <= relations
    assert all(t.layer == "known" for t in queries.known_ties(demo))


def _the_demo_teacher_imported_a_community_and_coded_part_of_its_sample() -> None:
    imported = CommunityImport.objects.get(name=COMMUNITY)
    assert imported.owner.email == "inguyen14@maple-valley.example.org"
    assert imported.status == CommunityImport.Status.DONE and imported.result
    assert imported.contributions > 100 and imported.dropped > 0  # "[deleted]" dropped
    items = imported.coding_items.all()
    coded = [i for i in items if i.code]
    assert 0 < len(coded) < len(items)
    # Usernames stay pseudonymous: the export's "user_007" never reaches the sample.
    assert not [i for i in items if "user_" in i.text or "user_" in i.pseudonym]


def test_changes_soft_and_real_with_chains_and_every_counterfactual(demo: int) -> None:
    changes = list(Change.objects.filter(district_id=demo).prefetch_related("steps"))
    assert {c.depth for c in changes} == {"soft", "real"}
    by_school = {(c.school.name if c.school else "", c.depth) for c in changes}
    assert len({school for school, _ in by_school}) >= 2
    assert all((school, depth) in by_school for school in {s for s, _ in by_school}
               for depth in ("soft", "real"))
    assert {c.counterfactual for c in changes} == set(Change.Counterfactual.values)
    assert all(any(getattr(c, f) is not None for c in changes)
               for f in ("program", "learning_source", "practice", "contact"))
    steps = [s for c in changes for s in c.steps.all()]
    assert any(s.contact_id for s in steps) and any(s.person_id for s in steps)
    assert all(c.steps.all() for c in changes)
