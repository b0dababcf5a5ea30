"""The signed credential carries what the award means: the standards it is aligned to, the
scoring guide as rubrics and the level each criterion reached, the CEUs, the image, the
dates of the work, and links to her practices published in the library (only those)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from uptake.badges.tests.fixtures import document

pytestmark = pytest.mark.django_db

TITLE = "Learning in professional networks"
REFLECTION = " ".join(["Following the grade 3 literacy chat changed how I plan read-alouds."]
                      * 40)


def png_upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 92, 173)).save(buffer, format="PNG")
    return SimpleUploadedFile("badge.png", buffer.getvalue(), content_type="image/png")


def one_tier_version(w: Any, *, image: bool = True) -> Any:
    """The social-media preset (one tier, three criteria, 1.0 CEU), aligned to two
    standards, with an image, published."""
    from uptake.credentials.actions import (
        do_create_credential,
        do_publish,
        do_set_image,
        do_set_links,
    )
    from uptake.learning.models import FrameworkElement

    coordinator = w.people["coordinator"]
    version = do_create_credential(actor=coordinator, title=TITLE, preset="social_media",
                                   competency="Learns deliberately in professional networks.")
    elements = list(FrameworkElement.objects.filter(framework__district=w.district)
                    .order_by("pk")[:2])
    assert len(elements) == 2
    do_set_links(version, actor=coordinator, elements=elements)
    if image:
        do_set_image(version, actor=coordinator, alt="A speech bubble", upload=png_upload())
    return do_publish(version, actor=coordinator)


def earned(w: Any, version: Any, *, inquiry: Any = None) -> Any:
    """Jamie's work on the one tier, sent (with ``inquiry`` among it) and awarded through
    the workflow: the award hook issues the badge."""
    from uptake.credentials.actions import (
        do_add_item,
        do_decide,
        do_start_submission,
        do_submit,
        do_update_submission,
    )
    from uptake.credentials.models import Award
    from uptake.learning.actions import SourceFields, do_add_source

    teacher = w.people["teacher"]
    tier = version.tiers.get()
    submission = do_start_submission(tier, actor=teacher)
    for n in range(3):
        source = do_add_source(owner=teacher, fields=SourceFields(
            kind="webinar", title=f"Literacy chat {n}", learned_on=date(2026, 9, 1 + n),
            hours=Decimal("1"), link=f"https://example.org/chat/{n}"))
        do_add_item(submission, actor=teacher, kind="source", record_id=source.pk)
    if inquiry is not None:
        do_add_item(submission, actor=teacher, kind="inquiry", record_id=inquiry.pk)
    do_update_submission(submission, actor=teacher, reflection=REFLECTION)
    submission = do_submit(submission, actor=teacher)
    review = submission.rounds.get(outcome="").reviews.get(decided_at__isnull=True)
    criteria = list(tier.criteria.order_by("order", "pk"))
    do_decide(review, actor=review.assessor, decision="award", comment="Well documented.",
              scores={c.pk: (1, "") for c in criteria})
    return Award.objects.get(educator=teacher, version=version)


def practice(w: Any, inquiry: Any, title: str, *, publish: bool) -> Any:
    from uptake.library.actions import PracticeFields, do_create_practice

    return do_create_practice(w.people["teacher"], PracticeFields(
        title=title, overview="Read-alouds planned from the chat's suggestions.",
        steps="1. Choose the book. 2. Plan three stops.", source_inquiry=inquiry),
        publish=publish)


def test_an_award_through_the_workflow_carries_everything(world: Any) -> None:
    from uptake.badges import documents
    from uptake.badges.models import Badge
    from uptake.inquiry.actions import do_create_inquiry
    from uptake.library.actions import do_unpublish_practice

    inquiry = do_create_inquiry(world.people["teacher"], title="Read-alouds from the chat")
    shared = practice(world, inquiry, "Chat-planned read-alouds", publish=True)
    practice(world, inquiry, "A draft nobody may read", publish=False)
    withdrawn = practice(world, inquiry, "Published, then taken back", publish=True)
    do_unpublish_practice(withdrawn, actor=world.people["teacher"])
    other = do_create_inquiry(world.people["teacher"], title="Not sent")
    practice(world, other, "From an inquiry not sent", publish=True)
    version = one_tier_version(world)
    award = earned(world, version, inquiry=inquiry)

    badge = Badge.objects.get(award=award)  # issued by the award hook
    credential = document(badge)
    assert documents.problems({k: v for k, v in credential.items() if k != "proof"}) == []
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]

    # Alignment to the version's two standards, each with an absolute URL.
    assert len(achievement["alignment"]) == 2
    for target in achievement["alignment"]:
        assert target["type"] == ["Alignment"]
        assert target["targetUrl"].startswith(documents.achievement_url(version) + "#")
        assert target["targetType"] == "ext:FrameworkElement"
        assert target["targetCode"] and target["targetFramework"] and target["targetName"]

    # One rubric per criterion of the tier, levels low to high, the passing one required.
    tier = version.tiers.get()
    rubrics = achievement["resultDescription"]
    assert len(rubrics) == tier.criteria.count() == 3
    for rubric in rubrics:
        assert rubric["resultType"] == "RubricCriterionLevel"
        assert [lvl["name"] for lvl in rubric["rubricCriterionLevel"]] == tier.levels
        assert rubric["requiredLevel"] == rubric["rubricCriterionLevel"][1]["id"]
        assert rubric["rubricCriterionLevel"][0]["id"].endswith("-level-0")
        assert rubric["rubricCriterionLevel"][1]["description"]

    # The level each criterion reached, pointing into those rubrics.
    levels = {lvl["id"] for r in rubrics for lvl in r["rubricCriterionLevel"]}
    assert len(subject["result"]) == 3
    for result in subject["result"]:
        assert result["achievedLevel"] in levels
        assert result["achievedLevel"].endswith("-level-1")
        assert result["resultDescription"] in {r["id"] for r in rubrics}

    # CEUs: the tiers' together.
    assert subject["creditsEarned"] == pytest.approx(1.0)
    assert achievement["creditsAvailable"] == pytest.approx(1.0)

    # The image, served publicly.
    assert achievement["image"]["id"] == documents.achievement_image_url(version)
    assert achievement["image"]["caption"] == "A speech bubble"
    assert achievement["tag"] and achievement["version"] == str(version.number)

    # The work's dates: the first sending to the award.
    assert subject["activityStartDate"] <= subject["activityEndDate"]
    assert subject["activityEndDate"] == documents.iso(award.awarded_at)

    # Evidence: only the published practice from the inquiry she sent.
    assert [e["name"] for e in credential["evidence"]] == [shared.title]
    (link,) = credential["evidence"]
    assert link["id"].endswith(f"/library/{shared.pk}/")
    assert link["type"] == ["Evidence"] and link["narrative"]


def test_without_image_credits_or_evidence_those_fields_are_left_out(world: Any) -> None:
    from uptake.badges.models import Badge

    version = one_tier_version(world, image=False)
    version.tiers.update(ceus=Decimal("0"))
    award = earned(world, version)
    credential = document(Badge.objects.get(award=award))
    achievement = credential["credentialSubject"]["achievement"]
    assert "image" not in achievement
    assert "creditsAvailable" not in achievement
    assert "creditsEarned" not in credential["credentialSubject"]
    assert "evidence" not in credential


def test_the_achievement_image_is_public_and_only_for_a_published_version(
        world: Any, client: Any) -> None:
    from django.urls import reverse

    version = one_tier_version(world)
    response = client.get(reverse("badges:achievement_image", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")

    bare = one_tier_version_titled(world, "No picture", image=False)
    assert client.get(reverse("badges:achievement_image", args=[bare.pk])).status_code == 404
    assert client.get(reverse("badges:achievement_image", args=[999999])).status_code == 404


def one_tier_version_titled(w: Any, title: str, *, image: bool) -> Any:
    from uptake.credentials.actions import do_create_credential, do_publish

    version = do_create_credential(actor=w.people["coordinator"], title=title,
                                   preset="social_media", competency="Learns.")
    return do_publish(version, actor=w.people["coordinator"])


def test_a_draft_image_is_not_served(world: Any, client: Any) -> None:
    from django.urls import reverse

    from uptake.credentials.actions import do_create_credential, do_set_image

    coordinator = world.people["coordinator"]
    draft = do_create_credential(actor=coordinator, title="Draft", preset="social_media",
                                 competency="Learns.")
    do_set_image(draft, actor=coordinator, alt="A draft picture", upload=png_upload())
    assert client.get(reverse("badges:achievement_image", args=[draft.pk])).status_code == 404


def test_every_field_passes_the_checks_on_its_own(world: Any) -> None:
    """Each enrichment alone is accepted by the schema and defines every term."""
    from uptake.badges import documents
    from uptake.badges.tests.fixtures import issued

    version = one_tier_version(world)
    award = earned(world, version)
    base = {k: v for k, v in document(issued(world)).items() if k != "proof"}
    full = documents.unsigned_credential(award.badge, award, now=award.awarded_at)
    subject, achievement = full["credentialSubject"], full["credentialSubject"]["achievement"]
    for key in ("alignment", "resultDescription", "creditsAvailable", "image", "tag",
                "version"):
        one = {**base, "credentialSubject": {**base["credentialSubject"], "achievement": {
            **base["credentialSubject"]["achievement"], key: achievement[key]}}}
        assert documents.problems(one) == [], key
    for key in ("result", "creditsEarned", "activityStartDate", "activityEndDate"):
        one = {**base, "credentialSubject": {**base["credentialSubject"], key: subject[key]}}
        assert documents.problems(one) == [], key


def test_a_broken_credential_is_not_issued_and_the_award_stands(
        world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from uptake.badges import documents
    from uptake.badges.models import Badge, IssueProblem
    from uptake.credentials.models import Award

    real = documents.achievement

    def broken(version: Any) -> dict[str, Any]:
        return {**real(version), "favouriteColour": "blue"}

    monkeypatch.setattr(documents, "achievement", broken)
    version = one_tier_version(world)
    award = earned(world, version)
    assert Award.objects.filter(pk=award.pk).exists()
    assert not Badge.objects.filter(award=award).exists()
    (problem,) = IssueProblem.objects.filter(award=award)
    assert any("favouriteColour" in p for p in problem.problems)
    assert all(p.startswith(("Schema: ", "Undefined term: ")) for p in problem.problems)
