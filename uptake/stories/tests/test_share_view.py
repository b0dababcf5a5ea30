"""A family reads a published story by its link, without signing in; every other link is
the same 404; every reading is counted and audited without the secret."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from uptake.stories.tests import examples_share, fixtures


def _url(secret: str) -> str:
    return reverse("share:story", kwargs={"secret": secret})


def _events() -> Any:
    from uptake.audit.models import AuditEvent

    return AuditEvent.objects.filter(action="story_viewed_by_link")


def test_a_live_link_opens_the_story_without_signing_in(world: Any, client: Any) -> None:
    _, secret = fixtures.share_link(world)
    response = client.get(_url(secret))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Math talk" in html
    assert "Things got better and stayed better" in html
    assert "More of my students explained their thinking." in html
    assert "Last updated" in html
    assert not response.cookies, "a family's reading sets no cookie"


def test_the_page_is_noindex_and_sends_no_referrer(world: Any, client: Any) -> None:
    _, secret = fixtures.share_link(world)
    response = client.get(_url(secret))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "private" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def _missing(client: Any, secret: str) -> Any:
    response = client.get(_url(secret))
    assert response.status_code == 404
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    return response.content


def test_expired_revoked_unpublished_unknown_and_overlong_links_are_the_same_404(
        world: Any, client: Any) -> None:
    from uptake.stories.actions import do_publish, do_revoke_share_link, do_unpublish

    teacher = world.people["teacher"]
    unknown = _missing(client, "x" * 43)
    assert _missing(client, "y" * 5000) == unknown

    link, secret = fixtures.share_link(world, days=1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert _missing(client, secret) == unknown

    do_unpublish(link.story, actor=teacher)
    assert _missing(client, secret) == unknown
    do_publish(link.story, actor=teacher)
    assert client.get(_url(secret)).status_code == 200, "publishing again reopens it"

    do_revoke_share_link(link, actor=teacher)
    assert _missing(client, secret) == unknown
    assert b"does not open a story" in unknown


def test_a_refused_link_is_neither_counted_nor_audited(world: Any, client: Any) -> None:
    from uptake.stories.actions import do_revoke_share_link

    link, secret = fixtures.share_link(world)
    do_revoke_share_link(link, actor=world.people["teacher"])
    client.get(_url(secret))
    link.refresh_from_db()
    assert link.views == 0 and not _events().exists()


def test_a_link_checker_s_head_request_counts_for_nothing(world: Any, client: Any) -> None:
    """Mail scanners and link previews send HEAD: nobody read the story, page or PDF."""
    link, secret = fixtures.share_link(world)
    assert client.head(_url(secret)).status_code == 200
    assert client.head(reverse("share:pdf", kwargs={"secret": secret})).status_code == 200
    link.refresh_from_db()
    assert link.views == 0 and not _events().exists()


def test_each_reading_is_counted_and_audited_without_the_secret(world: Any,
                                                                client: Any) -> None:
    link, secret = fixtures.share_link(world)
    client.get(_url(secret))
    client.get(_url(secret) + "?lang=es")
    link.refresh_from_db()
    assert link.views == 2 and link.last_viewed_at is not None
    events = list(_events())
    assert len(events) == 2
    for event in events:
        assert event.district == world.district and event.actor is None
        assert "Families, room 12" in event.actor_label
        stored = f"{event.page} {event.summary} {event.details} {event.actor_label}"
        assert secret not in stored and secret[:12] not in stored


def test_a_teacher_signed_in_reads_it_as_the_link_does(world: Any, client: Any) -> None:
    _, secret = fixtures.share_link(world)
    client.force_login(world.people["teacher"],
                       backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(_url(secret)).status_code == 200
    assert _events().get().actor is None


@pytest.mark.parametrize("how", ["query", "header"])
def test_the_page_speaks_spanish(world: Any, client: Any, how: str) -> None:
    _, secret = fixtures.share_link(world)
    if how == "query":
        response = client.get(_url(secret) + "?lang=es", HTTP_ACCEPT_LANGUAGE="en")
    else:
        response = client.get(_url(secret), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Las cosas mejoraron y siguieron mejor" in html
    assert "Última actualización" in html
    assert "Lo que pasó con los estudiantes" in html
    assert response["Content-Language"] == "es"
    # Her words stay in her language, marked as such.
    assert '<p class="story-words" lang="en">More of my students' in html


def test_english_is_the_default_and_the_switcher_offers_both(world: Any, client: Any) -> None:
    _, secret = fixtures.share_link(world)
    html = client.get(_url(secret), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="en">' in html
    assert 'href="?lang=es"' in html and 'href="?lang=en"' in html
    assert "Things got better" in html


def test_the_page_names_no_student(world: Any, client: Any) -> None:
    _, secret = fixtures.share_link(world)
    for lang in ("en", "es"):
        html = client.get(_url(secret) + f"?lang={lang}").content.decode()
        for s in world.students:  # (their family name is their school's: Cedar)
            for value in (s.given_name, f"{s.given_name} {s.family_name}", s.pseudonym,
                          s.sourced_id):
                assert value not in html, value


def test_the_page_shows_the_change_and_the_empty_levels(world: Any, client: Any) -> None:
    _, secret = fixtures.share_link(world)
    html = client.get(_url(secret)).content.decode()
    assert "On average, students&#x27; scores went up 3.06 points (we are 95% sure" in html
    assert "Nothing recorded yet" in html
    assert "What happened for students" in html and "<svg" in html
    assert "The numbers behind the chart" in html


def test_hidden_groups_are_said_as_hidden(world: Any, client: Any) -> None:
    story = fixtures.story(world)
    snapshot = dict(story.snapshot)
    chart = dict(snapshot["charts"][0])
    chart["groups"] = [{"dimension": "English learners", "group": "Yes", "n": None,
                        "median_change": None},
                       {"dimension": "English learners", "group": "No", "n": 11,
                        "median_change": "3"}]
    snapshot["charts"] = [chart]
    type(story).objects.filter(pk=story.pk).update(snapshot=snapshot)
    _, secret = fixtures.share_link(world)
    html = client.get(_url(secret)).content.decode()
    assert "hidden to protect small groups" in html
    assert ">11<" in html


def test_an_artifact_in_the_story_is_served_inline_and_noindex(world: Any,
                                                               client: Any) -> None:
    made = examples_share.photo(world)
    _, secret = fixtures.share_link(world)
    html = client.get(_url(secret)).content.decode()
    url = reverse("share:artifact", kwargs={"secret": secret, "artifact_id": made.pk})
    assert f'src="{url}"' in html and "Strategies we shared" in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == examples_share.PNG


def test_an_artifact_not_in_the_story_is_the_same_404(world: Any, client: Any) -> None:
    from django.core.files.base import ContentFile

    from uptake.evidence.models import Artifact

    _, secret = fixtures.share_link(world)
    unknown = client.get(_url("z" * 43)).content
    other = Artifact.objects.create(
        district=world.district, owner=world.people["teacher"], kind="photo", title="Other",
        guskey_level=4, identifies_students=False, content_type="image/png",
        file=ContentFile(examples_share.PNG, name="o.png"))
    response = client.get(reverse("share:artifact",
                                  kwargs={"secret": secret, "artifact_id": other.pk}))
    assert response.status_code == 404 and response.content == unknown


def test_withdrawn_consent_takes_the_artifact_off_the_page_and_its_url(
        world: Any, client: Any) -> None:
    from uptake.stories.actions import do_withdraw_consent

    made = examples_share.photo(world, identifies=True, title="Maya at the board")
    _, secret = fixtures.share_link(world)
    url = reverse("share:artifact", kwargs={"secret": secret, "artifact_id": made.pk})
    assert "Maya at the board" in client.get(_url(secret)).content.decode()
    assert client.get(url).status_code == 200

    do_withdraw_consent(made.consents.get(), actor=world.people["teacher"])
    html = client.get(_url(secret)).content.decode()
    assert "Maya at the board" not in html and url not in html
    assert client.get(url).status_code == 404


def test_an_artifact_moved_to_another_inquiry_or_deleted_leaves(world: Any,
                                                                client: Any) -> None:
    made = examples_share.photo(world)
    _, secret = fixtures.share_link(world)
    url = reverse("share:artifact", kwargs={"secret": secret, "artifact_id": made.pk})
    type(made).objects.filter(pk=made.pk).update(inquiry=None)
    assert client.get(url).status_code == 404
    assert "Our number talk" not in client.get(_url(secret)).content.decode()


def test_a_flood_from_one_address_is_slowed(world: Any, client: Any,
                                            monkeypatch: Any) -> None:
    from django.core.cache import cache

    from uptake.stories import share_views

    cache.clear()
    monkeypatch.setattr(share_views, "RATE_PER_MINUTE", 3)
    _, secret = fixtures.share_link(world)
    codes = [client.get(_url(secret)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    busy = client.get(_url(secret))
    assert int(busy["Retry-After"]) >= 1 and busy["X-Robots-Tag"] == "noindex, nofollow"
    cache.clear()


def test_without_a_browser_language_a_spanish_story_reads_in_spanish(world: Any,
                                                                      client: Any) -> None:
    from uptake.stories.actions import do_publish, do_update_story

    teacher = world.people["teacher"]
    story = fixtures.story(world)
    do_update_story(story, actor=teacher, language="es",
                    what_happened="Más estudiantes explicaron su razonamiento.")
    do_publish(story, actor=teacher)
    _, secret = fixtures.share_link(world)
    html = client.get(_url(secret)).content.decode()
    assert '<html lang="es">' in html
    assert '<p class="story-words" lang="es">Más estudiantes' in html
    html = client.get(_url(secret), HTTP_ACCEPT_LANGUAGE="fr, en;q=0.8").content.decode()
    assert '<html lang="en">' in html, "the browser's English wins over the story's Spanish"
