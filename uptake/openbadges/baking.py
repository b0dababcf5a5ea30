"""Baking: a credential carried inside its badge image (Open Badges 3.0, section 5.3).

- PNG: one ``iTXt`` chunk with the keyword ``openbadgecredential``, no compression, an empty
  language tag and translated keyword, and the credential (JSON, or a VC-JWT's compact JWS)
  as UTF-8 text. It goes right after ``IHDR``; any earlier one is replaced.
- SVG: the root element declares ``xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"``
  and its first child is one ``<openbadges:credential>``: the JSON in a CDATA section, or,
  for a VC-JWT, an empty element whose ``verify`` attribute holds the JWS.

Open Badges 2.0 (section "Baking" of the 2.0 specification) is the same shape with the PNG
keyword ``openbadges``, the namespace ``http://openbadges.org`` and the element
``<openbadges:assertion>``; ``ob2=True`` (or ``keyword=OB2_KEYWORD``) selects it for the 2.0
export.

SVG is parsed with defusedxml: a document that declares entities or refers to external ones
is refused (no billion laughs, no XXE). Everything here is pure: bytes in, bytes out.
"""

from __future__ import annotations

import io
import zlib
from typing import Any
from xml.dom import Node
from xml.dom.minidom import Document, Element
from xml.parsers.expat import ExpatError

import png
from defusedxml import DefusedXmlException
from defusedxml.minidom import parseString

KEYWORD = "openbadgecredential"
OB2_KEYWORD = "openbadges"
NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
OB2_NAMESPACE = "http://openbadges.org"
PREFIX = "openbadges"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# PNG ----------------------------------------------------------------------------------------

def _itxt(keyword: str, text: str) -> bytes:
    """An uncompressed iTXt chunk body: keyword, NUL, flag 0, method 0, "" NUL, "" NUL, text."""
    separator, uncompressed, method, language, translated = b"\x00", b"\x00", b"\x00", b"", b""
    return (keyword.encode("latin-1") + separator + uncompressed + method
            + language + separator + translated + separator + text.encode("utf-8"))


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("This is not a PNG image: it does not start with the PNG signature.")
    try:
        return list(png.Reader(bytes=data).chunks())
    except (png.Error, EOFError, ValueError) as error:
        raise ValueError(f"This PNG image is damaged and cannot be read ({error}).") from error


def _itxt_parts(body: bytes) -> tuple[str, str] | None:
    """(keyword, text) of an iTXt chunk body, or None when it is malformed."""
    keyword, sep, rest = body.partition(b"\x00")
    if not sep or len(rest) < 2:
        return None
    flag, method, rest = rest[0], rest[1], rest[2:]
    _language, sep1, rest = rest.partition(b"\x00")
    _translated, sep2, text = rest.partition(b"\x00")
    if not (sep1 and sep2):
        return None
    if flag == 1:
        if method != 0:
            return None
        try:
            text = zlib.decompress(text)
        except zlib.error:
            return None
    try:
        return keyword.decode("latin-1"), text.decode("utf-8")
    except UnicodeDecodeError:
        return None


def bake_png(data: bytes, text: str, keyword: str = KEYWORD) -> bytes:
    """``data`` with one iTXt chunk ``keyword`` holding ``text``, right after IHDR.

    Every existing iTXt (or tEXt/zTXt) chunk with that keyword is removed first, so baking a
    baked image replaces its credential.
    """
    if not 1 <= len(keyword) <= 79:
        raise ValueError("A PNG text keyword has 1 to 79 characters.")
    chunks = _chunks(data)
    if not chunks or chunks[0][0] != b"IHDR":
        raise ValueError("This PNG image has no IHDR chunk first, so it cannot be baked.")
    kept = [(kind, body) for kind, body in chunks
            if not (kind in (b"iTXt", b"tEXt", b"zTXt")
                    and body.partition(b"\x00")[0] == keyword.encode("latin-1"))]
    baked = [kept[0], (b"iTXt", _itxt(keyword, text)), *kept[1:]]
    out = io.BytesIO()
    png.write_chunks(out, baked)
    return out.getvalue()


def _extract_png(data: bytes, keyword: str) -> str:
    for kind, body in _chunks(data):
        if kind == b"iTXt":
            parts = _itxt_parts(body)
            if parts and parts[0] == keyword:
                return parts[1]
        elif kind == b"tEXt":
            name, _, value = body.partition(b"\x00")
            if name == keyword.encode("latin-1"):
                return value.decode("latin-1")
    raise ValueError(f"This PNG image carries no baked credential (no iTXt chunk "
                     f"with the keyword {keyword!r}).")


# SVG ----------------------------------------------------------------------------------------

def _parse_svg(svg: str | bytes) -> Document:
    raw = svg.encode("utf-8") if isinstance(svg, str) else svg
    try:
        document: Document = parseString(raw, forbid_dtd=False, forbid_entities=True,
                                         forbid_external=True)
    except DefusedXmlException as error:
        raise ValueError("This SVG image declares or refers to XML entities, which are "
                         "refused: an entity can read files or exhaust memory.") from error
    except ExpatError as error:
        raise ValueError(f"This SVG image is not well-formed XML ({error}).") from error
    root = document.documentElement
    if root is None or root.localName != "svg":
        raise ValueError("This is not an SVG image: its root element is not <svg>.")
    return document


def bake_svg(svg: str | bytes, credential_json: str | None = None, jwt: str | None = None,
             *, ob2: bool = False) -> bytes:
    """``svg`` with one ``<openbadges:credential>`` as the root's first child.

    Give exactly one of ``credential_json`` (embedded in CDATA) and ``jwt`` (the ``verify``
    attribute). With ``ob2=True`` the element is OB 2.0's ``<openbadges:assertion>`` in the
    ``http://openbadges.org`` namespace; there both may be given (the assertion's JSON, and
    its JWS or hosted URL in ``verify``).
    """
    if ob2:
        if credential_json is None and jwt is None:
            raise ValueError("Give the assertion's JSON, its verify value, or both.")
    elif (credential_json is None) == (jwt is None):
        raise ValueError("Give exactly one of the credential's JSON and its VC-JWT.")
    namespace, local = (OB2_NAMESPACE, "assertion") if ob2 else (NAMESPACE, "credential")
    document = _parse_svg(svg)
    root = document.documentElement
    assert root is not None
    for node in list(root.getElementsByTagNameNS(namespace, local)):
        parent: Any = node.parentNode
        following: Any = node.nextSibling
        parent.removeChild(node)
        # Take the indentation the removed element leaves behind with it.
        if (following is not None and following.nodeType == Node.TEXT_NODE
                and not following.data.strip()):
            parent.removeChild(following)
    root.setAttribute(f"xmlns:{PREFIX}", namespace)
    element: Element = document.createElementNS(namespace, f"{PREFIX}:{local}")
    if jwt is not None:
        element.setAttribute("verify", jwt)
    if credential_json is not None:
        # "]]>" can only occur inside a JSON string, where "\u003e" means the same ">".
        element.appendChild(document.createCDATASection(
            credential_json.replace("]]>", "]]\\u003e")))
    first = root.firstChild
    root.insertBefore(element, first)
    root.insertBefore(document.createTextNode("\n"), first)
    return bytes(document.toxml(encoding="utf-8"))


def _extract_svg(data: bytes, ob2: bool) -> str:
    namespace, local = (OB2_NAMESPACE, "assertion") if ob2 else (NAMESPACE, "credential")
    root = _parse_svg(data).documentElement
    assert root is not None
    found = root.getElementsByTagNameNS(namespace, local)
    if not found:
        raise ValueError(f"This SVG image carries no baked credential (no "
                         f"<{PREFIX}:{local}> element in the {namespace} namespace).")
    element = found[0]
    text = "".join(child.data for child in element.childNodes
                   if child.nodeType in (Node.TEXT_NODE, Node.CDATA_SECTION_NODE)).strip()
    if text:
        return text
    verify = element.getAttribute("verify").strip()
    if verify:
        return verify
    raise ValueError(f"This SVG image's <{PREFIX}:{local}> element is empty: it has "
                     f"neither the credential's JSON nor a verify attribute.")


# Either -------------------------------------------------------------------------------------

def extract(data: bytes, ob2: bool = False) -> str:
    """The baked credential's text (JSON, or a compact JWS) from a PNG or SVG image.

    Raises ValueError with a sentence saying why when the image carries none.
    """
    if data.startswith(PNG_SIGNATURE):
        return _extract_png(data, OB2_KEYWORD if ob2 else KEYWORD)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _extract_svg(data, ob2)
    raise ValueError("This is neither a PNG nor an SVG image, so it carries no baked "
                     "credential.")
