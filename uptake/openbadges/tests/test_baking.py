"""Baking a credential into a PNG or SVG badge image, and reading it back out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import png
import pytest

from uptake.openbadges import baking

DATA = Path(__file__).parent / "data"
VALIDATOR = DATA / "validator"
CONSTRUCTED = DATA / "constructed"

SVG = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
       b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n'
       b'  <circle cx="5" cy="5" r="4"/>\n</svg>\n')
CREDENTIAL = json.dumps({"id": "urn:uuid:1", "type": ["VerifiableCredential"],
                         "name": "Lesson study \u2013 Stufe \u00fc", "note": "a]]>b"})
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOiJ1cm46dXVpZDoxIn0.c2lnbmF0dXJl"


def small_png() -> bytes:
    out = io.BytesIO()
    png.Writer(2, 2, greyscale=True).write(out, [[0, 255], [255, 0]])
    return out.getvalue()


def chunk_kinds(data: bytes) -> list[bytes]:
    return [kind for kind, _ in png.Reader(bytes=data).chunks()]


def test_a_png_round_trips_its_credential_right_after_ihdr() -> None:
    baked = baking.bake_png(small_png(), CREDENTIAL)
    assert baking.extract(baked) == CREDENTIAL
    assert chunk_kinds(baked)[:2] == [b"IHDR", b"iTXt"]
    body = dict(png.Reader(bytes=baked).chunks())[b"iTXt"]
    assert body.startswith(b"openbadgecredential\x00\x00\x00\x00\x00")
    # The picture itself is untouched.
    assert list(png.Reader(bytes=baked).read()[2]) == list(png.Reader(bytes=small_png()).read()[2])


def test_a_png_holds_a_jwt_too() -> None:
    assert baking.extract(baking.bake_png(small_png(), JWT)) == JWT


def test_baking_a_baked_png_replaces_its_credential() -> None:
    twice = baking.bake_png(baking.bake_png(small_png(), "first"), "second")
    assert baking.extract(twice) == "second"
    assert chunk_kinds(twice).count(b"iTXt") == 1


def test_replacing_a_fixture_png_keeps_its_other_chunks() -> None:
    original = (VALIDATOR / "simple-json.baked.png").read_bytes()
    rebaked = baking.bake_png(original, CREDENTIAL)
    assert baking.extract(rebaked) == CREDENTIAL
    assert chunk_kinds(rebaked).count(b"iTXt") == 1
    assert chunk_kinds(rebaked).count(b"tEXt") == 2
    assert chunk_kinds(rebaked)[1] == b"iTXt"


def test_a_png_with_no_credential_says_so() -> None:
    with pytest.raises(ValueError, match="carries no baked credential"):
        baking.extract(small_png())


def test_a_damaged_png_says_so() -> None:
    data = small_png()
    with pytest.raises(ValueError, match="damaged"):
        baking.extract(data[:20] + b"\x00" * 4 + data[24:])


def test_an_svg_round_trips_its_json_in_cdata() -> None:
    baked = baking.bake_svg(SVG, credential_json=CREDENTIAL)
    assert json.loads(baking.extract(baked)) == json.loads(CREDENTIAL)
    text = baked.decode("utf-8")
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in text
    assert "<![CDATA[" in text
    assert text.count("<openbadges:credential") == 1
    assert "<circle" in text


def test_the_credential_is_the_first_child_of_the_svg_root() -> None:
    from defusedxml.minidom import parseString
    root = parseString(baking.bake_svg(SVG, jwt=JWT)).documentElement
    first = next(node for node in root.childNodes if node.nodeType == node.ELEMENT_NODE)
    assert (first.namespaceURI, first.localName) == (baking.NAMESPACE, "credential")
    assert first.getAttribute("verify") == JWT
    assert not first.childNodes


def test_an_svg_round_trips_a_jwt_in_verify() -> None:
    assert baking.extract(baking.bake_svg(SVG.decode("utf-8"), jwt=JWT)) == JWT


def test_baking_a_baked_svg_replaces_its_credential() -> None:
    once = baking.bake_svg(SVG, credential_json='{"n": 1}')
    twice = baking.bake_svg(once, jwt=JWT)
    assert baking.extract(twice) == JWT
    assert twice.decode("utf-8").count("openbadges:credential") == 1


def test_bake_svg_takes_exactly_one_form() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        baking.bake_svg(SVG)
    with pytest.raises(ValueError, match="exactly one"):
        baking.bake_svg(SVG, credential_json="{}", jwt=JWT)


def test_an_svg_with_no_credential_says_so() -> None:
    with pytest.raises(ValueError, match="carries no baked credential"):
        baking.extract(SVG)


@pytest.mark.parametrize("svg", [
    b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x "boom">]>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
    b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
])
def test_an_svg_declaring_entities_is_refused(svg: bytes) -> None:
    with pytest.raises(ValueError, match="entities"):
        baking.extract(svg)
    with pytest.raises(ValueError, match="entities"):
        baking.bake_svg(svg, jwt=JWT)


def test_something_else_is_refused() -> None:
    with pytest.raises(ValueError, match="neither a PNG nor an SVG"):
        baking.extract(b"GIF89a")
    with pytest.raises(ValueError, match="not an SVG"):
        baking.extract(b"<html></html>")
    with pytest.raises(ValueError, match="not well-formed"):
        baking.extract(b"<svg")


def test_the_1edtech_baked_png_is_read() -> None:
    credential = json.loads(baking.extract((VALIDATOR / "simple-json.baked.png").read_bytes()))
    assert "OpenBadgeCredential" in credential["type"]


def test_the_1edtech_baked_json_svg_is_read() -> None:
    credential = json.loads(baking.extract((VALIDATOR / "simple-json.baked.svg").read_bytes()))
    assert "OpenBadgeCredential" in credential["type"]


def test_the_1edtech_baked_jwt_svg_is_read() -> None:
    token = baking.extract((VALIDATOR / "simple-jwt.baked.svg").read_bytes())
    assert token.count(".") == 2 and token.startswith("eyJ")


@pytest.mark.parametrize("name", ["constructed-minimal.baked.png",
                                  "constructed-minimal.baked.svg",
                                  "constructed-minimal.baked-jwt.svg"])
def test_the_constructed_baked_images_are_read(name: str) -> None:
    text = baking.extract((CONSTRUCTED / name).read_bytes())
    if name.endswith("jwt.svg"):
        assert text == (CONSTRUCTED / "constructed-minimal.vc-jwt-rs256.jwt").read_text().strip()
    else:
        assert "OpenBadgeCredential" in json.loads(text)["type"]


def test_a_fixture_svg_rebakes_without_losing_its_picture() -> None:
    original = (VALIDATOR / "simple-json.baked.svg").read_bytes()
    rebaked = baking.bake_svg(original, jwt=JWT).decode("utf-8")
    assert baking.extract(rebaked.encode("utf-8")) == JWT
    assert rebaked.count("openbadges:credential") == 1
    assert "<path" in rebaked or "<g" in rebaked


def test_open_badges_2_uses_its_own_keyword_and_namespace() -> None:
    assertion = '{"type": "Assertion"}'
    baked_png = baking.bake_png(small_png(), assertion, keyword=baking.OB2_KEYWORD)
    assert baking.extract(baked_png, ob2=True) == assertion
    with pytest.raises(ValueError, match="openbadgecredential"):
        baking.extract(baked_png)
    baked_svg = baking.bake_svg(SVG, credential_json=assertion,
                                jwt="https://example.org/assertions/1", ob2=True)
    text = baked_svg.decode("utf-8")
    assert 'xmlns:openbadges="http://openbadges.org"' in text
    assert '<openbadges:assertion verify="https://example.org/assertions/1">' in text
    assert baking.extract(baked_svg, ob2=True) == assertion
    with pytest.raises(ValueError, match="no baked credential"):
        baking.extract(baked_svg)
