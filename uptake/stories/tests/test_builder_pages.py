"""A teacher tells her inquiry's story through the pages: starts it from the inquiry, writes
it, picks charts and evidence, previews, publishes, shares by link (shown once), refreshes,
unpublishes and deletes it. Every change goes through the actions and is audited."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.stories.models import ShareLink, Story
from uptake.stories.tests import fixtures

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def get(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response
    return text(response)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_owner_starts_the_story_from_her_inquiry_once(login: Any, world: Any) -> None:
    inquiry = fixtures.inquiry_with_data(world)
    client = login(world.people["teacher"])
    page = get(client, reverse("inquiry:detail", args=[inquiry.pk]))
    assert "Story for families" in page and "Tell the story" in page
    key = "k" * 43
    url = reverse("stories:start", args=[inquiry.pk])
    first = client.post(url, {"idempotency_key": key})
    again = client.post(url, {"idempotency_key": key})
    story = Story.objects.get(inquiry=inquiry)
    assert first["Location"] == again["Location"] == reverse("stories:edit", args=[story.pk])
    # Started from what the inquiry already says.
    assert story.question == "Will talk moves help?"
    assert story.what_changed == "Four talk moves every lesson"
    page = get(client, reverse("inquiry:detail", args=[inquiry.pk]))
    assert "Draft" in page and "Work on the story" in page and "Tell the story" not in page


def test_a_reader_of_the_inquiry_sees_the_story_only_once_published(login: Any,
                                                                     world: Any) -> None:
    from uptake.inquiry.actions import do_share_inquiry

    story = fixtures.story(world, publish=False)
    do_share_inquiry(world.people["teacher"], story.inquiry, world.people["coach"], share=True)
    coach = login(world.people["coach"])
    page = get(coach, reverse("inquiry:detail", args=[story.inquiry_id]))
    assert "Story for families" not in page, "a draft is its editors' only"
    fixtures.story(world)  # published
    page = get(coach, reverse("inquiry:detail", args=[story.inquiry_id]))
    assert "Story for families" in page and "Published" in page
    assert "Tell the story" not in page and "Work on the story" not in page
    page = get(coach, reverse("stories:detail", args=[story.pk]))
    assert "More of my students explained their thinking." in page
    assert "Share links" not in page and "Edit the story" not in page
    assert coach.get(reverse("stories:edit", args=[story.pk])).status_code == 404


def test_she_writes_her_words_and_is_warned_of_causal_claims(login: Any, world: Any) -> None:
    story = fixtures.story(world, publish=False)
    client = login(world.people["teacher"])
    response = client.post(reverse("stories:edit", args=[story.pk]), {
        "title": "Talk in room 12", "language": "en", "question": "Will talk help?",
        "what_changed": "Talk moves", "what_happened": "The PD caused better scores.",
        "whats_next": "Keep going"}, follow=True)
    story.refresh_from_db()
    assert story.title == "Talk in room 12"
    assert story.what_happened == "The PD caused better scores.", "a warning never blocks"
    page = text(response)
    assert "Some of your words claim a cause" in page
    assert "Check the wording" in page and "“caused”" in page


def test_a_bad_title_is_refused_on_its_field_and_nothing_is_saved(login: Any,
                                                                   world: Any) -> None:
    story = fixtures.story(world, publish=False)
    client = login(world.people["teacher"])
    response = client.post(reverse("stories:edit", args=[story.pk]), {
        "title": "", "language": "en", "what_happened": "Changed"})
    assert response.status_code == 400
    assert "Title" in text(response) and "This field is required." in text(response)
    story.refresh_from_db()
    assert story.what_happened == "More of my students explained their thinking."


def test_the_builder_shows_which_charts_can_be_published(login: Any, world: Any,
                                                         settings: Any) -> None:
    story = fixtures.story(world, publish=False)
    client = login(world.people["teacher"])
    page = get(client, reverse("stories:edit", args=[story.pk]))
    assert "Exit ticket" in page and "Can be published" in page
    settings.MIN_GROUP_SIZE = 13
    page = get(client, reverse("stories:edit", args=[story.pk]))
    assert "Cannot be published" in page and "fewer than 13 students" in page


def test_she_picks_and_orders_charts(login: Any, world: Any) -> None:
    story = fixtures.story(world, publish=False)
    measure = story.inquiry.measures.get()
    client = login(world.people["teacher"])
    response = client.post(reverse("stories:charts", args=[story.pk]), {})
    assert response.status_code == 302
    assert not story.charts.exists(), "nothing ticked: no charts"
    client.post(reverse("stories:charts", args=[story.pk]), {
        f"chart-{measure.pk}-0": "1", f"chart-pos-{measure.pk}-0": "2"})
    assert [c.measure_id for c in story.charts.all()] == [measure.pk]


def test_an_identifying_artifact_needs_consent_before_it_can_be_picked(login: Any,
                                                                       world: Any) -> None:
    from uptake.evidence.actions import do_add_artifact

    teacher = world.people["teacher"]
    story = fixtures.story(world, publish=False)
    photo = do_add_artifact(teacher, kind="text", title="Pairs at the board", guskey_level=4,
                            identifies_students=True, body="Pairs", inquiry=story.inquiry)
    card = do_add_artifact(teacher, kind="text", title="Talk card", guskey_level=3,
                           identifies_students=False, body="I agree because",
                           inquiry=story.inquiry)
    client = login(teacher)
    page = get(client, reverse("stories:edit", args=[story.pk]))
    assert "Needs consent" in page
    assert reverse("stories:consent_new", args=[photo.pk]) + f"?story={story.pk}" in page
    # A forged tick is refused by the action, naming the artifact; nothing is saved.
    response = client.post(reverse("stories:artifacts", args=[story.pk]), {
        f"artifact-{card.pk}": "1", f"caption-{card.pk}": "Our card",
        f"artifact-{photo.pk}": "1", f"artifact-pos-{photo.pk}": "1"}, follow=True)
    assert any("“Pairs at the board” could identify a student" in m
               for m in messages_of(response))
    assert not story.pieces.exists()
    # Consent recorded from the builder's link, back to the builder.
    response = client.post(reverse("stories:consent_new", args=[photo.pk]), {
        "given_by": "Parent or guardian", "given_on": "2026-09-01", "scope": "story_links",
        "note": "Form in the office", "story": str(story.pk)})
    assert response["Location"] == reverse("stories:edit", args=[story.pk]) + "#artifacts-h"
    client.post(reverse("stories:artifacts", args=[story.pk]), {
        f"artifact-{card.pk}": "1", f"caption-{card.pk}": "Our card",
        f"artifact-pos-{card.pk}": "2",
        f"artifact-{photo.pk}": "1", f"artifact-pos-{photo.pk}": "1"})
    assert [(p.artifact_id, p.caption) for p in story.pieces.all()] == [
        (photo.pk, ""), (card.pk, "Our card")]


def test_consent_in_the_future_is_refused_on_its_field(login: Any, world: Any) -> None:
    from uptake.stories.tests.examples_builder import photo

    client = login(world.people["teacher"])
    response = client.post(reverse("stories:consent_new", args=[photo(world).pk]), {
        "given_by": "Parent", "given_on": "2999-01-01", "scope": "story_links"})
    assert response.status_code == 400
    plain = re.sub(r"<[^>]+>", "", text(response))
    assert "Date on the form: Consent cannot be dated in the future." in plain
    assert not photo(world).consents.exists()


def test_she_sees_and_withdraws_her_consent_records(login: Any, world: Any) -> None:
    from uptake.stories.tests.examples_builder import consent

    record = consent(world)
    client = login(world.people["teacher"])
    page = get(client, reverse("stories:consents"))
    assert "Class at the board" in page and "Parent or guardian" in page and "In force" in page
    page = get(client, reverse("stories:consent_withdraw", args=[record.pk]))
    assert "Withdraw consent" in page
    client.post(reverse("stories:consent_withdraw", args=[record.pk]))
    record.refresh_from_db()
    assert record.withdrawn_at is not None
    assert "Withdrawn" in get(client, reverse("stories:consents"))


def test_the_preview_is_the_draft_as_families_see_it_and_saves_nothing(login: Any,
                                                                        world: Any) -> None:
    story = fixtures.story(world, publish=False)
    client = login(world.people["teacher"])
    page = get(client, reverse("stories:preview", args=[story.pk]))
    assert "More of my students explained their thinking." in page
    assert "Exit ticket" in page and "<svg" in page
    story.refresh_from_db()
    assert not story.is_published


def test_a_refused_publish_names_each_problem(login: Any, world: Any, settings: Any) -> None:
    settings.MIN_GROUP_SIZE = 13
    story = fixtures.story(world, publish=False)
    client = login(world.people["teacher"])
    response = client.post(reverse("stories:publish", args=[story.pk]), follow=True)
    said = messages_of(response)
    assert said[0] == "The story was not published. Fix these first:"
    assert any(m.startswith("Exit ticket") and "fewer than 13 students" in m for m in said)
    story.refresh_from_db()
    assert not story.is_published


def test_publish_share_refresh_unpublish_and_delete(login: Any, world: Any) -> None:
    story = fixtures.story(world, publish=False)
    client = login(world.people["teacher"])
    response = client.post(reverse("stories:publish", args=[story.pk]))
    assert response["Location"] == reverse("stories:detail", args=[story.pk])
    story.refresh_from_db()
    assert story.is_published
    page = get(client, reverse("stories:detail", args=[story.pk]))
    assert "Published" in page and "last updated" in page and "Make a link" in page
    assert reverse("stories:pdf", args=[story.pk]) in page
    assert "changes that families do not see yet" not in page

    response = client.post(reverse("stories:link_new", args=[story.pk]), {
        "label": "Families, room 12", "days": "30", "idempotency_key": "a" * 43})
    link = ShareLink.objects.get(story=story)
    assert response["Location"] == reverse("stories:link_made", args=[story.pk, link.pk])
    page = get(client, response["Location"])
    secret = re.search(r'value="(http[^"]+)"', page)
    assert secret, "the link's address is shown"
    assert "/s/" in secret.group(1) and "only time" in page
    page = get(client, response["Location"])
    assert "was shown once" in page and secret.group(1) not in page
    assert secret.group(1) not in get(client, reverse("stories:detail", args=[story.pk]))

    # A change to her words: the page says families do not see it yet, until she refreshes.
    client.post(reverse("stories:edit", args=[story.pk]), {
        "title": story.title, "language": "en", "what_happened": "Students talked more."})
    page = get(client, reverse("stories:detail", args=[story.pk]))
    assert "You have changes that families do not see yet" in page
    client.post(reverse("stories:publish", args=[story.pk]))
    story.refresh_from_db()
    assert story.snapshot["what_happened"] == "Students talked more."
    assert "changes that families do not see yet" not in get(
        client, reverse("stories:detail", args=[story.pk]))

    client.post(reverse("stories:link_revoke", args=[story.pk, link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert "Revoked" in get(client, reverse("stories:detail", args=[story.pk]))

    assert "Unpublish" in get(client, reverse("stories:unpublish", args=[story.pk]))
    client.post(reverse("stories:unpublish", args=[story.pk]))
    story.refresh_from_db()
    assert not story.is_published

    assert "deleted for good" in get(client, reverse("stories:delete", args=[story.pk]))
    response = client.post(reverse("stories:delete", args=[story.pk]))
    assert response["Location"] == reverse("inquiry:detail", args=[story.inquiry_id])
    assert not Story.objects.filter(pk=story.pk).exists()
    kinds = list(AuditEvent.objects.values_list("action", flat=True))
    for kind in ("story_published", "story_refreshed", "share_link_created",
                 "share_link_revoked", "story_unpublished", "story_deleted"):
        assert kind in kinds


def test_my_stories_lists_hers_and_the_menu_offers_it(login: Any, world: Any) -> None:
    story = fixtures.story(world)
    client = login(world.people["teacher"])
    page = get(client, reverse("stories:mine"))
    assert story.title in page and "Published" in page
    home = get(client, reverse("home"))
    assert 'href="/stories/"' in home and "Your stories for families" in home
    other = login(world.people["colleague"])
    assert story.title not in get(other, reverse("stories:mine"))


def test_deleting_the_inquiry_says_its_story_and_links_go(login: Any, world: Any) -> None:
    fixtures.share_link(world)
    story = fixtures.story(world)
    page = get(login(world.people["teacher"]), reverse("inquiry:delete",
                                                        args=[story.inquiry_id]))
    assert "stories for families told from it" in page
    assert "share links to its story" in page
    page = get(login(world.people["teacher"]), reverse(
        "inquiry:measure_delete", args=[story.inquiry.measures.get().pk]))
    assert "charts of it in stories" in page


def test_the_inquiry_page_gives_the_story_s_state(login: Any, world: Any) -> None:
    fixtures.share_link(world)
    story = fixtures.story(world)
    page = re.sub(r"<[^>]+>", "", get(login(world.people["teacher"]),
                                      reverse("inquiry:detail", args=[story.inquiry_id])))
    assert "Published on" in page and "1 live link, 0 views" in page


def test_a_link_is_refused_with_a_reason_and_none_is_made(login: Any, world: Any) -> None:
    story = fixtures.story(world)
    client = login(world.people["teacher"])
    response = client.post(reverse("stories:link_new", args=[story.pk]),
                           {"label": "Board", "days": "400"}, follow=True)
    assert any(m.startswith("Days it works:") for m in messages_of(response))
    client.post(reverse("stories:unpublish", args=[story.pk]))
    response = client.post(reverse("stories:link_new", args=[story.pk]),
                           {"label": "Board", "days": "30"}, follow=True)
    assert "Publish the story before sharing it." in messages_of(response)
    assert not story.links.exists()
