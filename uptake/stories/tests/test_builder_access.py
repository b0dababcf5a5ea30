"""Who reaches the builder's pages: the inquiry's editors change the story, its readers see
what is published, everyone else gets the same 404 as a story that does not exist, and a
teacher who loses her role loses the pages at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.stories.tests import fixtures
from uptake.stories.tests.examples_builder import consent, photo

pytestmark = pytest.mark.django_db

EDITING = ("stories:edit", "stories:preview", "stories:unpublish", "stories:delete")


def not_listed(client: Any, url: str, title: str) -> bool:
    """The list is not hers (404) or does not show the title."""
    response = client.get(url)
    return response.status_code == 404 or title not in response.content.decode()


def test_a_colleague_and_an_outsider_get_the_missing_story_404(login: Any, world: Any) -> None:
    story = fixtures.story(world)
    for persona in ("colleague", "outsider", "other_coordinator"):
        client = login(world.people[persona])
        for name in ("stories:detail", *EDITING):
            assert client.get(reverse(name, args=[story.pk])).status_code == 404, (persona, name)
        assert client.get(reverse("stories:detail", args=[story.pk + 999])).status_code == 404
        assert not_listed(client, reverse("stories:mine"), story.title)


def test_her_team_colleague_edits_the_story_with_her(login: Any, world: Any) -> None:
    from uptake.inquiry.actions import do_create_team, do_update_inquiry

    story = fixtures.story(world, publish=False)
    team = do_create_team(world.people["teacher"], name="Grade 3 PLC", kind="plc",
                          school=world.cedar, members=[world.people["colleague"]])
    do_update_inquiry(world.people["teacher"], story.inquiry, team=team)
    client = login(world.people["colleague"])
    for name in EDITING:
        assert client.get(reverse(name, args=[story.pk])).status_code == 200, name
    client.post(reverse("stories:edit", args=[story.pk]), {
        "title": "Our talk story", "language": "es", "what_happened": "Hablaron más."})
    story.refresh_from_db()
    assert (story.title, story.language) == ("Our talk story", "es")


def test_a_coach_it_is_shared_with_reads_but_never_edits(login: Any, world: Any) -> None:
    from uptake.inquiry.actions import do_share_inquiry

    story = fixtures.story(world)
    do_share_inquiry(world.people["teacher"], story.inquiry, world.people["coach"], share=True)
    client = login(world.people["coach"])
    assert client.get(reverse("stories:detail", args=[story.pk])).status_code == 200
    for name in EDITING:
        assert client.get(reverse(name, args=[story.pk])).status_code == 404, name
    assert client.post(reverse("stories:publish", args=[story.pk])).status_code == 404
    assert client.post(reverse("stories:link_new", args=[story.pk]),
                       {"label": "x", "days": "3"}).status_code == 404
    assert not story.links.exists()


def test_only_the_owner_of_the_evidence_records_or_withdraws_consent(login: Any,
                                                                     world: Any) -> None:
    record = consent(world)
    for persona in ("colleague", "coach", "coordinator"):
        client = login(world.people[persona])
        assert client.get(reverse("stories:consent_new", args=[photo(world).pk])
                          ).status_code == 404
        assert client.post(reverse("stories:consent_withdraw", args=[record.pk])
                           ).status_code == 404
        assert not_listed(client, reverse("stories:consents"), "Class at the board")
    record.refresh_from_db()
    assert record.in_force


def test_a_teacher_whose_role_is_revoked_loses_the_pages(login: Any, world: Any) -> None:
    from uptake.accounts.actions import do_revoke_role

    story = fixtures.story(world)
    teacher = world.people["teacher"]
    client = login(teacher)
    assert client.get(reverse("stories:edit", args=[story.pk])).status_code == 200
    for assignment in teacher.roles.all():
        do_revoke_role(actor=world.people["coordinator"], assignment=assignment)
    for name in ("stories:detail", *EDITING):
        assert client.get(reverse(name, args=[story.pk])).status_code == 404, name
    assert client.get(reverse("stories:mine")).status_code == 404
