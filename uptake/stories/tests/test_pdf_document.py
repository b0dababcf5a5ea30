"""The story PDF itself: what a parent or a board member reads, and what a screen reader,
a search or a copy and paste gets out of it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from uptake.stories import wording
from uptake.stories.pdf import readable_snapshot, render_story_pdf
from uptake.stories.tests import fixtures
from uptake.stories.tests.pdf_reading import (
    identifiers_in,
    open_pdf,
    raster_images,
    structure,
    student_identifiers,
    text_of,
)

FILESYSTEM = "django.core.files.storage.FileSystemStorage"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": FILESYSTEM, "OPTIONS": {"location": str(root)}}}
    return root


def _pdf(story: Any, *, language: str = "en") -> bytes:
    shown, images = readable_snapshot(story.snapshot, inquiry_id=story.inquiry_id)
    return render_story_pdf(shown, language=language, artifact_images=images)


def _photo(world: Any, *, title: str = "Anchor chart", identifies: bool = False,
           size: tuple[int, int] = (2400, 1600)) -> Any:
    """A photo of the story's inquiry, stored as a real JPEG."""
    from django.core.files.base import ContentFile
    from PIL import Image

    from uptake.evidence.models import Artifact

    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG")
    return Artifact.objects.create(
        district=world.district, owner=world.people["teacher"], kind="photo", title=title,
        description="Sentence starters the class wrote together", guskey_level=4,
        identifies_students=identifies, content_type="image/jpeg", size=out.tell(),
        inquiry=fixtures.inquiry_with_data(world), original_name="chart.jpg",
        file=ContentFile(out.getvalue(), name="chart.jpg"))


def _with_photos(world: Any, *artifacts: Any) -> Any:
    from uptake.stories.actions import ArtifactChoice, do_choose_artifacts, do_publish

    story = fixtures.story(world)
    teacher = world.people["teacher"]
    do_choose_artifacts(story, [ArtifactChoice(a, caption=f"{a.title}, week 9")
                                for a in artifacts], actor=teacher)
    return do_publish(story, actor=teacher)


def test_it_says_what_the_page_says_title_question_and_verdict(world: Any) -> None:
    story = fixtures.story(world)
    text = " ".join(text_of(_pdf(story)).split())
    assert "Math talk" in text
    assert "Will talk moves help?" in text
    assert "Four talk moves every lesson" in text
    assert "More of my students explained their thinking." in text
    chart = story.snapshot["charts"][0]
    with translation.override("en"):
        assert wording.verdict_heading(chart["verdict"]) in text
    with translation.override("en"):
        assert wording.chart_explainer(chart) in text  # what the chart shows, in a sentence


def test_it_never_contains_a_student_s_name_pseudonym_or_roster_id(world: Any) -> None:
    story = fixtures.story(world)
    for language in ("en", "es"):
        text = text_of(_pdf(story, language=language))
        assert identifiers_in(text, world) == []
        assert "Kid" not in text and "stu-" not in text


def test_the_identifier_check_finds_a_name_when_one_is_there(world: Any) -> None:
    """The check above can fail: a name the teacher typed into her words is found."""
    story = fixtures.story(world)
    kid = world.students[3]
    story.snapshot = {**story.snapshot, "what_happened": f"{kid.given_name} {kid.family_name} "
                                                         f"({kid.pseudonym}) spoke first."}
    found = identifiers_in(text_of(_pdf(story)), world)
    assert kid.given_name in found and kid.pseudonym in found
    assert set(found) <= student_identifiers(world)


def test_it_is_a_tagged_pdf_ua_document_with_its_language_and_title(world: Any) -> None:
    story = fixtures.story(world)
    for language in ("en", "es"):
        document = open_pdf(_pdf(story, language=language))
        root = document.Root
        assert root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == language
        assert str(document.docinfo["/Title"]) == "Math talk"
        assert root.ViewerPreferences.DisplayDocTitle is True
        metadata = document.open_metadata()
        assert metadata.get("pdfuaid:part") == "1"
        assert metadata.get("dc:title") == "Math talk"


def test_its_headings_and_figures_are_tagged_with_text_alternatives(world: Any,
                                                                     media: Path) -> None:
    story = _with_photos(world, _photo(world))
    tags = structure(_pdf(story))
    names = [tag for tag, _alt in tags]
    assert names.index("H1") < names.index("H2") < names.index("H3")
    figures = [alt for tag, alt in tags if tag == "Figure"]
    chart = story.snapshot["charts"][0]
    assert figures[0] is not None and figures[0].startswith(chart["title"]), \
        "the chart is a figure whose alternative text names it"
    assert "Sentence starters the class wrote together" in figures, \
        "the photo's alternative text is its description"
    assert "Table" in names and "TH" in names, "the group results are a real table"


def test_its_fonts_are_embedded_dejavu(world: Any) -> None:
    document = open_pdf(_pdf(fixtures.story(world)))
    fonts = set()
    for page in document.pages:
        for _name, font in page.Resources.get("/Font", {}).items():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            fonts.add(str(font.BaseFont).split("+", 1)[-1])
            assert "/FontFile2" in descendant.FontDescriptor, font.BaseFont
    assert fonts and all(name.startswith("DejaVu") for name in fonts), fonts


def test_the_fixture_story_fits_one_page(world: Any) -> None:
    assert len(open_pdf(_pdf(fixtures.story(world))).pages) == 1


def test_the_chart_is_drawn_as_vectors_not_a_picture(world: Any) -> None:
    story = fixtures.story(world)
    pdf = _pdf(story)
    assert raster_images(pdf) == []
    # Its axis labels are text in the PDF (a picture of a chart would have none).
    first, last = story.snapshot["charts"][0]["points"][0], \
        story.snapshot["charts"][0]["points"][-1]
    text = text_of(pdf)
    assert first["name"] in text and last["name"] in text


def test_a_typical_story_with_two_photos_fits_one_page(world: Any, media: Path) -> None:
    story = _with_photos(world, _photo(world), _photo(world, title="Talk-move cards",
                                                      size=(900, 1200)))
    pdf = _pdf(story)
    images = raster_images(pdf)
    assert len(images) == 2, "the two photos, and nothing else, are pictures"
    assert max(max(size) for size in images) <= 1200, "a photo is shrunk to print size"
    assert len(open_pdf(pdf).pages) == 1
    text = " ".join(text_of(pdf).split())
    assert "Anchor chart, week 9" in text and "Talk-move cards, week 9" in text


WORDS = ("In the fall most of my students could get an answer, but few could say how they "
         "got there; the same three hands went up every time I asked why. ")


def test_a_fuller_story_with_two_photos_is_tightened_to_fit_one_page(
        world: Any, media: Path, monkeypatch: Any) -> None:
    from uptake.stories import pdf
    from uptake.stories.actions import do_publish, do_update_story

    story = _with_photos(world, _photo(world), _photo(world, title="Talk-move cards"))
    teacher = world.people["teacher"]
    parts: dict[str, Any] = {name: (WORDS * 5)[:330] + f" End of {name}."
             for name in ("question", "what_changed", "what_happened", "whats_next")}
    do_update_story(story, actor=teacher, **parts)
    story = do_publish(story, actor=teacher)
    pdf_bytes = _pdf(story)
    assert len(open_pdf(pdf_bytes).pages) == 1
    text = " ".join(text_of(pdf_bytes).split())
    for name in parts:
        assert f"End of {name}." in text
    with monkeypatch.context() as patched:
        patched.setattr(pdf, "COMPACT_TRIED_AT", 0)  # never tighten
        assert len(open_pdf(_pdf(story)).pages) == 2, "the regular layout needs two"


def test_a_story_too_long_for_one_page_is_printed_whole_on_more(world: Any) -> None:
    from uptake.stories.actions import TEXT_MAX, do_publish, do_update_story

    story = fixtures.story(world)
    teacher = world.people["teacher"]
    parts: dict[str, Any] = {name: (WORDS * 40)[:TEXT_MAX - 40] + f" End of {name}."
             for name in ("question", "what_changed", "what_happened", "whats_next")}
    do_update_story(story, actor=teacher, **parts)
    pdf = _pdf(do_publish(story, actor=teacher))
    assert len(open_pdf(pdf).pages) > 1
    text = " ".join(text_of(pdf).split())
    for name in parts:
        assert f"End of {name}." in text


def test_a_photo_whose_consent_is_withdrawn_leaves_the_pdf_at_once(world: Any,
                                                                    media: Path) -> None:
    from datetime import date

    from uptake.stories.actions import do_record_consent, do_withdraw_consent

    teacher = world.people["teacher"]
    photo = _photo(world, title="Reading corner", identifies=True)
    consent = do_record_consent(photo, actor=teacher, given_by="the student's parent",
                                given_on=date(2026, 10, 1), scope="story_links")
    story = _with_photos(world, photo)
    assert len(raster_images(_pdf(story))) == 1
    assert "Reading corner" in text_of(_pdf(story))

    do_withdraw_consent(consent, actor=teacher)
    pdf = _pdf(story)  # the published snapshot still lists it; the PDF does not draw it
    assert any(a["title"] == "Reading corner" for a in story.snapshot["artifacts"])
    assert raster_images(pdf) == []
    assert "Reading corner" not in text_of(pdf)


def test_a_photo_no_longer_evidence_of_the_inquiry_leaves_the_pdf(world: Any,
                                                                 media: Path) -> None:
    photo = _photo(world, title="Reading corner")
    story = _with_photos(world, photo)
    photo.inquiry = None
    photo.save(update_fields=["inquiry"])
    pdf = _pdf(story)
    assert raster_images(pdf) == []
    assert "Reading corner" not in text_of(pdf)


def test_a_missing_file_prints_the_artifact_without_its_picture(world: Any,
                                                                media: Path) -> None:
    from django.core.files.storage import default_storage

    photo = _photo(world)
    story = _with_photos(world, photo)
    default_storage.delete(photo.file.name)
    pdf = _pdf(story)
    assert raster_images(pdf) == []
    assert "Anchor chart, week 9" in " ".join(text_of(pdf).split())


def test_the_interface_is_in_the_reader_s_language_and_the_teacher_s_words_in_hers(
        world: Any) -> None:
    story = fixtures.story(world)
    text = " ".join(text_of(_pdf(story, language="es")).split())
    with translation.override("es"):
        from django.utils.translation import gettext

        assert gettext("The question") in text
        assert wording.verdict_heading(story.snapshot["charts"][0]["verdict"]) in text
    assert "Will talk moves help?" in text  # her words are never translated


def test_it_fetches_nothing_from_outside(world: Any) -> None:
    """A story's words cannot make the server fetch a file or a URL while rendering."""
    from uptake.stories.pdf import _fetcher

    fetcher = _fetcher({})
    for url in ("file:///etc/passwd", "http://127.0.0.1:8000/admin/", "artifact:1"):
        with pytest.raises(ValueError, match="load nothing"):
            fetcher.fetch(url)
