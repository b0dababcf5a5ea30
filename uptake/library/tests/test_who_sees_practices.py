"""Who sees the library: a published practice everyone with a role in the district, a
draft its author alone, another district nothing; a lapsed role closes it all."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.library import access
from uptake.library.tests.examples import DISTRICT, practice

pytestmark = pytest.mark.django_db


def test_a_published_practice_is_read_by_everyone_with_a_role_in_the_district(
        world: Any, login: Any) -> None:
    made = practice(world)
    for persona in sorted(DISTRICT):
        page = login(world.people[persona]).get(reverse("library:detail", args=[made.pk]))
        assert page.status_code == 200, persona
        assert "Turn-and-talk with stems" in page.content.decode()


def test_another_district_gets_the_same_404_as_a_missing_practice(world: Any,
                                                                   login: Any) -> None:
    made = practice(world)
    client = login(world.people["other_coordinator"])
    assert client.get(reverse("library:detail", args=[made.pk])).status_code == 404
    assert client.get(reverse("library:detail", args=[made.pk + 999])).status_code == 404
    assert "Turn-and-talk" not in client.get(reverse("library:list")).content.decode()


def test_a_draft_is_its_author_s_alone(world: Any, login: Any) -> None:
    made = practice(world, published=False, title="Half-written idea")
    assert login(world.people["teacher"]).get(
        reverse("library:detail", args=[made.pk])).status_code == 200
    for persona in sorted(DISTRICT - {"teacher"}):
        client = login(world.people[persona])
        assert client.get(reverse("library:detail", args=[made.pk])).status_code == 404
        assert "Half-written idea" not in client.get(reverse("library:list")).content.decode()
    mine = login(world.people["teacher"]).get(reverse("library:mine")).content.decode()
    assert "Half-written idea" in mine and "Draft" in mine


def test_only_the_author_may_edit_publish_or_delete(world: Any, login: Any) -> None:
    made = practice(world)
    client = login(world.people["colleague"])
    for name in ("library:edit", "library:delete", "library:unpublish"):
        assert client.get(reverse(name, args=[made.pk])).status_code in (404, 405)
        assert client.post(reverse(name, args=[made.pk])).status_code == 404
    made.refresh_from_db()
    assert made.is_published


def test_someone_whose_role_ends_no_longer_sees_the_library(world: Any, login: Any) -> None:
    from uptake.accounts.actions import do_revoke_role

    made = practice(world)
    asha = world.people["colleague"]
    client = login(asha)
    assert client.get(reverse("library:detail", args=[made.pk])).status_code == 200
    for assignment in asha.roles.all():
        do_revoke_role(actor=world.people["coordinator"], assignment=assignment)
    assert client.get(reverse("library:detail", args=[made.pk])).status_code == 404
    assert client.get(reverse("library:list")).status_code == 404
    assert not access.practices_visible_to(type(asha).objects.get(pk=asha.pk)).exists()


def test_the_menu_offers_the_library_to_those_who_work_with_practice(world: Any,
                                                                     login: Any) -> None:
    for persona, shown in (("teacher", True), ("coach", True), ("leader", True),
                           ("coordinator", True), ("researcher", False)):
        html = login(world.people[persona]).get(reverse("home")).content.decode()
        nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
        assert (">Library</a>" in nav) is shown, persona
