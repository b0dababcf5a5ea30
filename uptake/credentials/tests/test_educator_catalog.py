"""The catalog and a credential's page, as an educator sees them: only her district's
published credentials, each with its tiers, stipends and her progress; the public rubric
with its scoring guide and the exemplars she may read in the library; and work begun on
version 1 stays on version 1 after version 2 is published."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from uptake.credentials.tests import fixtures as f

pytestmark = pytest.mark.django_db


def _page(client: Any, name: str, *args: Any) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def _other_district_credential(w: Any) -> Any:
    from uptake.credentials.actions import do_create_credential, do_publish

    version = do_create_credential(actor=w.people["other_coordinator"], title="Oak Ridge only",
                                   preset="four_tier", competency="Leads discussions.")
    return do_publish(version, actor=w.people["other_coordinator"])


def _next_version(w: Any, title: str) -> Any:
    from uptake.credentials.actions import do_publish, do_start_revision, do_update_version

    coordinator = w.people["coordinator"]
    draft = do_start_revision(f.credential(w).credential, actor=coordinator)
    do_update_version(draft, actor=coordinator, title=title)
    return do_publish(draft, actor=coordinator)


def test_it_lists_only_the_published_credentials_of_her_district(world: Any,
                                                                 login: Any) -> None:
    f.credential(world)
    f.credential(world, title="Still being written", publish=False)
    _other_district_credential(world)
    html = _page(login(world.people["teacher"]), "credentials:catalog")
    assert f.TITLE in html
    assert "Still being written" not in html and "Oak Ridge only" not in html
    for tier in ("Learning", "Implementation", "Impact", "Sharing"):
        assert tier in html
    assert "$75.00" in html and "Not started" in html


def test_it_shows_her_progress_on_each_tier(world: Any, login: Any) -> None:
    f.returned(world)
    html = _page(login(world.people["teacher"]), "credentials:catalog")
    assert "Returned" in html and "Continue" in html
    assert _page(login(world.people["colleague"]), "credentials:catalog").count(
        "Not started") == 4


def test_the_rubric_shows_each_tier_s_requirements_and_scoring_guide(world: Any,
                                                                     login: Any) -> None:
    version = f.credential(world)
    html = _page(login(world.people["teacher"]), "credentials:credential", version.pk)
    assert "At least 2 learning sources, 1 of them research-based" in html
    assert "A reflection of 500 to 600 words, or a video of 2:00 to 3:00 minutes" in html
    assert "Student data and a reflection on it; positive or negative results both count" \
        in html
    assert "Not yet on track" in html and "passing" in html
    criterion = version.tiers.get(kind="learning").criteria.first()
    assert criterion.text in html and criterion.descriptors[1] in html
    assert html.count("Start this tier") == 4


def test_the_assessor_reads_the_rubric_without_starting_anything(world: Any,
                                                                 login: Any) -> None:
    html = _page(login(world.people["assessor"]), "credentials:credential",
                 f.credential(world).pk)
    assert "Scoring guide" in html and "Start this tier" not in html


def test_starting_a_tier_opens_her_draft_and_a_second_start_opens_the_same(
        world: Any, login: Any) -> None:
    from uptake.credentials.models import Submission

    version = f.credential(world)
    client = login(world.people["teacher"])
    tier = version.tiers.get(kind="learning")
    first = client.post(reverse("credentials:start", args=[version.pk]), {"tier": tier.pk})
    again = client.post(reverse("credentials:start", args=[version.pk]), {"tier": tier.pk})
    mine = Submission.objects.get(educator=world.people["teacher"])
    assert first["Location"] == again["Location"] == reverse("credentials:submission",
                                                             args=[mine.pk])
    other = f.credential(world, title="Another one")
    r = client.post(reverse("credentials:start", args=[version.pk]),
                    {"tier": other.tiers.first().pk}, follow=True)
    assert "Choose one of this credential&#x27;s tiers." in r.content.decode()
    assert Submission.objects.count() == 1


def test_work_begun_on_version_1_stays_on_version_1(world: Any, login: Any) -> None:
    from uptake.credentials.models import Submission

    v1 = f.credential(world)
    draft = f.learning_draft(world, ready=False)
    v2 = _next_version(world, "Academic conversations, second edition")
    jamie = login(world.people["teacher"])

    catalog = _page(jamie, "credentials:catalog")
    assert "second edition" in catalog
    assert reverse("credentials:credential", args=[v1.pk]) in catalog
    assert "Your work is on version 1" in catalog

    html = _page(jamie, "credentials:credential", v2.pk)
    assert "Start this tier" not in html and "began on version 1 and stays on it" in html
    html = _page(jamie, "credentials:credential", v1.pk)
    assert "Continue" in html and "This version has been replaced by version 2" in html

    # Another tier she starts now joins her work on version 1, not version 2.
    jamie.post(reverse("credentials:start", args=[v1.pk]),
               {"tier": v1.tiers.get(kind="implementation").pk})
    jamie.post(reverse("credentials:start", args=[v2.pk]),
               {"tier": v2.tiers.get(kind="impact").pk})
    versions = set(Submission.objects.filter(educator=world.people["teacher"])
                   .values_list("tier__version__number", flat=True))
    assert versions == {1} and draft.tier.version_id == v1.pk

    # A colleague starting now is on version 2; version 1 is not hers to read.
    asha = login(world.people["colleague"])
    assert asha.get(reverse("credentials:credential", args=[v1.pk])).status_code == 404
    assert "Start this tier" in _page(asha, "credentials:credential", v2.pk)


def test_exemplars_show_only_what_she_may_read_in_the_library(world: Any,
                                                              login: Any) -> None:
    from uptake.credentials.actions import do_publish, do_set_links
    from uptake.library.actions import do_unpublish_practice
    from uptake.library.tests.examples import practice

    shown = practice(world, title="Number talks with stems")
    hidden = practice(world, title="Exit tickets that talk back")
    draft = f.credential(world, title="Discourse", publish=False)
    do_set_links(draft, actor=world.people["coordinator"], exemplars=[shown, hidden])
    version = do_publish(draft, actor=world.people["coordinator"])
    do_unpublish_practice(hidden, actor=world.people["teacher"])

    html = _page(login(world.people["colleague"]), "credentials:credential", version.pk)
    assert "Number talks with stems" in html
    assert reverse("library:detail", args=[shown.pk]) in html
    assert "Exit tickets that talk back" not in html


def test_the_image_is_served_to_catalog_readers_only(world: Any, login: Any) -> None:
    from uptake.credentials.tests.examples_educator import with_image

    version = with_image(f.credential(world))
    r = login(world.people["teacher"]).get(reverse("credentials:credential_image",
                                                   args=[version.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert reverse("credentials:credential_image", args=[version.pk]) in _page(
        login(world.people["teacher"]), "credentials:catalog")
    assert login(world.people["researcher"]).get(reverse(
        "credentials:credential_image", args=[version.pk])).status_code == 404
