"""Recording a change in the knowledge-mobilisation log: who may, the source and the chain
checked against the district and the recorder, the counterfactual asked every time, and
nothing half-saved when something is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from uptake.audit.models import AuditEvent
from uptake.library.models import Practice
from uptake.networks.actions.changes import (
    ChangeData,
    StepData,
    do_delete_change,
    do_edit_change,
    do_record_change,
)
from uptake.networks.models import Change, ChangeStep, Contact
from uptake.networks.tests import examples_changes as ex
from uptake.programs.tests import fixtures as programs
from uptake.rules import Invalid, NotAllowed

pytestmark = pytest.mark.django_db


def _data(w: Any, **changes: Any) -> ChangeData:
    base = ChangeData(title="Exit tickets in every grade 3 class", kind="lesson_taught",
                      depth="real", happened_on=date(2026, 10, 1), counterfactual="no",
                      school_id=w.cedar.pk, source="note", source_note="A podcast")
    return replace(base, **changes)


def _practice(w: Any, district: Any = None, *, published: bool = True) -> Practice:
    return Practice.objects.create(
        district=district or w.district, author=w.people["colleague"], title="Talk moves",
        status=Practice.Status.PUBLISHED if published else Practice.Status.DRAFT)


def _refused(call: Any) -> Invalid | NotAllowed:
    before = (Change.objects.count(), ChangeStep.objects.count())
    with pytest.raises((Invalid, NotAllowed)) as refusal:
        call()
    assert (Change.objects.count(), ChangeStep.objects.count()) == before
    return refusal.value  # type: ignore[return-value]


def test_a_teacher_records_a_change_with_its_chain_in_order(world):
    made = ex.change(world)
    steps = list(made.steps.order_by("position"))
    assert [(s.position, s.did) for s in steps] == [
        (1, "presented it at the conference"), (2, "heard it at the conference"),
        (3, "tried it and shared it at the PLC")]
    assert steps[0].contact == ex.contact(world) and steps[2].person == world.people["colleague"]
    # A conference is a course, for the reports.
    assert made.source_kind == "course" and made.learning_source == ex.learning_source(world)
    event = AuditEvent.objects.get(action="change_recorded")
    assert TITLE_WORD in event.summary


TITLE_WORD = "exit tickets"


def test_the_kind_of_source_follows_the_source_unless_chosen(world):
    teacher = world.people["teacher"]
    thread = ex.learning_source(world, kind="network_thread")
    from_thread = do_record_change(teacher, _data(world, source="learning_source",
                                                  source_id=thread.pk))
    from_library = do_record_change(teacher, _data(world, source="practice",
                                                   source_id=_practice(world).pk))
    coaching = programs.program(world)  # a coaching cycle at Cedar
    from_program = do_record_change(teacher, _data(world, source="program",
                                                   source_id=coaching.pk))
    chosen = do_record_change(teacher, _data(world, source="practice",
                                             source_id=_practice(world).pk,
                                             source_kind="colleagues"))
    assert [c.source_kind for c in (from_thread, from_library, from_program, chosen)] == [
        "social_media", "library", "coaching", "colleagues"]


def test_the_counterfactual_is_required_every_time(world):
    refusal = _refused(lambda: do_record_change(world.people["teacher"],
                                                _data(world, counterfactual="")))
    assert refusal.field == "counterfactual"
    assert "Would this have happened without it?" in refusal.message


@pytest.mark.parametrize("source", ["learning_source", "practice", "program", "contact"])
def test_another_districts_source_is_refused(world, source):
    other = world.other_district
    stranger = world.people["other_coordinator"]
    made = {
        "learning_source": lambda: ex.learning_source(world, owner="other_coordinator"),
        "practice": lambda: Practice.objects.create(
            district=other, author=stranger, title="Elsewhere",
            status=Practice.Status.PUBLISHED),
        "program": lambda: programs.actions.do_create_program(
            actor=stranger, name="Oak coaching", kind="coaching", starts_on=date(2026, 9, 1),
            schools=[]),
        "contact": lambda: Contact.objects.create(district=other, name="Oak's coach"),
    }[source]()
    refusal = _refused(lambda: do_record_change(world.people["coordinator"], _data(
        world, source=source, source_id=made.pk)))
    assert refusal.field == "source_id"


def test_someone_elses_learning_source_is_refused(world):
    hers = ex.learning_source(world, owner="colleague")
    refusal = _refused(lambda: do_record_change(world.people["teacher"], _data(
        world, source="learning_source", source_id=hers.pk)))
    assert refusal.message == "Choose one of your own learning sources."


def test_a_draft_practice_and_a_program_she_cannot_see_are_refused(world):
    draft = _practice(world, published=False)
    assert _refused(lambda: do_record_change(world.people["teacher"], _data(
        world, source="practice", source_id=draft.pk))).field == "source_id"
    birch_only = programs.program(world, name="Birch algebra", schools=[world.birch],
                                  enrol=False)
    refusal = _refused(lambda: do_record_change(world.people["teacher"], _data(
        world, source="program", source_id=birch_only.pk)))
    assert refusal.message == "Choose a program of your district that you can see."


def test_the_chain_names_people_and_contacts_of_the_district_only(world):
    stranger = Contact.objects.create(district=world.other_district, name="Oak's coach")
    refusal = _refused(lambda: do_record_change(world.people["teacher"], _data(
        world, steps=(StepData(person_id=world.people["colleague"].pk, did="shared it"),
                      StepData(contact_id=stranger.pk, did="told her"),
                      StepData(person_id=world.people["other_coordinator"].pk,
                               did="sent it"),
                      StepData(person_id=world.people["leader"].pk, did=" "),
                      StepData(did="nobody")))))
    assert refusal.field == "steps"
    assert [(r.row, r.column) for r in refusal.rows] == [
        (2, "contact"), (3, "person"), (4, "did"), (5, "person")]
    assert refusal.message.startswith("Step 2 of the chain: Choose a contact of your "
                                      "district's network.")


@pytest.mark.parametrize("who", ["researcher", "assessor", "deactivated", "nobody"])
def test_the_chain_refuses_anyone_not_a_network_member_with_one_answer(world, who):
    if who == "deactivated":
        world.people["colleague"].is_active = False
        world.people["colleague"].save(update_fields=["is_active"])
    person_id = {"researcher": world.people["researcher"].pk,
                 "assessor": world.people["assessor"].pk,
                 "deactivated": world.people["colleague"].pk, "nobody": 987654}[who]
    refusal = _refused(lambda: do_record_change(world.people["teacher"], _data(
        world, steps=(StepData(person_id=person_id, did="shared it"),))))
    assert refusal.message == "Step 1 of the chain: Choose a person of your district."
    assert [(r.row, r.column) for r in refusal.rows] == [(1, "person")]


def test_a_colleague_as_the_source_is_the_chains_first_step(world):
    refusal = _refused(lambda: do_record_change(world.people["teacher"], _data(
        world, source="colleague",
        steps=(StepData(contact_id=ex.contact(world).pk, did="posted it"),))))
    assert refusal.field == "steps"
    made = do_record_change(world.people["teacher"], _data(
        world, source="colleague",
        steps=(StepData(person_id=world.people["colleague"].pk, did="showed me"),)))
    assert made.source_kind == "colleagues"


def test_a_note_must_say_what_the_source_was_and_dates_and_links_are_checked(world):
    teacher = world.people["teacher"]
    assert _refused(lambda: do_record_change(teacher, _data(
        world, source_note=""))).field == "source_note"
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert _refused(lambda: do_record_change(teacher, _data(
        world, happened_on=tomorrow))).field == "happened_on"
    assert _refused(lambda: do_record_change(teacher, _data(
        world, evidence_link="javascript:alert(1)"))).field == "evidence_link"
    assert _refused(lambda: do_record_change(teacher, _data(
        world, depth="medium"))).field == "depth"


def test_recorders_record_for_their_own_schools_only(world):
    # Jamie teaches at Cedar: not Birch, not the whole district.
    assert isinstance(_refused(lambda: do_record_change(world.people["teacher"], _data(
        world, school_id=world.birch.pk))), NotAllowed)
    assert _refused(lambda: do_record_change(world.people["teacher"], _data(
        world, school_id=None))).field == "school_id"
    assert isinstance(_refused(lambda: do_record_change(world.people["leader"], _data(
        world, school_id=world.birch.pk))), NotAllowed)
    # A coordinator: any school of the district, or across it; never another district's.
    coordinator = world.people["coordinator"]
    assert do_record_change(coordinator, _data(world, school_id=world.birch.pk)).school \
        == world.birch
    assert do_record_change(coordinator, _data(world, school_id=None)).school is None
    assert isinstance(_refused(lambda: do_record_change(coordinator, _data(
        world, school_id=world.elm.pk))), NotAllowed)
    # Researchers and assessors do not record.
    for persona in ("researcher", "assessor"):
        assert isinstance(_refused(lambda p=persona: do_record_change(
            world.people[p], _data(world))), NotAllowed)


def test_the_recorder_or_a_coordinator_edits_and_deletes(world):
    made = ex.change(world)
    for persona in ("colleague", "leader", "researcher"):
        with pytest.raises(NotAllowed):
            do_edit_change(world.people[persona], made, _data(world))
        with pytest.raises(NotAllowed):
            do_delete_change(world.people[persona], made)
    # The coordinator edits Jamie's change: Jamie's own learning source stays allowed.
    edited = do_edit_change(world.people["coordinator"], made, _data(
        world, source="learning_source", source_id=ex.learning_source(world).pk,
        depth="soft", steps=(StepData(person_id=world.people["teacher"].pk, did="tried it"),)))
    assert edited.depth == "soft" and [s.did for s in edited.steps.all()] == ["tried it"]
    assert AuditEvent.objects.filter(action="change_edited").count() == 1
    do_delete_change(world.people["teacher"], edited)
    assert not Change.objects.exists() and not ChangeStep.objects.exists()
    assert AuditEvent.objects.filter(action="change_deleted").count() == 1


def test_an_edit_refused_leaves_the_change_and_its_chain_as_they_were(world):
    made = ex.change(world)
    before = list(made.steps.values_list("position", "person_id", "contact_id", "did"))
    _refused(lambda: do_edit_change(world.people["teacher"], made, _data(
        world, title="Changed", steps=(StepData(person_id=world.people["teacher"].pk,
                                                did=""),))))
    made.refresh_from_db()
    assert made.title == ex.TITLE
    assert list(made.steps.values_list("position", "person_id", "contact_id", "did")) \
        == before
