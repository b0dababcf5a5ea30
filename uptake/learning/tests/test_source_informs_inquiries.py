"""A teacher says which of her inquiries a source of learning informed: her own, or her
team's, never an inquiry she may not edit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from uptake.inquiry.actions import do_create_inquiry, do_share_inquiry
from uptake.learning import actions
from uptake.learning.models import LearningSource

pytestmark = pytest.mark.django_db


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": "book", "title": "Classroom discussions",
                            "learned_on": "2026-10-01", "hours": "3"}
    data.update(overrides)
    return data


def _fields(**overrides: Any) -> actions.SourceFields:
    values: dict[str, Any] = {"kind": "book", "title": "Classroom discussions",
                              "learned_on": date(2026, 10, 1), "hours": Decimal("3")}
    values.update(overrides)
    return actions.SourceFields(**values)


def test_it_links_a_source_to_her_own_and_her_teams_inquiries(
        login: Any, world: Any, team_inquiry: Any) -> None:
    jamie = world.people["teacher"]
    own = do_create_inquiry(jamie, title="Talk moves in Grade 3")
    client = login(jamie)
    form = client.get(reverse("learning:source_new")).content.decode()
    assert "<legend>Inquiries it informed</legend>" in form
    assert "Talk moves in Grade 3" in form and "Common exit tickets (Grade 3 team)" in form
    response = client.post(reverse("learning:source_new"),
                           _form(inquiries=[own.pk, team_inquiry.pk]))
    assert response.status_code == 302
    source = LearningSource.objects.get()
    assert set(source.inquiries.all()) == {own, team_inquiry}
    assert set(own.learning_sources.all()) == {source}
    listing = client.get(reverse("learning:sources")).content.decode()
    assert "Informed:" in listing
    assert reverse("inquiry:detail", args=[team_inquiry.pk]) in listing


def test_it_offers_and_accepts_no_inquiry_she_may_not_edit(login: Any, world: Any) -> None:
    jamie = world.people["teacher"]
    ashas = do_create_inquiry(world.people["colleague"], title="Asha's private inquiry")
    client = login(jamie)
    assert "Asha&#x27;s private inquiry" not in client.get(
        reverse("learning:source_new")).content.decode()
    response = client.post(reverse("learning:source_new"), _form(inquiries=[ashas.pk]))
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not LearningSource.objects.exists()
    with pytest.raises(actions.LearningRuleError, match="your team's inquiries"):
        actions.do_add_source(owner=jamie, fields=_fields(inquiries=(ashas,)))
    assert not LearningSource.objects.exists()


def test_an_inquiry_shared_with_a_coach_to_read_is_not_hers_to_link(world: Any) -> None:
    coach = world.people["coach"]
    inquiry = do_create_inquiry(world.people["teacher"], title="Jamie's inquiry")
    do_share_inquiry(world.people["teacher"], inquiry, coach, share=True)
    with pytest.raises(actions.LearningRuleError):
        actions.do_add_source(owner=coach, fields=_fields(inquiries=(inquiry,)))


def test_leaving_a_team_keeps_the_link_she_made_when_she_edits_the_source(
        login: Any, world: Any, team_inquiry: Any) -> None:
    jamie = world.people["teacher"]
    source = actions.do_add_source(owner=jamie, fields=_fields(inquiries=(team_inquiry,)))
    team_inquiry.team.members.remove(jamie)
    client = login(jamie)
    form = client.get(reverse("learning:source_edit", args=[source.pk])).content.decode()
    assert "Common exit tickets" not in form
    response = client.post(reverse("learning:source_edit", args=[source.pk]),
                           _form(title="Classroom discussions, 2nd ed."))
    assert response.status_code == 302
    assert list(source.inquiries.all()) == [team_inquiry]
    assert "Common exit tickets" not in client.get(
        reverse("learning:sources")).content.decode()


def test_unticking_an_inquiry_unlinks_it(login: Any, world: Any) -> None:
    jamie = world.people["teacher"]
    own = do_create_inquiry(jamie, title="Talk moves in Grade 3")
    source = actions.do_add_source(owner=jamie, fields=_fields(inquiries=(own,)))
    response = login(jamie).post(reverse("learning:source_edit", args=[source.pk]), _form())
    assert response.status_code == 302 and not source.inquiries.exists()
