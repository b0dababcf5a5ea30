"""Who reaches an inquiry: owner and team edit; a coach reads only when it is shared with
her; a colleague outside the team, an outsider and other districts get a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse

from uptake.accounts.models import Grant
from uptake.inquiry.access import access_inquiry, access_measure, inquiries_visible_to
from uptake.inquiry.actions import do_create_team, do_share_inquiry, do_update_inquiry


@pytest.fixture
def team_inquiry(world: Any, inquiry: Any) -> Any:
    team = do_create_team(world.people["teacher"], name="Grade 3 PLC", kind="plc",
                          school=world.cedar, members=[world.people["colleague"]])
    return do_update_inquiry(world.people["teacher"], inquiry, team=team)


def _status(client: Any, url: str) -> int:
    return int(client.get(url).status_code)


@pytest.mark.parametrize(("persona", "read", "edit"), [
    ("teacher", 200, 200), ("colleague", 404, 404), ("outsider", 404, 404),
    ("coach", 404, 404), ("leader", 404, 404), ("other_coordinator", 404, 404),
    ("coordinator", 404, 404),
])
def test_it_hides_a_private_inquiry_from_everyone_but_its_owner(
        world: Any, login: Any, inquiry: Any, measure: Any, persona: str, read: int,
        edit: int) -> None:
    client = login(world.people[persona])
    assert _status(client, reverse("inquiry:detail", args=[inquiry.pk])) == read
    assert _status(client, reverse("inquiry:study", args=[measure.pk])) == read
    assert _status(client, reverse("inquiry:edit", args=[inquiry.pk])) == edit


def test_it_lets_a_team_colleague_edit_but_not_share(world: Any, login: Any,
                                                     team_inquiry: Any) -> None:
    client = login(world.people["colleague"])
    assert _status(client, reverse("inquiry:detail", args=[team_inquiry.pk])) == 200
    assert _status(client, reverse("inquiry:edit", args=[team_inquiry.pk])) == 200
    r = client.post(reverse("inquiry:share", args=[team_inquiry.pk]),
                    {"person": world.people["coach"].pk, "share": "1"})
    assert r.status_code == 404
    assert not Grant.objects.exists()


def test_it_lets_a_coach_read_only_while_the_inquiry_is_shared_with_her(
        world: Any, login: Any, inquiry: Any, measure: Any) -> None:
    coach = world.people["coach"]
    owner = login(world.people["teacher"])
    owner.post(reverse("inquiry:share", args=[inquiry.pk]), {"person": coach.pk, "share": "1"})
    client = login(coach)
    assert _status(client, reverse("inquiry:detail", args=[inquiry.pk])) == 200
    assert _status(client, reverse("inquiry:study", args=[measure.pk])) == 200
    assert _status(client, reverse("inquiry:cycle", args=[inquiry.cycles.get().pk])) == 200
    # Reading is not editing: the coach has no teacher role and no edit rights.
    assert _status(client, reverse("inquiry:edit", args=[inquiry.pk])) == 404
    login(world.people["teacher"]).post(reverse("inquiry:share", args=[inquiry.pk]),
                                        {"person": coach.pk, "share": "0"})
    client = login(coach)
    assert _status(client, reverse("inquiry:detail", args=[inquiry.pk])) == 404


def test_it_audits_sharing_and_unsharing(world: Any, inquiry: Any) -> None:
    from uptake.audit.models import AuditEvent

    do_share_inquiry(world.people["teacher"], inquiry, world.people["coach"], share=True)
    do_share_inquiry(world.people["teacher"], inquiry, world.people["coach"], share=False)
    kinds = list(AuditEvent.objects.filter(object_type="inquiry.Inquiry")
                 .order_by("pk").values_list("action", flat=True))
    assert kinds == ["inquiry_shared", "inquiry_unshared"]


def test_it_refuses_to_share_across_districts(world: Any, inquiry: Any) -> None:
    from uptake.inquiry.actions import InquiryRuleError

    with pytest.raises(InquiryRuleError):
        do_share_inquiry(world.people["teacher"], inquiry, world.people["other_coordinator"],
                         share=True)


def test_it_gives_the_same_404_for_missing_and_forbidden(world: Any, inquiry: Any,
                                                         measure: Any) -> None:
    for user in (world.people["outsider"], world.people["other_coordinator"]):
        for ident in (inquiry.pk, 999999, "x"):
            with pytest.raises(Http404, match="No such inquiry"):
                access_inquiry(user, ident)
        with pytest.raises(Http404, match="No such measure"):
            access_measure(user, measure.pk)


def test_it_lists_mine_my_teams_and_shared_separately(world: Any, login: Any,
                                                      team_inquiry: Any) -> None:
    assert list(inquiries_visible_to(world.people["colleague"])) == [team_inquiry]
    page = login(world.people["colleague"]).get(reverse("inquiry:list")).content.decode()
    team_part = page.split('id="team-h"')[1].split('id="shared-h"')[0]
    assert team_inquiry.title in team_part


def test_it_keeps_a_team_colleague_out_of_data_entry_for_a_class_she_does_not_teach(
        world: Any, login: Any, team_inquiry: Any, measure: Any) -> None:
    client = login(world.people["colleague"])
    assert _status(client, reverse("inquiry:enter", args=[measure.pk, world.section.pk])) \
        == 404
    assert _status(client, reverse("inquiry:measure", args=[measure.pk])) == 200
