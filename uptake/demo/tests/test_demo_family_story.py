"""The demo teacher's first inquiry has a published story for families, and the demo
prints a share link to it that opens without signing in and names no student."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from uptake.demo.story import STORY_INQUIRY
from uptake.roster.models import Student
from uptake.stories.models import ShareLink, Story

pytestmark = pytest.mark.django_db

LINK = re.compile(r"(http://testserver:8000)(/s/[^/\s]+/)")


def _demo() -> str:
    out = StringIO()
    call_command("demo", "--base-url", "http://testserver:8000/", stdout=out)
    return out.getvalue()


def test_the_demo_prints_a_share_link_that_opens_her_published_story() -> None:
    printed = _demo()
    story = Story.objects.get(inquiry__title=STORY_INQUIRY)
    assert story.is_published and story.what_happened
    assert story.snapshot["charts"], "a chart that may be published"
    assert [a["title"] for a in story.snapshot["artifacts"]] == ["Sentence stems card"]
    found = LINK.search(printed)
    assert found, printed
    page = Client().get(found[2])
    assert page.status_code == 200
    text = page.content.decode()
    assert story.title in text
    for given, family, sis, pseudonym in Student.objects.values_list(
            "given_name", "family_name", "sourced_id", "pseudonym"):
        assert f"{given} {family}" not in text and f">{sis}<" not in text
        assert pseudonym not in text


def test_loading_again_keeps_the_story_and_renews_the_link() -> None:
    first = LINK.search(_demo())
    story = Story.objects.get(inquiry__title=STORY_INQUIRY)
    taken = story.snapshot_at
    second = LINK.search(_demo())
    assert first and second and first[2] != second[2]
    assert Story.objects.get().snapshot_at == taken  # one story, not published again
    client = Client()
    assert client.get(first[2]).status_code == 404  # the old demo link was revoked
    assert client.get(second[2]).status_code == 200
    assert ShareLink.objects.filter(story=story, revoked_at__isnull=True).count() == 1
