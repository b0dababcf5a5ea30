"""'I tried this': a colleague links her own inquiry; the practice shows how far it
travelled and what happened where it was tried, in words that claim no cause and with no
student in sight."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from uptake.library.models import Trial
from uptake.library.tests.examples import practice
from uptake.library.tests.helpers import inquiry_with_verdict

pytestmark = pytest.mark.django_db


def test_a_colleague_links_her_inquiry_and_everyone_reads_what_happened(
        world: Any, login: Any) -> None:
    made = practice(world)
    inquiry = inquiry_with_verdict(world)
    asha = login(world.people["colleague"])
    form = asha.get(reverse("library:try", args=[made.pk]))
    assert "Stems in room 12" in form.content.decode()
    response = asha.post(reverse("library:try", args=[made.pk]),
                         {"inquiry": inquiry.pk, "note": "Used picture stems."})
    assert response.status_code == 302
    page = login(world.people["researcher"]).get(
        reverse("library:detail", args=[made.pk])).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "by 1 colleague in 1 school" in text
    assert "Stems in room 12" in text and "Asha Patel, Cedar Elementary" in text
    assert "Sustained improvement in Explain-your-thinking score" in text
    assert "Sustained improvement: 1 measure" in text
    assert "does not show that the practice caused it" in text
    assert "Kid" not in page and "stu-" not in page


def test_she_links_only_her_own_inquiries_once_each(world: Any, login: Any) -> None:
    from uptake.inquiry.actions import do_create_inquiry
    from uptake.library.actions import LibraryRefused, do_add_trial
    from uptake.rules import Conflict

    made = practice(world)
    jamies = do_create_inquiry(world.people["teacher"], title="Jamie's own")
    asha_s = do_create_inquiry(world.people["colleague"], title="Asha's own")
    client = login(world.people["colleague"])
    response = client.post(reverse("library:try", args=[made.pk]), {"inquiry": jamies.pk})
    assert response.status_code == 400 and not Trial.objects.exists()
    with pytest.raises(LibraryRefused):
        do_add_trial(made, actor=world.people["colleague"], inquiry=jamies)
    do_add_trial(made, actor=world.people["colleague"], inquiry=asha_s)
    with pytest.raises(Conflict):
        do_add_trial(made, actor=world.people["colleague"], inquiry=asha_s)
    assert Trial.objects.count() == 1


def test_only_whoever_may_edit_the_inquiry_unlinks_it(world: Any, login: Any) -> None:
    from uptake.library.tests.examples import trial

    made = trial(world)
    assert login(world.people["teacher"]).post(
        reverse("library:trial_remove", args=[made.pk])).status_code == 404
    assert Trial.objects.exists()
    login(world.people["colleague"]).post(reverse("library:trial_remove", args=[made.pk]))
    assert not Trial.objects.exists()


def test_deleting_the_inquiry_takes_its_trials_and_says_so(world: Any, login: Any) -> None:
    from uptake.inquiry.actions import do_delete_inquiry
    from uptake.library.tests.examples import trial

    made = trial(world)
    client = login(world.people["colleague"])
    confirm = client.get(reverse("inquiry:delete", args=[made.inquiry_id])).content.decode()
    assert "links to practices it tried" in confirm
    do_delete_inquiry(world.people["colleague"], made.inquiry)
    assert not Trial.objects.exists()


def test_the_inquiry_page_lists_the_practices_it_tried(world: Any, login: Any) -> None:
    from uptake.library.tests.examples import trial

    made = trial(world)
    page = login(world.people["colleague"]).get(
        reverse("inquiry:detail", args=[made.inquiry_id])).content.decode()
    assert "Practices this inquiry tried" in page
    assert reverse("library:detail", args=[made.practice_id]) in page


def test_a_draft_s_trials_are_hidden_with_it(world: Any, login: Any) -> None:
    from uptake.library.actions import do_unpublish_practice
    from uptake.library.tests.examples import trial

    made = trial(world)
    do_unpublish_practice(made.practice, actor=world.people["teacher"])
    page = login(world.people["colleague"]).get(
        reverse("inquiry:detail", args=[made.inquiry_id])).content.decode()
    assert reverse("library:detail", args=[made.practice_id]) not in page


def test_a_draft_cannot_be_tried(world: Any) -> None:
    from uptake.inquiry.actions import do_create_inquiry
    from uptake.library.actions import do_add_trial
    from uptake.rules import Conflict

    draft = practice(world, published=False)
    mine = do_create_inquiry(world.people["teacher"], title="Jamie's second go")
    with pytest.raises(Conflict, match="Only a published practice"):
        do_add_trial(draft, actor=world.people["teacher"], inquiry=mine)


def test_the_trial_links_to_its_inquiry_only_for_those_who_may_read_it(
        world: Any, login: Any) -> None:
    from uptake.library.tests.examples import trial

    made = trial(world)
    href = reverse("inquiry:detail", args=[made.inquiry_id])
    url = reverse("library:detail", args=[made.practice_id])
    assert href in login(world.people["colleague"]).get(url).content.decode()
    assert href not in login(world.people["teacher"]).get(url).content.decode()
