"""Reading a story PDF the way its readers and their tools do: its text as ``pdftotext``
extracts it (a screen reader, a search, a copy and paste), its structure and images as
``pikepdf`` sees them."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pikepdf


def text_of(pdf: bytes) -> str:
    """The PDF's text as ``pdftotext`` (poppler-utils) extracts it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                              capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def open_pdf(pdf: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf))


def _images_in(resources: Any, seen: set[tuple[int, int]]) -> list[Any]:
    """Image XObjects in ``resources``, looking inside form XObjects (an SVG is drawn as
    one) and patterns."""
    found: list[Any] = []
    if resources is None:
        return found
    for group in ("/XObject", "/Pattern"):
        for _name, obj in (resources.get(group) or {}).items():
            if obj.is_indirect:
                if obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
            if obj.get("/Subtype") == "/Image":
                found.append(obj)
            else:
                found += _images_in(obj.get("/Resources"), seen)
    return found


def raster_images(pdf: bytes) -> list[tuple[int, int]]:
    """The size in pixels (width, height) of every raster image the PDF draws (image
    XObjects, however deeply nested)."""
    with open_pdf(pdf) as document:
        seen: set[tuple[int, int]] = set()
        return [(int(image.Width), int(image.Height)) for page in document.pages
                for image in _images_in(page.get("/Resources"), seen)]


def student_identifiers(world: Any) -> set[str]:
    """Every way the test world names a student: given and family names, full names,
    pseudonyms and roster ids."""
    names: set[str] = set()
    for s in world.students:
        names |= {s.given_name, s.family_name, f"{s.given_name} {s.family_name}",
                  s.pseudonym, s.sourced_id}
    return names


def identifiers_in(text: str, world: Any) -> list[str]:
    """The student identifiers ``text`` contains. The fixture's students share their family
    name with their school ("Cedar" of Cedar Elementary), so the names of the world's
    schools are taken out of the text before looking."""
    for school in (world.cedar, world.birch, world.elm):
        text = text.replace(school.name, "")
    return sorted(name for name in student_identifiers(world) if name in text)


def structure(pdf: bytes) -> list[tuple[str, str | None]]:
    """The tagged structure in reading order: (tag, its /Alt text or None) for each
    structure element."""
    found: list[tuple[str, str | None]] = []

    def walk(node: Any) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            alt = node.get("/Alt")
            found.append((str(node.S).lstrip("/"), str(alt) if alt is not None else None))
            if "/K" in node:
                walk(node.K)

    with open_pdf(pdf) as document:
        walk(document.Root.StructTreeRoot.K)
    return found
