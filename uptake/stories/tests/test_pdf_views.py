"""Downloading a story's PDF: the teacher's in Uptake, and a family's through a share link."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from uptake.stories.tests import fixtures
from uptake.stories.tests.pdf_reading import open_pdf, text_of


def _flat(pdf: bytes) -> str:
    return " ".join(text_of(pdf).split())


# ------------------------------------------------------------------ the teacher's PDF

def test_the_teacher_downloads_her_published_story_as_a_named_attachment(world: Any,
                                                                          login: Any) -> None:
    story = fixtures.story(world)
    response = login(world.people["teacher"]).get(reverse("stories:pdf", args=[story.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="math-talk.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = _flat(response.content)
    assert "Math talk" in text and "Will talk moves help?" in text
    assert "Draft" not in text


def test_a_colleague_or_a_teacher_elsewhere_gets_the_same_404_as_no_story(world: Any,
                                                                           login: Any) -> None:
    story = fixtures.story(world)
    for who in ("colleague", "outsider", "other_coordinator"):
        client = login(world.people[who])
        assert client.get(reverse("stories:pdf", args=[story.pk])).status_code == 404, who
    missing = login(world.people["teacher"]).get(reverse("stories:pdf", args=[story.pk + 999]))
    assert missing.status_code == 404


def test_signed_out_she_is_sent_to_sign_in(world: Any, client: Any) -> None:
    story = fixtures.story(world)
    response = client.get(reverse("stories:pdf", args=[story.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_published_pdf_stays_as_published_and_the_draft_shows_her_changes(
        world: Any, login: Any) -> None:
    from uptake.stories.actions import do_update_story

    story = fixtures.story(world)
    do_update_story(story, actor=world.people["teacher"], title="Math talk, term 2")
    client = login(world.people["teacher"])
    url = reverse("stories:pdf", args=[story.pk])

    published = client.get(url)
    assert "Math talk, term 2" not in _flat(published.content)
    assert published["Content-Disposition"].endswith('"math-talk.pdf"')

    draft = client.get(url, {"version": "draft"})
    assert draft.status_code == 200
    text = _flat(draft.content)
    assert "Math talk, term 2" in text and "Draft" in text
    assert draft["Content-Disposition"].endswith('"math-talk-term-2.pdf"')


def test_an_unpublished_story_prints_as_its_draft_for_its_teacher(world: Any,
                                                                   login: Any) -> None:
    story = fixtures.story(world, publish=False)
    client = login(world.people["teacher"])
    response = client.get(reverse("stories:pdf", args=[story.pk]))
    assert response.status_code == 200
    assert "Draft" in _flat(response.content)
    published = client.get(reverse("stories:pdf", args=[story.pk]), {"version": "published"})
    assert published.status_code == 404, "nothing published to print"


def test_a_coach_it_was_shared_with_reads_the_published_pdf_but_not_the_draft(
        world: Any, login: Any) -> None:
    from uptake.inquiry.actions import do_share_inquiry

    story = fixtures.story(world)
    do_share_inquiry(world.people["teacher"], story.inquiry, world.people["coach"], share=True)
    client = login(world.people["coach"])
    url = reverse("stories:pdf", args=[story.pk])
    assert client.get(url).status_code == 200
    assert client.get(url, {"version": "draft"}).status_code == 404


def test_an_unknown_version_is_refused_by_name(world: Any, login: Any) -> None:
    story = fixtures.story(world)
    response = login(world.people["teacher"]).get(reverse("stories:pdf", args=[story.pk]),
                                                  {"version": "final"})
    assert response.status_code == 400
    assert b"version=published or version=draft" in response.content


def test_she_may_print_it_in_spanish(world: Any, login: Any) -> None:
    story = fixtures.story(world)
    response = login(world.people["teacher"]).get(reverse("stories:pdf", args=[story.pk]),
                                                  {"lang": "es"})
    assert response["Content-Language"] == "es"
    with open_pdf(response.content) as document:
        assert str(document.Root.Lang) == "es"


# ------------------------------------------------------------------ the family's PDF

def _events(link: Any) -> Any:
    from uptake.audit.models import AuditEvent

    return AuditEvent.objects.filter(action="story_viewed_by_link", details__link=link.pk)


def test_a_family_downloads_the_pdf_by_link_counted_audited_and_never_indexed(
        world: Any, client: Any) -> None:
    link, secret = fixtures.share_link(world)
    response = client.get(reverse("share:pdf", args=[secret]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="math-talk.pdf"'
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "Will talk moves help?" in _flat(response.content)
    assert not response.cookies, "no cookie for a family"

    link.refresh_from_db()
    assert link.views == 1 and link.last_viewed_at is not None
    event = _events(link).get()
    assert event.details["what"] == "pdf"
    assert secret not in event.page and secret not in event.summary


def test_it_is_in_the_family_s_language(world: Any, client: Any) -> None:
    _link, secret = fixtures.share_link(world)
    response = client.get(reverse("share:pdf", args=[secret]), {"lang": "es"})
    assert response["Content-Language"] == "es"
    with open_pdf(response.content) as document:
        assert str(document.Root.Lang) == "es"


def test_a_revoked_expired_or_unknown_link_or_an_unpublished_story_is_the_same_404(
        world: Any, client: Any) -> None:
    from uptake.stories.actions import do_revoke_share_link, do_unpublish

    teacher = world.people["teacher"]
    link, secret = fixtures.share_link(world)
    unknown = client.get(reverse("share:pdf", args=["x" * len(secret)]))
    assert unknown.status_code == 404

    do_revoke_share_link(link, actor=teacher)
    revoked = client.get(reverse("share:pdf", args=[secret]))

    live, live_secret = fixtures.share_link(world)
    live.expires_at = timezone.now() - timedelta(seconds=1)
    live.save(update_fields=["expires_at"])
    expired = client.get(reverse("share:pdf", args=[live_secret]))

    other, other_secret = fixtures.share_link(world)
    do_unpublish(link.story, actor=teacher)
    unpublished = client.get(reverse("share:pdf", args=[other_secret]))

    for response in (revoked, expired, unpublished):
        assert response.status_code == 404
        assert response.content == unknown.content
        assert response["Content-Type"] == unknown["Content-Type"]
        assert "noindex" in response["X-Robots-Tag"]
    for made in (link, live, other):
        made.refresh_from_db()
        assert made.views == 0 and not _events(made).exists()


def test_a_teacher_s_own_story_page_link_is_not_a_family_link(world: Any, client: Any) -> None:
    """The teacher's PDF needs her sign-in; the story's id opens nothing by share link."""
    story = fixtures.story(world)
    assert client.get(reverse("share:pdf", args=[str(story.pk)])).status_code == 404
