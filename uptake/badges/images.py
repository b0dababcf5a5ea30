"""A badge's picture, as PNG and as SVG: what gets baked and what a public page shows.

The version's own image when it has one (a PNG, or a JPEG converted to PNG), otherwise a
plain badge drawn here: a disc in the site's blue, the title wrapped on it, the district's
name below. Both are re-encoded, so no chunk or metadata of the upload travels on (an old
``openbadges`` chunk would confuse a backpack).
"""

from __future__ import annotations

import base64
import io
import textwrap
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from uptake.badges.models import Badge
    from uptake.credentials.models import Version

SIZE = 600
MAX_SIDE = 1200  # a larger upload is scaled down: a badge need not be a poster
BRAND, BRAND_DARK, WHITE = (11, 92, 173), (8, 70, 132), (255, 255, 255)
RASTERS = (".png", ".jpg", ".jpeg")


def _uploaded(version: Version) -> Image.Image | None:
    """The version's image, decoded, or None when it has none (or it cannot be read)."""
    name = str(version.image.name) if version.image else ""
    if not name.lower().endswith(RASTERS):
        return None
    try:
        with default_storage.open(name, "rb") as stored:
            picture = Image.open(io.BytesIO(stored.read()))
            picture.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    if max(picture.size) > MAX_SIDE:
        picture.thumbnail((MAX_SIDE, MAX_SIDE))
    return picture.convert("RGBA" if "A" in picture.getbands() else "RGB")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _lines(title: str, width: int) -> list[str]:
    wrapped = textwrap.wrap(title, width=width, break_long_words=True) or [""]
    if len(wrapped) > 5:
        wrapped = wrapped[:5]
        wrapped[-1] = wrapped[-1].rstrip(" .,;:") + "…"
    return wrapped


def _title_lines(title: str) -> tuple[list[str], int]:
    """The title in lines that fit the disc, and the type size that fits them."""
    for size, width in ((46, 16), (38, 20), (32, 24)):
        lines = _lines(title, width)
        if len(lines) <= 4:
            return lines, size
    return _lines(title, 24), 32


def _drawn(version: Version) -> Image.Image:
    picture = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=BRAND_DARK)
    draw.ellipse((30, 30, SIZE - 30, SIZE - 30), fill=BRAND, outline=WHITE, width=4)
    lines, size = _title_lines(version.title)
    font = _font(size)
    step = int(size * 1.2)
    top = SIZE // 2 - 40 - (len(lines) * step) // 2
    for number, line in enumerate(lines):
        draw.text((SIZE // 2, top + number * step), line, font=font, fill=WHITE, anchor="mt")
    rule = top + len(lines) * step + 18
    draw.line((SIZE // 2 - 90, rule, SIZE // 2 + 90, rule), fill=WHITE, width=3)
    district = _lines(version.credential.district.name, 28)[:2]
    small = _font(26)
    for number, line in enumerate(district):
        draw.text((SIZE // 2, rule + 22 + number * 32), line, font=small, fill=WHITE,
                  anchor="mt")
    return picture


def _png(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def badge_png(version: Version) -> bytes:
    """The badge's picture as PNG bytes (the same bytes for the same version)."""
    picture = _uploaded(version)
    return _png(picture if picture is not None else _drawn(version))


def badge_svg(version: Version) -> str:
    """The badge as SVG: the version's image embedded as a PNG data URI, or a plain disc
    with the title and the district's name as text (escaped)."""
    title = escape(version.title)

    def head(width: int, height: int) -> str:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                f'viewBox="0 0 {width} {height}" role="img" aria-label="{title}">'
                f"<title>{title}</title>")

    picture = _uploaded(version)
    if picture is not None:
        width, height = picture.size
        data = base64.b64encode(_png(picture)).decode("ascii")
        return (head(width, height) + f'<image width="{width}" height="{height}" '
                f'href="data:image/png;base64,{data}"/></svg>')
    lines, size = _title_lines(version.title)
    step = int(size * 1.2)
    top = SIZE // 2 - 40 - (len(lines) * step) // 2 + size
    texts = "".join(f'<text x="300" y="{top + n * step}" font-size="{size}">{escape(line)}'
                    "</text>" for n, line in enumerate(lines))
    rule = top - size + len(lines) * step + 18
    district = "".join(
        f'<text x="300" y="{rule + 48 + n * 32}" font-size="26">{escape(line)}</text>'
        for n, line in enumerate(_lines(version.credential.district.name, 28)[:2]))
    return (head(SIZE, SIZE)
            + '<circle cx="300" cy="300" r="292" fill="#084684"/>'
              '<circle cx="300" cy="300" r="270" fill="#0b5cad" stroke="#fff" '
              'stroke-width="4"/>'
              '<g fill="#fff" text-anchor="middle" font-family="system-ui, sans-serif">'
            + texts
            + f'<line x1="210" y1="{rule}" x2="390" y2="{rule}" stroke="#fff" '
              'stroke-width="3"/>'
            + district + "</g></svg>")


def baked_png(badge: Badge) -> bytes:
    """The badge's picture with its signed credential baked in, byte for byte."""
    from uptake.openbadges import baking

    return bytes(baking.bake_png(badge_png(badge.award.version), badge.document))


def baked_svg(badge: Badge) -> bytes:
    from uptake.openbadges import baking

    return bytes(baking.bake_svg(badge_svg(badge.award.version),
                                 credential_json=badge.document))
