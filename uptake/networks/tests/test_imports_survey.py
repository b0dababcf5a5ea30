"""Bringing a network survey into the network: nominations reversed, frequency as weight,
who was asked and who answered, anonymous surveys refused, bringing in again replaces."""

from __future__ import annotations

from typing import Any

import pytest

from uptake.audit.models import AuditEvent
from uptake.networks.actions.imports import do_bring_in_survey, do_delete_import
from uptake.networks.models import NetworkImport, Tie
from uptake.networks.tests.examples_imports import OBSERVED, network_survey
from uptake.rules import Invalid, NotAllowed

pytestmark = pytest.mark.django_db


def _bring_in(w: Any, survey: Any, relation: str = "advice") -> NetworkImport:
    return do_bring_in_survey(w.people["coordinator"], survey, survey.questions.get(),
                              relation, OBSERVED)


def _ties(made: NetworkImport) -> set[tuple[str, str, int, str]]:
    ties = made.tie_set.select_related("source_person", "target_person")
    return {(str(t.source_person and t.source_person.first_name),
             str(t.target_person and t.target_person.first_name), t.weight, t.frequency)
            for t in ties}


def test_it_stores_each_nomination_reversed_so_knowledge_flows_to_the_respondent(world):
    # Jamie goes to Asha and to Miguel for advice; Miguel goes to Jamie. Knowledge flows
    # from the person named to the person who named her.
    made = _bring_in(world, network_survey(world))
    pairs = {(s, t) for s, t, _w, _f in _ties(made)}
    assert pairs == {("Asha", "Jamie"), ("Miguel", "Jamie"), ("Jamie", "Miguel")}
    assert made.nominations_reversed is True
    assert set(made.tie_set.values_list("origin", flat=True)) == {Tie.Origin.SURVEY}
    assert set(made.tie_set.values_list("relation", flat=True)) == {"advice"}
    assert set(made.tie_set.values_list("observed_on", flat=True)) == {OBSERVED}


def test_it_weighs_a_tie_by_the_rank_of_the_frequency_chosen(world):
    # Default frequencies, least often first: Yearly 1, Monthly 2, Weekly 3, Daily 4.
    made = _bring_in(world, network_survey(world))
    assert _ties(made) == {("Asha", "Jamie", 3, "Weekly"), ("Miguel", "Jamie", 4, "Daily"),
                           ("Jamie", "Miguel", 1, "Yearly")}


def test_it_uses_the_question_own_frequencies_when_it_has_them(world):
    survey = network_survey(world, labels=["Rarely", "Sometimes", "Often"])
    assert _ties(_bring_in(world, survey)) == {
        ("Asha", "Jamie", 2, "Sometimes"), ("Miguel", "Jamie", 3, "Often"),
        ("Jamie", "Miguel", 1, "Rarely")}


def test_it_records_who_did_not_answer_as_invited_not_responded(world):
    p = world.people
    made = _bring_in(world, network_survey(world))
    assert sorted(made.invited) == sorted([p["teacher"].pk, p["colleague"].pk,
                                           p["outsider"].pk])
    assert sorted(made.responded) == sorted([p["teacher"].pk, p["outsider"].pk])
    assert p["colleague"].pk not in made.responded
    assert (made.rows, made.ties) == (3, 3)


def test_it_refuses_an_anonymous_survey_because_a_network_needs_names(world):
    survey = network_survey(world, anonymous=True, answer=False)
    with pytest.raises(Invalid, match=r"anonymous.*network needs names"):
        _bring_in(world, survey)
    assert not NetworkImport.objects.exists()


def test_bringing_the_same_question_in_again_replaces_the_earlier_ties(world):
    survey = network_survey(world)
    first = _bring_in(world, survey)
    second = _bring_in(world, survey, relation="information")
    assert not NetworkImport.objects.filter(pk=first.pk).exists()
    assert NetworkImport.objects.count() == 1
    assert Tie.objects.count() == 3
    assert set(Tie.objects.values_list("relation", flat=True)) == {"information"}
    event = AuditEvent.objects.filter(action="network_survey_imported").latest("pk")
    assert event.details["replaced"] == [first.pk]
    assert second.tie_set.count() == 3


def test_an_open_survey_may_be_brought_in_and_again_once_more_have_answered(world):
    from uptake.surveys.actions import do_respond

    survey = network_survey(world)
    assert survey.status == "open"
    _bring_in(world, survey)
    question = survey.questions.get()
    do_respond(survey, world.people["colleague"], {question.field_name: {
        str(world.people["teacher"].pk): "Monthly"}})
    again = _bring_in(world, survey)
    assert ("Jamie", "Asha", 2, "Monthly") in _ties(again)
    assert len(again.responded) == 3


def test_a_closed_survey_is_brought_in_too(world):
    survey = network_survey(world, close=True)
    assert survey.status == "closed"
    assert _bring_in(world, survey).ties == 3


def test_only_a_coordinator_brings_a_survey_in(world):
    survey = network_survey(world)
    for persona in ("researcher", "leader", "teacher", "coach"):
        with pytest.raises(NotAllowed):
            do_bring_in_survey(world.people[persona], survey, survey.questions.get(),
                               "advice", OBSERVED)
    assert not Tie.objects.exists()


def test_an_unknown_relation_is_refused(world):
    survey = network_survey(world)
    with pytest.raises(Invalid, match="relations"):
        _bring_in(world, survey, relation="gossip")
    assert not Tie.objects.exists()


def test_a_relation_the_district_added_is_accepted(world):
    from uptake.networks.models import Relation

    Relation.objects.create(district=world.district, key="assessment",
                            label="Assessment advice")
    made = _bring_in(world, network_survey(world), relation="assessment")
    assert made.relation == "assessment"


def test_deleting_a_survey_import_takes_its_ties_and_is_audited(world):
    made = _bring_in(world, network_survey(world))
    do_delete_import(world.people["coordinator"], made)
    assert not Tie.objects.exists()
    assert AuditEvent.objects.filter(action="network_import_deleted").count() == 1
    assert AuditEvent.objects.filter(action="network_survey_imported").count() == 1
