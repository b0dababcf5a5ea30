"""Finding active content in a PDF with a PDF parser (qpdf, through pikepdf).

Run by :mod:`uptake.evidence.uploads` in a child process (``python -m
uptake.evidence.pdfcheck FILE MEMORY_BYTES``) with a memory and time limit, because a PDF is
a program for a parser: a few kilobytes of compressed object stream can unpack into
gigabytes of objects.
The child prints one JSON line: ``{"found": "<what, in words>"}`` (empty when clean) or
``{"problem": "password" | "damaged" | "too_complex"}``. Nothing here imports Django.

What counts as active, and why refuse rather than rewrite: docs/decisions.md, "PDFs are
parsed, and refused when they carry active content".
"""

from __future__ import annotations

import json
import re
import resource
import sys
from pathlib import Path
from typing import Any

# In words a teacher understands. A dictionary is active when it has one of these keys, or
# one of these values as its action (/S), type or subtype. Links (/URI), page destinations
# and named actions (print, next page) are not.
JS = "JavaScript in it"
ATTACHED = "other files attached inside it"
MEDIA = "embedded media or 3D content (which can run code)"
FORM = "a form that sends or fetches data"
KEYS = {"/JS": JS, "/JavaScript": JS, "/EmbeddedFiles": ATTACHED, "/EF": ATTACHED,
        "/XFA": "an XFA form (a form that runs its own scripts)",
        "/RichMediaContent": MEDIA, "/RichMediaSettings": MEDIA}
ACTIONS = {"/JavaScript": JS, "/Launch": "an action that opens programs",
           "/SubmitForm": FORM, "/ImportData": FORM,
           "/GoToR": "a link that opens another file", "/GoToE": "a link that opens another file",
           "/RichMediaExecute": MEDIA, "/Rendition": MEDIA}
TYPES = {"/EmbeddedFile": ATTACHED, "/FileAttachment": ATTACHED, "/RichMedia": MEDIA,
         "/3D": MEDIA, "/Movie": MEDIA, "/Sound": MEDIA, "/Screen": MEDIA}
# Names anywhere in the raw bytes (escapes such as /J#61vaScript decoded): a second look
# at objects the parser does not reach (earlier revisions, unreferenced objects). Only long
# names that mean active content wherever they appear: a short one such as /JS turns up by
# chance in compressed data.
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
RAW_NAMES = {k: v for k, v in {**KEYS, **ACTIONS}.items()
             if len(k) >= 7 and k not in ("/GoToR", "/GoToE", "/Rendition")}
# Far above a textbook (tens of thousands of objects, a few million parts in all); a file
# holding more is built to exhaust the reader.
MAX_OBJECTS = 1_000_000
MAX_PARTS = 10_000_000


class TooComplex(Exception):
    """More objects, or more parts of objects, than a real document has."""


def raw_active(data: bytes) -> str:
    """Active content named in the raw bytes, or ''."""
    for match in _NAME.finditer(data):
        decoded = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        words = RAW_NAMES.get("/" + decoded.decode("latin-1"))
        if words:
            return words
    return ""


def check(path: Path) -> dict[str, str]:
    """The verdict the child prints (module docstring)."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            if int(pdf.trailer.get("/Size", 0)) > MAX_OBJECTS:
                return {"problem": "too_complex"}
            budget = [MAX_PARTS]
            for obj in pdf.objects:  # every object, those inside object streams too
                if obj is None:  # qpdf could not build it (out of memory, most likely)
                    return {"problem": "too_complex"}
                found = object_active(obj, budget)
                if found:
                    return {"found": found}
    except pikepdf.PasswordError:
        return {"problem": "password"}
    except (MemoryError, TooComplex):
        return {"problem": "too_complex"}
    except Exception:  # qpdf raises several kinds on broken files; refusing is the safe side
        return {"problem": "damaged"}
    return {"found": ""}


def object_active(obj: Any, budget: list[int]) -> str:
    """What active content one indirect object holds, looking into its direct parts (an
    indirect part is an object of its own, checked on its own turn). ``budget`` is how many
    parts may still be looked at; :class:`TooComplex` when they run out."""
    import pikepdf

    stack = [obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Dictionary | pikepdf.Array):
            budget[0] -= len(item)
            if budget[0] < 0:
                raise TooComplex
        if isinstance(item, pikepdf.Dictionary):
            found = dictionary_active(item)
            if found:
                return found
            children = list(item.values())
        elif isinstance(item, pikepdf.Array):
            children = list(item)
        else:
            continue
        # Numbers and booleans come back as Python values; only PDF objects can hold more.
        stack.extend(c.stream_dict if isinstance(c, pikepdf.Stream) else c for c in children
                     if isinstance(c, pikepdf.Object) and not c.is_indirect)
    return ""


def dictionary_active(item: Any) -> str:
    import pikepdf

    for key in item:
        if key in KEYS:
            return KEYS[key]
    for key, table in (("/S", ACTIONS), ("/Type", TYPES), ("/Subtype", TYPES)):
        value = item.get(key)
        if isinstance(value, pikepdf.Name) and str(value) in table:
            return table[str(value)]
    return ""


def main(path: str, memory: str) -> None:
    # The child limits itself (before qpdf allocates anything): a preexec_fn in the parent
    # is not safe in a threaded server.
    resource.setrlimit(resource.RLIMIT_AS, (int(memory), int(memory)))
    print(json.dumps(check(Path(path))))


if __name__ == "__main__":
    main(*sys.argv[1:3])
