"""Publishing freezes what families read, and nothing in it identifies a student."""

from __future__ import annotations

import json
from typing import Any

import pytest

from uptake.rules import Invalid, NotAllowed
from uptake.stories.tests import fixtures


def test_a_published_story_holds_its_chart_verdict_and_the_teacher_s_words(world: Any) -> None:
    story = fixtures.story(world)
    snap = story.snapshot
    assert snap["question"] == "Will talk moves help?"
    assert snap["what_changed"] == "Four talk moves every lesson"
    chart = snap["charts"][0]
    assert chart["verdict"] == "sustained_improvement"
    assert "<svg" in chart["svg"] and chart["description"]
    assert [p["n"] for p in chart["points"]] == [12] * 16
    assert chart["change"]["n"] == 12
    assert float(chart["change"]["mean"]) == pytest.approx(3.0625, abs=0.01)
    assert [level["level"] for level in snap["ladder"]] == [1, 2, 3, 4, 5]
    assert snap["ladder"][4]["items"], "the measure evidences level 5"
    assert snap["ladder"][0]["items"] == [], "an empty level stays, empty"


def test_the_snapshot_names_no_student(world: Any) -> None:
    text = json.dumps(fixtures.story(world).snapshot)
    for s in world.students:
        assert s.given_name not in text and s.pseudonym not in text and s.sourced_id not in text


def test_the_snapshot_does_not_move_when_the_data_does(world: Any) -> None:
    from uptake.inquiry.actions import OccasionData, do_save_occasion

    story = fixtures.story(world)
    before = story.snapshot
    measure = story.inquiry.measures.get()
    do_save_occasion(world.people["teacher"], measure, world.section, OccasionData(
        when=fixtures.START.replace(day=1), values={s.pk: 0.0 for s in world.students}))
    story.refresh_from_db()
    assert story.snapshot == before


def test_a_chart_resting_on_fewer_students_than_the_minimum_is_refused(world: Any,
                                                                       settings: Any) -> None:
    from uptake.stories.actions import do_publish

    settings.MIN_GROUP_SIZE = 13
    story = fixtures.story(world, publish=False)
    with pytest.raises(Invalid) as refused:
        do_publish(story, actor=world.people["teacher"])
    assert "fewer than 13 students" in refused.value.message
    story.refresh_from_db()
    assert not story.is_published


def test_an_identifying_artifact_needs_consent_and_leaves_when_it_is_withdrawn(
        world: Any) -> None:
    from uptake.evidence.actions import do_add_artifact
    from uptake.stories.actions import (
        ArtifactChoice,
        do_choose_artifacts,
        do_record_consent,
        do_withdraw_consent,
    )
    from uptake.stories.snapshot import artifact_allowed

    teacher = world.people["teacher"]
    story = fixtures.story(world)
    photo = do_add_artifact(teacher, kind="text", title="Group at the board", guskey_level=4,
                            identifies_students=True, body="Kids at the board",
                            inquiry=story.inquiry)
    with pytest.raises(Invalid, match="consent"):
        do_choose_artifacts(story, [ArtifactChoice(photo)], actor=teacher)
    consent = do_record_consent(photo, actor=teacher, given_by="Parent or guardian",
                                given_on=fixtures.START, scope="story_links")
    do_choose_artifacts(story, [ArtifactChoice(photo, "Explaining at the board")],
                        actor=teacher)
    do_withdraw_consent(consent, actor=teacher)
    assert not artifact_allowed(photo)


def test_only_an_editor_of_the_inquiry_may_publish(world: Any) -> None:
    from uptake.stories.actions import do_publish

    story = fixtures.story(world, publish=False)
    with pytest.raises(NotAllowed):
        do_publish(story, actor=world.people["colleague"])


def test_a_share_link_stores_only_its_digest_and_opens_until_revoked(world: Any) -> None:
    from django.http import Http404

    from uptake.stories.access import open_share_link
    from uptake.stories.actions import do_revoke_share_link

    link, secret = fixtures.share_link(world)
    assert secret not in link.token
    assert open_share_link(secret) == link
    do_revoke_share_link(link, actor=world.people["teacher"])
    with pytest.raises(Http404):
        open_share_link(secret)
