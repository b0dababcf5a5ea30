"""Teams are run by their members: rename, add teachers of the district, remove members
(who lose the team's inquiries at once), leave (taking one's own inquiries along)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.inquiry.actions import (
    InquiryRuleError,
    do_add_team_member,
    do_create_inquiry,
    do_create_team,
    do_update_inquiry,
)
from uptake.inquiry.models import Inquiry, Team


@pytest.fixture
def team(world: Any) -> Any:
    return do_create_team(world.people["teacher"], name="Grade 3 PLC", kind="plc",
                          school=world.cedar, members=[world.people["colleague"]])


@pytest.fixture
def jamies(world: Any, team: Any, inquiry: Any) -> Any:
    """Jamie's inquiry, shared with the team."""
    return do_update_inquiry(world.people["teacher"], inquiry, team=team)


@pytest.fixture
def ashas(world: Any, team: Any) -> Any:
    """Asha's own inquiry, shared with the team."""
    return do_create_inquiry(world.people["colleague"], team=team, title="Fluency routines")


def _members(team: Any) -> set[str]:
    return set(Team.objects.get(pk=team.pk).members.values_list("first_name", flat=True))


@pytest.mark.parametrize(("persona", "status"), [
    ("teacher", 200), ("colleague", 200),  # the creator and a member, alike
    ("outsider", 404), ("coach", 404), ("leader", 404), ("coordinator", 404),
    ("other_coordinator", 404),
])
def test_it_shows_a_team_page_to_its_members_only(world: Any, login: Any, team: Any,
                                                  persona: str, status: int) -> None:
    client = login(world.people[persona])
    assert client.get(reverse("inquiry:team", args=[team.pk])).status_code == status
    assert client.get(reverse("inquiry:team_leave", args=[team.pk])).status_code == status
    r = client.post(reverse("inquiry:team_rename", args=[team.pk]),
                    {"name": "Taken over", "kind": "plc"})
    assert (r.status_code == 404) == (status == 404)
    assert (Team.objects.get(pk=team.pk).name == "Taken over") == (status == 200)


def test_it_links_each_team_from_the_teams_page(world: Any, login: Any, team: Any) -> None:
    page = login(world.people["colleague"]).get(reverse("inquiry:teams")).content.decode()
    assert reverse("inquiry:team", args=[team.pk]) in page


def test_it_lets_any_member_rename_the_team_and_audits_it(world: Any, login: Any,
                                                          team: Any) -> None:
    client = login(world.people["colleague"])
    r = client.post(reverse("inquiry:team_rename", args=[team.pk]),
                    {"name": "Grade 3 math PLC", "kind": "grade_level"})
    assert r.status_code == 302
    team.refresh_from_db()
    assert (team.name, team.kind) == ("Grade 3 math PLC", "grade_level")
    event = AuditEvent.objects.get(action="inquiry_changed")
    assert event.actor == world.people["colleague"] and "renamed from 'Grade 3 PLC'" in \
        event.summary
    r = client.post(reverse("inquiry:team_rename", args=[team.pk]), {"name": "", "kind": "plc"})
    assert r.status_code == 400 and "This field is required" in r.content.decode()


def test_it_adds_a_teacher_of_the_school_or_of_another_school_by_email(
        world: Any, login: Any, inquiry: Any) -> None:
    team = do_create_team(world.people["teacher"], name="Vertical team", kind="plc",
                          school=world.cedar, members=[])
    do_update_inquiry(world.people["teacher"], inquiry, team=team)
    client = login(world.people["teacher"])
    url = reverse("inquiry:team_add_member", args=[team.pk])
    page = client.get(reverse("inquiry:team", args=[team.pk])).content.decode()
    assert "Asha Patel" in page.split('id="add-h"', 1)[1]  # a Cedar teacher is offered
    assert "Miguel Garcia" not in page  # Birch teachers are not listed ...
    assert client.post(url, {"person": world.people["colleague"].pk}).status_code == 302
    r = client.post(url, {"email": "MIGUEL@maple.test"})  # ... but can be added by e-mail
    assert r.status_code == 302
    assert _members(team) == {"Jamie", "Asha", "Miguel"}
    # Members edit the team's inquiries from then on.
    miguel = login(world.people["outsider"])
    assert miguel.get(reverse("inquiry:edit", args=[inquiry.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="inquiry_changed", object_id=str(team.pk)).count() \
        == 2


@pytest.mark.parametrize(("form", "message"), [
    ({"email": "jamie@maple.test"}, "jamie@maple.test is not the e-mail of a teacher you"),
    ({}, "Choose a teacher at your school, or give an e-mail address (one of the two)."),
    ({"email": "nobody"}, "Enter a valid email address."),
])
def test_it_refuses_a_new_member_who_cannot_join_with_a_clear_message(
        world: Any, login: Any, team: Any, form: dict[str, str], message: str) -> None:
    r = login(world.people["teacher"]).post(
        reverse("inquiry:team_add_member", args=[team.pk]), form)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert _members(team) == {"Jamie", "Asha"}


def test_it_refuses_changes_from_someone_not_on_the_team(world: Any, team: Any) -> None:
    with pytest.raises(InquiryRuleError, match="Only the team's members"):
        do_add_team_member(world.people["outsider"], team, world.people["outsider"])


def test_it_takes_the_teams_inquiries_away_from_a_removed_member(
        world: Any, login: Any, team: Any, jamies: Any, measure: Any) -> None:
    asha = login(world.people["colleague"])
    assert asha.get(reverse("inquiry:detail", args=[jamies.pk])).status_code == 200
    login(world.people["teacher"]).post(
        reverse("inquiry:team_remove_member", args=[team.pk, world.people["colleague"].pk]))
    assert _members(team) == {"Jamie"}
    asha = login(world.people["colleague"])
    for url in (reverse("inquiry:detail", args=[jamies.pk]),
                reverse("inquiry:study", args=[measure.pk]),
                reverse("inquiry:team", args=[team.pk])):
        assert asha.get(url).status_code == 404
    event = AuditEvent.objects.get(action="inquiry_changed")
    assert event.summary == "Team 'Grade 3 PLC': Asha Patel removed"


def test_it_does_not_let_others_remove_a_member_who_owns_a_team_inquiry(
        world: Any, login: Any, team: Any, ashas: Any) -> None:
    client = login(world.people["teacher"])
    page = client.get(reverse("inquiry:team", args=[team.pk])).content.decode()
    assert "Remove Asha Patel" not in page and "only she can take herself off" in page
    r = client.post(reverse("inquiry:team_remove_member",
                            args=[team.pk, world.people["colleague"].pk]), follow=True)
    assert "Asha Patel owns “Fluency routines”, shared with this team." in r.content.decode()
    assert _members(team) == {"Jamie", "Asha"}
    assert Inquiry.objects.get(pk=ashas.pk).team == team


def test_it_says_what_leaving_does_and_takes_her_own_inquiries_off_the_team(
        world: Any, login: Any, team: Any, jamies: Any, ashas: Any) -> None:
    client = login(world.people["colleague"])
    url = reverse("inquiry:team_leave", args=[team.pk])
    page = client.get(url).content.decode()
    assert "Your own inquiry “Fluency routines” leaves the team with you" in page
    assert "no longer be able to open the team's 1 other inquiry" in page
    assert client.post(url)["Location"] == reverse("inquiry:teams")
    assert _members(team) == {"Jamie"}
    assert Inquiry.objects.get(pk=ashas.pk).team is None
    assert client.get(reverse("inquiry:detail", args=[jamies.pk])).status_code == 404
    assert client.get(reverse("inquiry:detail", args=[ashas.pk])).status_code == 200
    jamie = login(world.people["teacher"])
    assert jamie.get(reverse("inquiry:detail", args=[ashas.pk])).status_code == 404


def test_it_ends_the_team_when_its_last_member_leaves(world: Any, login: Any, team: Any,
                                                      jamies: Any) -> None:
    login(world.people["colleague"]).post(reverse("inquiry:team_leave", args=[team.pk]))
    client = login(world.people["teacher"])
    page = client.get(reverse("inquiry:team_leave", args=[team.pk])).content.decode()
    assert "You are the last member, so the team itself is deleted." in page
    client.post(reverse("inquiry:team_leave", args=[team.pk]))
    assert not Team.objects.filter(pk=team.pk).exists()
    jamies.refresh_from_db()
    assert jamies.team is None
    assert client.get(reverse("inquiry:detail", args=[jamies.pk])).status_code == 200


def test_it_asks_a_member_to_leave_rather_than_remove_herself(world: Any, login: Any,
                                                              team: Any) -> None:
    r = login(world.people["colleague"]).post(
        reverse("inquiry:team_remove_member", args=[team.pk, world.people["colleague"].pk]),
        follow=True)
    assert "use “Leave this team”" in r.content.decode()
    assert _members(team) == {"Jamie", "Asha"}
