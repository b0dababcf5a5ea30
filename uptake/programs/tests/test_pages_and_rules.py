"""Programs as people use them: who sees which program, what a coordinator manages, what a
teacher may link, and what the inquiry page shows."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.programs import actions, queries
from uptake.programs.models import Attendance, Participant, ProgramLink
from uptake.programs.tests import fixtures
from uptake.rules import Conflict, NotAllowed, RuleError

pytestmark = pytest.mark.django_db


def test_each_role_sees_the_programs_of_her_school_and_the_district(world: Any,
                                                                    login: Any) -> None:
    cedar = fixtures.program(world)
    everywhere = fixtures.district_wide(world)
    birch = fixtures.program(world, name="Birch science lab", schools=[world.birch], enrol=False)
    seen = {persona: set(queries.visible_programs(world.people[persona]))
            for persona in world.people}
    assert seen["coordinator"] == seen["researcher"] == {cedar, everywhere, birch}
    assert seen["leader"] == seen["teacher"] == seen["coach"] == {cedar, everywhere}
    assert seen["outsider"] == {everywhere, birch}
    assert seen["assessor"] == set() and seen["other_coordinator"] == set()
    page = login(world.people["teacher"]).get(reverse("programs:list")).content.decode()
    assert "Math talk at Cedar" in page and "Birch science lab" not in page
    assert "You take part" in page and "I took part" in page
    actions.do_enrol(birch, actor=world.people["coordinator"], person=world.people["teacher"])
    assert birch in set(queries.visible_programs(world.people["teacher"]))  # she takes part


def test_a_coordinator_of_another_district_sees_nothing(world: Any, login: Any,
                                                         api: Any) -> None:
    program = fixtures.program(world)
    client = login(world.people["other_coordinator"])
    assert client.get(reverse("programs:detail", args=[program.pk])).status_code == 404
    assert "Math talk" not in client.get(reverse("programs:list")).content.decode()
    answer = api(world.people["other_coordinator"]).get("/programs")
    assert answer.status_code == 200 and answer.json()["results"] == []
    with pytest.raises(RuleError):
        actions.do_add_session(program, actor=world.people["other_coordinator"],
                               held_on=date(2026, 9, 1))


def test_counts_and_links_for_the_district_view(world: Any) -> None:
    program = fixtures.program(world)
    link = fixtures.link(world)
    actions.do_enrol(program, actor=world.people["coordinator"],
                     person=world.people["colleague"])
    actions.do_set_participant_status(
        program.participants.get(person=world.people["colleague"]),
        actor=world.people["coordinator"], status="withdrawn")
    actions.do_set_participant_status(
        program.participants.get(person=world.people["teacher"]),
        actor=world.people["coordinator"], status="completed", on=date(2027, 5, 31))
    assert queries.participant_counts(program) == {
        "enrolled": 2, "attended": 1, "completed": 1, "withdrawn": 1}
    assert queries.linked_inquiry_ids(program) == {link.inquiry_id}
    assert queries.linked_source_ids(program) == set()
    assert queries.programs_of_inquiry(link.inquiry.pk) == [program]  # type: ignore[union-attr]
    kinds = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"program_created", "program_session_changed", "program_participation_changed",
            "program_attendance_recorded", "program_linked"} <= kinds


def test_a_teacher_links_only_her_own_records(world: Any) -> None:
    program = fixtures.program(world)
    theirs = fixtures.inquiry(world, owner="colleague", title="Asha's inquiry")
    with pytest.raises(NotAllowed, match="only your own inquiries"):
        actions.do_link(world.people["teacher"], program, inquiry=theirs)
    mine = fixtures.inquiry(world)
    actions.do_link(world.people["teacher"], program, inquiry=mine)
    with pytest.raises(Conflict, match="already linked"):
        actions.do_link(world.people["teacher"], program, inquiry=mine)
    birch = fixtures.program(world, name="Birch science lab", schools=[world.birch], enrol=False)
    with pytest.raises(NotAllowed, match="offered to your school"):
        actions.do_link(world.people["teacher"], birch, inquiry=mine)
    assert ProgramLink.objects.count() == 1


def test_a_teacher_cannot_link_anothers_inquiry_through_the_page_or_api(
        world: Any, login: Any, api: Any) -> None:
    program = fixtures.program(world)
    theirs = fixtures.inquiry(world, owner="colleague", title="Asha's inquiry")
    login(world.people["teacher"]).post(reverse("programs:link"), {
        "program": program.pk, "kind": "inquiry", "record": theirs.pk})
    answer = api(world.people["teacher"]).post("/programs/links/mine", {
        "program_id": program.pk, "kind": "inquiry", "record_id": theirs.pk})
    assert answer.status_code == 403
    assert not ProgramLink.objects.exists()


def test_a_credential_is_linked_only_by_someone_who_worked_toward_it(world: Any) -> None:
    from uptake.credentials.tests import fixtures as credential_fixtures

    submission = credential_fixtures.learning_draft(world)
    credential = submission.tier.version.credential
    program = fixtures.program(world)
    with pytest.raises(NotAllowed, match="worked toward"):
        actions.do_link(world.people["colleague"], program, credential=credential)
    link = actions.do_link(world.people["teacher"], program, credential=credential)
    assert queries.linked_credential_ids(program) == {credential.pk}
    assert link.target_kind == "credential"


def test_the_inquiry_page_shows_the_programs_it_came_out_of(world: Any, login: Any) -> None:
    link = fixtures.link(world)
    page = login(world.people["teacher"]).get(
        reverse("inquiry:detail", args=[link.inquiry_id])).content.decode()
    assert "Programs this came out of" in page and "Math talk at Cedar" in page
    assert reverse("programs:unlink", args=[link.pk]) in page
    response = login(world.people["teacher"]).post(
        reverse("programs:unlink", args=[link.pk]),
        {"next": reverse("inquiry:detail", args=[link.inquiry_id])})
    assert response["Location"] == reverse("inquiry:detail", args=[link.inquiry_id])
    assert not ProgramLink.objects.exists()


def test_the_coordinator_builds_a_program_on_its_pages(world: Any, login: Any) -> None:
    client = login(world.people["coordinator"])
    response = client.post(reverse("programs:new"), {
        "name": "Writers' workshop", "kind": "course", "starts_on": "2026-09-01",
        "funding_source": "title_ii_a", "schools": [world.birch.pk]})
    program = world.district.programs.get(name="Writers' workshop")
    assert response["Location"] == reverse("programs:detail", args=[program.pk])
    assert list(program.schools.all()) == [world.birch]
    client.post(reverse("programs:session_new", args=[program.pk]),
                {"held_on": "2026-09-20", "title": "Mini-lessons", "hours": "2"})
    client.post(reverse("programs:participants", args=[program.pk]),
                {"enrol": "1", "person": world.people["outsider"].pk})
    session = program.sessions.get()
    client.post(reverse("programs:attendance", args=[program.pk]),
                {"present": [f"{session.pk}:{world.people['outsider'].pk}"]})
    assert Attendance.objects.get(session=session).present
    page = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "Mini-lessons" in page and "Miguel Garcia" in page
    bad = client.post(reverse("programs:edit", args=[program.pk]), {
        "name": "Writers' workshop", "kind": "course", "starts_on": "2026-09-01",
        "ends_on": "2026-08-01", "funding_source": "title_ii_a"})
    assert "It cannot end before it starts." in bad.content.decode()
    client.post(reverse("programs:archive", args=[program.pk]))
    program.refresh_from_db()
    assert program.archived_at is not None
    assert program not in set(queries.visible_programs(world.people["outsider"]))


def test_schools_and_standards_of_another_district_are_refused(world: Any) -> None:
    with pytest.raises(RuleError, match="schools of your own district"):
        actions.do_create_program(actor=world.people["coordinator"], name="X",
                                  kind="course", starts_on=date(2026, 9, 1),
                                  schools=[world.elm])


def test_the_participation_export_neutralises_formulas(world: Any, login: Any) -> None:
    program = fixtures.program(world)
    actions.do_add_session(program, actor=world.people["coordinator"],
                           held_on=date(2026, 11, 2), title="=HYPERLINK(\"http://x\")")
    person = world.people["colleague"]
    person.first_name = "@SUM(A1)"
    person.save()
    actions.do_enrol(program, actor=world.people["coordinator"], person=person)
    body = login(world.people["coordinator"]).get(
        reverse("programs:export", args=[program.pk])).content.decode()
    assert "'@SUM(A1) Patel" in body
    assert "2026-11-02 =HYPERLINK" in body  # the date first: nothing to neutralise
    assert ",=" not in body and ",@" not in body and ",+" not in body


def test_api_writes_and_reads(world: Any, api: Any) -> None:
    program = fixtures.program(world)
    client = api(world.people["coordinator"])
    got = client.get(f"/programs/{program.pk}").json()
    assert got["counts"] == {"enrolled": 1, "attended": 1, "completed": 0, "withdrawn": 0}
    assert got["school_ids"] == [world.cedar.pk]
    rows = client.get(f"/programs/{program.pk}/participants").json()["results"]
    assert [r["email"] for r in rows] == ["jamie@maple.test"]
    teacher = api(world.people["teacher"])
    assert teacher.get(f"/programs/{program.pk}/participants").status_code == 404
    assert Participant.objects.count() == 1


def test_the_api_kinds_are_the_models(world: Any) -> None:
    from typing import get_args

    from uptake.programs import api as programs_api
    from uptake.programs.models import FundingSource, Program

    assert set(get_args(programs_api.Kind)) == set(Program.Kind.values)
    assert set(get_args(programs_api.Funding)) == set(FundingSource.values)
