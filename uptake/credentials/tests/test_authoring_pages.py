"""A district coordinator (Renata) authors micro-credentials through the pages: from a
preset or blank, the draft's words, links, tiers and scoring guides, the publish check,
frozen published versions and the next version, retiring, and the district's policy."""

from __future__ import annotations

from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.urls import reverse

from uptake.credentials.tests import examples_authoring as ex
from uptake.credentials.tests import fixtures as f

pytestmark = pytest.mark.django_db


def _renata(world: Any, login: Any) -> Any:
    return login(world.people["coordinator"])


def _html(response: Any) -> str:
    """The page as a reader sees its words (entities such as &#x27; decoded)."""
    return unescape(response.content.decode())


def _url(name: str, *args: Any) -> str:
    return reverse(f"credentials:{name}", args=args)


def _new(client: Any, **data: str) -> Any:
    from uptake.credentials.models import Version

    response = client.post(_url("credential_new"), data)
    assert response.status_code == 302, _html(response)[:3000]
    return Version.objects.latest("pk")


TIER = {"name": "Observation", "kind": "implementation", "description": "Invite a peer.",
        "min_sources": "0", "min_research_sources": "0", "min_artifacts": "1",
        "min_links": "0", "impact_rule": "", "reflection_min_words": "100",
        "reflection_max_words": "300", "stipend": "50", "ceus": "0.5"}


# ------------------------------------------------------------------------ creating

@pytest.mark.parametrize(("preset", "tiers"), [
    ("four_tier", ["Learning", "Implementation", "Impact", "Sharing"]),
    ("data_use", ["SMART goal", "Common formative assessment", "Data dive"]),
    ("social_media", ["Documentation and reflection"]),
])
def test_it_creates_a_draft_from_each_preset_with_its_tiers_and_scoring_guides(
        world: Any, login: Any, preset: str, tiers: list[str]) -> None:
    from uptake.credentials.presets import PRESETS

    client = _renata(world, login)
    assert PRESETS[preset].summary in _html(client.get(_url("authoring")))
    version = _new(client, preset=preset, title="Our own title", competency="Can do it.")
    assert version.is_draft and version.title == "Our own title"
    assert [t.name for t in version.tiers.order_by("order")] == tiers
    for tier, shape in zip(version.tiers.order_by("order"), PRESETS[preset].tiers,
                           strict=True):
        assert [(c.text, c.descriptors) for c in tier.criteria.order_by("order")] == [
            (c.text, c.descriptors) for c in shape.criteria]
        assert tier.stipend == shape.stipend and tier.levels == shape.levels
    page = _html(client.get(_url("version_edit", version.pk)))
    assert all(name in page for name in tiers)


def test_a_blank_credential_has_no_tiers_and_a_title_is_required(world: Any,
                                                                  login: Any) -> None:
    from uptake.credentials.models import Credential

    client = _renata(world, login)
    refused = client.post(_url("credential_new"), {"preset": "", "title": " "})
    assert refused.status_code == 400
    assert "Give the credential a title." in _html(refused)
    assert not Credential.objects.exists()
    version = _new(client, preset="", title="Video coaching")
    assert not version.tiers.exists()


def test_the_list_shows_each_credential_s_state_tiers_work_and_awards(world: Any,
                                                                       login: Any) -> None:
    f.submitted(world)  # Jamie's learning tier is being read
    f.credential(world, title="Draft only", publish=False)
    page = _html(_renata(world, login).get(_url("authoring")))
    assert "Published v1" in page and "Draft only" in page and ">Draft<" in page
    assert "<dt>Work in flight</dt><dd>1</dd>" in page
    assert "<dt>Tiers</dt><dd>4</dd>" in page


# ------------------------------------------------------------------------ publishing

def test_publish_is_refused_with_the_exact_problems_and_nothing_changes(world: Any,
                                                                        login: Any) -> None:
    from uptake.credentials.models import Version

    client = _renata(world, login)
    version = _new(client, preset="", title="Video coaching")
    client.post(_url("tier_new", version.pk), TIER)
    page = _html(client.get(_url("version_edit", version.pk)))
    assert "Write the competency statement" in page  # shown before she tries
    response = client.post(_url("version_publish", version.pk), follow=True)
    shown = _html(response)
    assert ("Not ready to publish: Write the competency statement: what an educator who "
            "earns it can do. “Observation”: add at least one criterion to its scoring "
            "guide.") in shown
    version.refresh_from_db()
    assert version.status == Version.Status.DRAFT and version.published_at is None


def test_a_ready_draft_publishes(world: Any, login: Any) -> None:
    client = _renata(world, login)
    version = ex.draft(world)
    client.post(_url("version_publish", version.pk))
    version.refresh_from_db()
    assert version.status == "published" and version.published_by == world.people[
        "coordinator"]


def test_a_published_version_is_frozen(world: Any, login: Any) -> None:
    client = _renata(world, login)
    version = f.credential(world)
    tier = version.tiers.order_by("order").first()
    criterion = tier.criteria.first()
    before = (version.title, tier.name, tier.levels, criterion.text, version.tiers.count())
    frozen = "A published version is frozen; start a new version to change it."
    for url, data in [
        (_url("version_edit", version.pk), {"title": "Changed", "competency": "x"}),
        (_url("tier_edit", tier.pk), {**TIER, "name": "Changed"}),
        (_url("tier_levels", tier.pk), {"level_0": "No", "level_1": "Yes", "passing": "1"}),
        (_url("criterion_new", tier.pk), {"text": "New", "descriptor_0": "a",
                                          "descriptor_1": "b"}),
        (_url("criterion_edit", criterion.pk), {"text": "Changed", "descriptor_0": "a",
                                                "descriptor_1": "b"}),
        (_url("version_links", version.pk), {}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 409, url
        assert frozen in _html(response), url
    for url in (_url("tier_delete", tier.pk), _url("criterion_delete", criterion.pk),
                _url("tier_move", tier.pk), _url("version_discard", version.pk)):
        assert frozen in _html(client.post(url, follow=True)), url
    version.refresh_from_db()
    tier.refresh_from_db()
    criterion.refresh_from_db()
    assert (version.title, tier.name, tier.levels, criterion.text,
            version.tiers.count()) == before
    page = _html(client.get(_url("version_edit", version.pk)))
    assert "Start version 2" in page and 'name="title"' not in page


def test_a_new_version_copies_the_tiers_and_publishing_it_leaves_work_on_the_old(
        world: Any, login: Any) -> None:
    client = _renata(world, login)
    submission = f.submitted(world)  # Jamie's learning tier, on version 1
    first = submission.tier.version
    response = client.post(_url("credential_revise", first.credential_id))
    second = first.credential.versions.get(number=2)
    assert response["Location"] == _url("version_edit", second.pk)
    assert second.is_draft
    old = [(t.name, t.stipend, [(c.text, c.descriptors) for c in t.criteria.all()])
           for t in first.tiers.all()]
    assert [(t.name, t.stipend, [(c.text, c.descriptors) for c in t.criteria.all()])
            for t in second.tiers.all()] == old
    learning = second.tiers.get(kind="learning")
    changed = client.post(_url("tier_edit", learning.pk), {
        **{k: getattr(learning, k) or "" for k in TIER}, "stipend": "100"})
    assert changed.status_code == 302, _html(changed)
    client.post(_url("version_publish", second.pk))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "published")
    submission.refresh_from_db()
    assert submission.tier.version == first and submission.tier.stipend == Decimal("75")
    assert second.tiers.get(kind="learning").stipend == Decimal("100")
    page = _html(client.get(_url("version_edit", first.pk)))
    assert "This version was superseded" in page
    history = page[page.index('id="history-h"'):]
    assert history.count("<tr>") == 3  # the header and two versions
    assert "by Renata Okafor" in history


# ------------------------------------------------------------------------ tiers

def test_tiers_are_added_moved_and_deleted(world: Any, login: Any) -> None:
    client = _renata(world, login)
    version = _new(client, preset="social_media", title="Networks")
    response = client.post(_url("tier_new", version.pk), TIER)
    added = version.tiers.get(name="Observation")
    assert response["Location"] == _url("tier_edit", added.pk)
    assert (added.order, added.min_artifacts, added.reflection_max_words) == (2, 1, 300)
    client.post(_url("tier_move", added.pk), {"direction": "up"})
    assert [t.name for t in version.tiers.order_by("order")] == [
        "Observation", "Documentation and reflection"]
    client.post(_url("tier_delete", added.pk))
    assert [t.name for t in version.tiers.order_by("order")] == [
        "Documentation and reflection"]


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"stipend": "-5"}, "stipend", "A stipend cannot be negative."),
    ({"reflection_min_words": "600", "reflection_max_words": "500"}, "reflection_max_words",
     "The shortest length (600 words) is longer than the longest (500 words)."),
    ({"min_sources": "1", "min_research_sources": "2"}, "min_research_sources",
     "Research-based sources are among the sources"),
    ({"impact_rule": "min_paired_change"}, "impact_min_change",
     "Say the smallest paired change that counts."),
    ({"name": ""}, "name", "Give the tier a name."),
])
def test_bad_tier_settings_get_the_field_s_message_and_nothing_is_saved(
        world: Any, login: Any, change: dict[str, str], field: str, message: str) -> None:
    client = _renata(world, login)
    version = ex.draft(world)
    tier = version.tiers.order_by("order").first()
    response = client.post(_url("tier_edit", tier.pk), {**TIER, **change})
    assert response.status_code == 400
    html = _html(response)
    assert message in html
    assert f'href="#id_{field}"' in html  # the summary links to the field at fault
    tier.refresh_from_db()
    assert tier.name == "Learning" and tier.stipend == Decimal("75")


def test_the_levels_editor_keeps_descriptors_by_position(world: Any, login: Any) -> None:
    client = _renata(world, login)
    tier = ex.draft(world).tiers.order_by("order").first()
    criterion = tier.criteria.order_by("order").first()
    not_yet, on_track = criterion.descriptors
    response = client.post(_url("tier_levels", tier.pk), {
        "level_0": "Beginning", "level_1": "Developing", "level_2": "Exemplary",
        "passing": "1"})
    assert response.status_code == 302
    tier.refresh_from_db()
    criterion.refresh_from_db()
    assert tier.levels == ["Beginning", "Developing", "Exemplary"]
    assert tier.passing_level == 1
    assert criterion.descriptors == [not_yet, on_track, ""]
    page = _html(client.get(_url("tier_edit", tier.pk)))
    assert "Not described yet" in page
    problems = _html(client.get(_url("version_edit", tier.version_id)))
    assert f"“{tier.name}”, “{criterion.text}”: describe every level." in problems
    client.post(_url("tier_levels", tier.pk), {"level_0": "Beginning", "level_2": "Exemplary",
                                               "passing": "1"})
    tier.refresh_from_db()
    assert tier.levels == ["Beginning", "Developing", "Exemplary"]  # refused: level 2 empty
    response = client.post(_url("tier_levels", tier.pk), {"level_0": "Only one",
                                                          "passing": "1"})
    assert "Choose a level that has a name." in _html(response)


def test_criteria_are_added_edited_and_deleted_with_a_descriptor_per_level(
        world: Any, login: Any) -> None:
    client = _renata(world, login)
    tier = ex.draft(world).tiers.order_by("order").first()
    client.post(_url("criterion_new", tier.pk), {
        "text": "Use of evidence", "descriptor_0": "Asserts", "descriptor_1": "Cites"})
    added = tier.criteria.get(text="Use of evidence")
    assert added.descriptors == ["Asserts", "Cites"] and added.order == 4
    client.post(_url("criterion_edit", added.pk), {
        "text": "Use of evidence", "descriptor_0": "Asserts only", "descriptor_1": "Cites"})
    added.refresh_from_db()
    assert added.descriptors == ["Asserts only", "Cites"]
    refused = client.post(_url("criterion_new", tier.pk), {"text": ""})
    assert "Say what the assessor judges." in _html(refused)
    client.post(_url("criterion_delete", added.pk))
    assert not tier.criteria.filter(text="Use of evidence").exists()


# ------------------------------------------------------------------------ links

def _element(district_coordinator: Any, name: str) -> Any:
    from uptake.learning.actions import do_add_element, do_create_framework

    framework = do_create_framework(actor=district_coordinator, name=name, kind="practice")
    return do_add_element(framework, actor=district_coordinator, code="D1", title="Discourse")


def test_alignment_stack_and_exemplars_are_saved(world: Any, login: Any) -> None:
    from uptake.library.tests import examples as library

    client = _renata(world, login)
    version = ex.draft(world)
    element = _element(world.people["coordinator"], "Our practice")
    practice = library.practice(world)
    base = f.credential(world)
    response = client.post(_url("version_links", version.pk), {
        "elements": [element.pk], "requires": [base.credential_id],
        "exemplars": [practice.pk]})
    assert response.status_code == 302
    assert list(version.elements.all()) == [element]
    assert list(version.requires.all()) == [base.credential]
    assert list(version.exemplars.all()) == [practice]


@pytest.mark.parametrize("what", ["foreign element", "draft practice", "loop"])
def test_bad_links_get_the_field_s_message_and_nothing_is_saved(world: Any, login: Any,
                                                                  what: str) -> None:
    from uptake.library.tests import examples as library

    client = _renata(world, login)
    version = ex.draft(world)
    if what == "foreign element":
        data = {"elements": [_element(world.people["other_coordinator"], "Theirs").pk]}
        field, message = "elements", "Align only to elements of your district's frameworks."
    elif what == "draft practice":
        data = {"exemplars": [library.practice(world, published=False).pk]}
        field, message = "exemplars", ("Choose exemplars among practices published in your "
                                       "district's library.")
    else:  # the published credential requires this one; this one may not require it
        base = f.credential(world)
        revision = f.credential(world).credential
        from uptake.credentials.actions import do_set_links, do_start_revision

        draft2 = do_start_revision(revision, actor=world.people["coordinator"])
        do_set_links(draft2, actor=world.people["coordinator"],
                     requires=[version.credential])
        data = {"requires": [base.credential_id]}
        field, message = "requires", ("A credential cannot require itself, directly or "
                                      "through another credential.")
    response = client.post(_url("version_links", version.pk), data)
    assert response.status_code == 400
    html = _html(response)
    assert message in html and f'href="#id_{field}' in html
    assert not (version.elements.exists() or version.requires.exists()
                or version.exemplars.exists())


# ------------------------------------------------------------------------ image

def _jpeg_with_exif() -> Any:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    image = Image.new("RGB", (16, 16), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x013B] = "Jamie Nguyen"  # Artist
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    assert b"SecretCam" in buffer.getvalue()
    return SimpleUploadedFile("badge.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_an_image_is_stored_without_its_metadata_and_needs_its_text_alternative(
        world: Any, login: Any) -> None:
    from django.core.files.storage import default_storage

    client = _renata(world, login)
    version = f.credential(world, title="With a picture", publish=False)
    refused = client.post(_url("version_image_set", version.pk),
                          {"image": _jpeg_with_exif(), "image_alt": ""})
    assert refused.status_code == 400
    assert "Describe the image in a few words" in _html(refused)
    version.refresh_from_db()
    assert not version.image
    client.post(_url("version_image_set", version.pk),
                {"image": _jpeg_with_exif(), "image_alt": "A red square"})
    version.refresh_from_db()
    assert version.image.name.endswith(".jpg") and version.image_alt == "A red square"
    with default_storage.open(version.image.name, "rb") as stored:
        data = stored.read()
    assert b"SecretCam" not in data and b"Jamie Nguyen" not in data
    served = client.get(_url("version_image", version.pk))
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    page = _html(client.get(_url("version_edit", version.pk)))
    assert 'alt="A red square"' in page


@pytest.mark.parametrize(("name", "content", "message"), [
    ("badge.png", b"<html><script>alert(1)</script></html>", "a web page (HTML)"),
    ("notes.txt", b"just words", "plain text file"),
])
def test_a_file_that_is_not_an_image_is_refused_and_nothing_stored(
        world: Any, login: Any, name: str, content: bytes, message: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _renata(world, login)
    version = f.credential(world, title="With a picture", publish=False)
    response = client.post(_url("version_image_set", version.pk), {
        "image": SimpleUploadedFile(name, content, content_type="image/png"),
        "image_alt": "A badge"})
    assert response.status_code == 400
    assert message in _html(response)
    version.refresh_from_db()
    assert not version.image and version.image_alt == ""


def test_a_webp_image_is_refused_as_neither_png_nor_jpeg(world: Any, login: Any) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "WEBP")
    client = _renata(world, login)
    version = f.credential(world, title="With a picture", publish=False)
    response = client.post(_url("version_image_set", version.pk), {
        "image": SimpleUploadedFile("b.webp", buffer.getvalue()), "image_alt": "A badge"})
    assert "a credential's image is a PNG or JPEG" in _html(response)


def test_an_image_can_be_removed(world: Any, login: Any) -> None:
    client = _renata(world, login)
    version = ex.draft(world)
    client.post(_url("version_image_set", version.pk), {"remove": "on", "image_alt": ""})
    version.refresh_from_db()
    assert not version.image and version.image_alt == ""


# ------------------------------------------------------------------------ the rest

def test_a_draft_is_discarded_and_a_never_published_credential_goes_with_it(
        world: Any, login: Any) -> None:
    from uptake.credentials.models import Credential

    client = _renata(world, login)
    version = ex.draft(world)
    assert "never been published" in _html(client.get(
        _url("version_discard", version.pk)))
    response = client.post(_url("version_discard", version.pk))
    assert response["Location"] == _url("authoring")
    assert not Credential.objects.filter(pk=version.credential_id).exists()


def test_a_credential_is_retired_and_offered_again(world: Any, login: Any) -> None:
    client = _renata(world, login)
    version = f.credential(world)
    client.post(_url("credential_retire", version.credential_id), {"retired": "1"})
    version.credential.refresh_from_db()
    assert version.credential.retired_at is not None
    assert "Offer it again" in _html(client.get(_url("version_edit", version.pk)))
    client.post(_url("credential_retire", version.credential_id), {"retired": "0"})
    version.credential.refresh_from_db()
    assert version.credential.retired_at is None


def test_the_policy_is_saved_and_a_bad_rate_gets_its_message(world: Any, login: Any) -> None:
    from uptake.credentials.assignment import policy_of

    client = _renata(world, login)
    refused = client.post(_url("policy"), {"second_reader": "always",
                                           "contact_hours_per_ceu": "0.1"})
    assert refused.status_code == 400
    assert "Give at least 0.5 hours per CEU." in _html(refused)
    assert policy_of(world.district).second_reader == "on_request"
    client.post(_url("policy"), {"second_reader": "always", "contact_hours_per_ceu": "15",
                                 "accept_social_media": "on"})
    policy = policy_of(world.district)
    assert (policy.exclude_coaches, policy.second_reader, policy.contact_hours_per_ceu,
            policy.count_learning_hours, policy.accept_social_media) == (
        False, "always", Decimal("15"), False, True)
    assert "by Renata Okafor" in _html(client.get(_url("policy")))


def test_a_new_version_shares_the_image_and_removing_it_there_keeps_the_old_one_s(
        world: Any, login: Any) -> None:
    from django.core.files.storage import default_storage

    from uptake.credentials.actions import do_publish

    client = _renata(world, login)
    first = do_publish(ex.draft(world), actor=world.people["coordinator"])
    client.post(_url("credential_revise", first.credential_id))
    second = first.credential.versions.get(number=2)
    assert second.image.name == first.image.name and second.image_alt == first.image_alt
    client.post(_url("version_image_set", second.pk), {"image": ex.png("new.png"),
                                                       "image_alt": "A new badge"})
    second.refresh_from_db()
    assert second.image.name != first.image.name
    assert default_storage.exists(str(first.image.name))  # version 1 still shows its image
    assert client.get(_url("version_image", first.pk)).status_code == 200
