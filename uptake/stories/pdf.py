"""A story as a one-page PDF for a parent or a board member (WeasyPrint, tagged PDF/UA-1).

``render_story_pdf(snapshot, language=, artifact_images=)`` draws a snapshot (published,
or a draft's preview) with ``stories/pdf.html``, which includes the same partial as the
family page (``stories/_story.html``), so the PDF says what the page says. Charts are the
snapshot's own SVG drawn inline, so they stay vectors; text is DejaVu, embedded and
extractable. The document is tagged (PDF/UA-1), its language and title set.

``readable_snapshot(snapshot, inquiry_id=)`` is what may be drawn *now*: the snapshot less
any artifact whose consent was withdrawn since it was taken, or that was deleted or moved
to another inquiry (checked on every render), with the images of the artifacts that remain
read from storage, shrunk to print size.

Nothing is fetched while rendering: the only URLs WeasyPrint may resolve are the
``artifact:<id>`` images handed to it; any other URL (a link an artifact points to, an
image URL in a teacher's words) is refused by the URL fetcher.
"""

from __future__ import annotations

import io
import logging
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

TEMPLATE = "stories/pdf.html"
# The print stylesheet alone: the family page's is for screens (large type, phone widths).
STYLESHEETS = ("stories/story-print.css",)
IMAGE_SCHEME = "artifact:"
# Types WeasyPrint draws from an upload; anything else is listed, never embedded.
EMBEDDABLE = {"image/jpeg", "image/png", "image/gif", "image/webp"}
# An image is printed at most about 3.5 inches wide: 1,200 pixels is 340 dpi there.
PRINT_PIXELS = 1200
MAX_IMAGE_BYTES = 25 * 1024 * 1024
# A story that runs onto a second page (not a third) is laid out again, compact.
COMPACT_TRIED_AT = 2


@dataclass(frozen=True)
class Image:
    """An artifact's image, ready to embed."""

    artifact_id: int
    data: bytes
    content_type: str

    @property
    def src(self) -> str:
        return f"{IMAGE_SCHEME}{self.artifact_id}"


def _languages() -> set[str]:
    return {code for code, _ in settings.LANGUAGES}


def pdf_language(requested: str | None, snapshot: dict[str, Any]) -> str:
    """The interface language of the PDF: the one asked for (the family page's), else the
    language the story is written in, else English."""
    for code in (requested, snapshot.get("language"), "en"):
        if code in _languages():
            return str(code)
    return "en"


def _shrink(data: bytes, content_type: str) -> tuple[bytes, str]:
    """The image at print size (at most ``PRINT_PIXELS`` on its long side), without its
    metadata; the original when it is small already or Pillow cannot read it."""
    from PIL import Image as Pil
    from PIL import ImageOps

    try:
        with Pil.open(io.BytesIO(data)) as opened:
            if getattr(opened, "n_frames", 1) > 1:
                return data, content_type  # an animation: kept as it is (first frame drawn)
            if content_type == "image/jpeg":
                # Decode at the nearest scale at least print size: a phone photo is
                # read at an eighth or a quarter of its pixels, several times faster.
                opened.draft("RGB", (PRINT_PIXELS, PRINT_PIXELS))
            picture = ImageOps.exif_transpose(opened)
            if max(picture.size) <= PRINT_PIXELS and content_type in {"image/jpeg",
                                                                      "image/png"}:
                return data, content_type
            picture.thumbnail((PRINT_PIXELS, PRINT_PIXELS))
            out = io.BytesIO()
            if picture.mode in {"RGBA", "LA", "P"}:
                picture.save(out, "PNG", optimize=True)
                return out.getvalue(), "image/png"
            picture.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            return out.getvalue(), "image/jpeg"
    except Exception:  # an unreadable image is left out, never fatal
        logger.warning("An artifact image could not be read for a story PDF.")
        return b"", content_type


def load_image(artifact: Any) -> Image | None:
    """The artifact's stored image, shrunk to print size, or None (no file, not an image
    WeasyPrint draws, too large, or unreadable)."""
    if not artifact.file or artifact.content_type not in EMBEDDABLE:
        return None
    if artifact.size and artifact.size > MAX_IMAGE_BYTES:
        return None
    try:
        with default_storage.open(str(artifact.file.name), "rb") as stored:
            data = stored.read(MAX_IMAGE_BYTES + 1)
    except OSError:
        logger.warning("The stored file of artifact %s is missing.", artifact.pk)
        return None
    if len(data) > MAX_IMAGE_BYTES:
        return None
    data, content_type = _shrink(data, artifact.content_type)
    return Image(artifact.pk, data, content_type) if data else None


def readable_snapshot(snapshot: dict[str, Any], *, inquiry_id: int
                      ) -> tuple[dict[str, Any], dict[int, Image]]:
    """The snapshot as it may be drawn now, and the images of its artifacts.

    An artifact is left out, whole, unless it still exists, is still evidence of the
    story's inquiry (``inquiry_id``) and still may be shown (consent withdrawn since the
    snapshot was taken takes it out); the others' images are read from storage."""
    from uptake.stories.snapshot import shown_now

    shown = deepcopy(snapshot)
    images: dict[int, Image] = {}
    kept = []
    for piece, artifact in shown_now(shown, inquiry_id=inquiry_id):
        kept.append(piece)
        if piece.get("is_image") and piece.get("has_file"):
            image = load_image(artifact)
            if image is not None:
                images[artifact.pk] = image
    shown["artifacts"] = kept
    return shown, images


def _fetcher(images: dict[int, Image]) -> Any:
    """A WeasyPrint URL fetcher that serves the handed images and refuses everything else
    (no file, no network: a story's words never make the server fetch anything)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    by_src = {image.src: image for image in images.values()}

    class OnlyOurImages(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            image = by_src.get(url)
            if image is None:
                raise ValueError("Story PDFs load nothing from outside.")
            return URLFetcherResponse(url, body=image.data,
                                      headers={"Content-Type": image.content_type})

    return OnlyOurImages()


def _stylesheets() -> list[Any]:
    import weasyprint

    sheets = []
    for name in STYLESHEETS:
        path = finders.find(name)
        if path:
            sheets.append(weasyprint.CSS(filename=str(path)))
    return sheets


def render_story_html(snapshot: dict[str, Any], *, language: str,
                      artifact_images: dict[int, Image] | None = None,
                      draft: bool = False, compact: bool = False) -> str:
    """The HTML the PDF is drawn from (in ``language``, the interface's language);
    ``compact``: the tighter layout tried when the story runs onto a second page."""
    images = artifact_images or {}

    def artifact_url(artifact_id: int) -> str:
        image = images.get(artifact_id)
        return image.src if image is not None else ""

    with translation.override(language):
        return render_to_string(TEMPLATE, {
            "snapshot": snapshot, "language": language, "draft": draft,
            "compact": compact, "artifact_url": artifact_url})


def render_story_pdf(snapshot: dict[str, Any], *, language: str,
                     artifact_images: dict[int, Image] | None = None,
                     draft: bool = False) -> bytes:
    """The story as a tagged PDF/UA-1 document (one Letter page for a typical story).

    Laid out first in the regular layout; if that runs onto a second page, laid out again
    in the compact one (smaller type, charts and photos), kept if it fits one page.
    ``artifact_images`` maps an artifact id to its image; an artifact without one is
    printed by its title, caption and description only."""
    import weasyprint

    images = artifact_images or {}
    options: dict[str, Any] = {"stylesheets": _stylesheets(), "pdf_variant": "pdf/ua-1",
                               "pdf_tags": True}

    def laid_out(compact: bool) -> Any:
        html = render_story_html(snapshot, language=language, artifact_images=images,
                                 draft=draft, compact=compact)
        return weasyprint.HTML(string=html, url_fetcher=_fetcher(images)).render(**options)

    document = laid_out(compact=False)
    if len(document.pages) == COMPACT_TRIED_AT:
        tighter = laid_out(compact=True)
        if len(tighter.pages) == 1:
            document = tighter
    pdf = document.write_pdf(**{k: v for k, v in options.items() if k != "stylesheets"})
    assert isinstance(pdf, bytes)
    return pdf
