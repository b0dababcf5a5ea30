"""The stories' Spanish catalogue is complete, its compiled .mo is the .po, and every
translatable string of the app's templates and code is in it."""

from __future__ import annotations

import gettext
import os
import shutil
from pathlib import Path
from typing import Any

import polib
import pytest
from django.core.management import call_command

APP = Path(__file__).resolve().parent.parent
PO = APP / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries() -> list[Any]:
    return [e for e in polib.pofile(str(PO)) if not e.obsolete]


def test_every_message_is_translated() -> None:
    po = polib.pofile(str(PO))
    assert not [e.msgid for e in po.untranslated_entries()]
    assert not [e.msgid for e in po.fuzzy_entries()]
    for entry in _entries():
        if entry.msgid_plural:
            assert all(entry.msgstr_plural.values()), entry.msgid


def test_the_compiled_catalogue_is_the_po() -> None:
    with MO.open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    for entry in _entries():
        if entry.msgid_plural:
            for n in (1, 2, 1_000_000):
                index = mo.plural(n)  # type: ignore[attr-defined]
                assert mo.ngettext(entry.msgid, entry.msgid_plural, n) == \
                    entry.msgstr_plural[index], (entry.msgid, n)
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_placeholders_survive_translation() -> None:
    import re

    names = re.compile(r"%\((\w+)\)s")
    for entry in _entries():
        wanted = set(names.findall(entry.msgid))
        for text in (entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]):
            assert set(names.findall(text)) == wanted, entry.msgid


def test_every_translatable_string_of_the_app_is_in_the_catalogue(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        pytest.skip("gettext tools are not installed")
    copy = tmp_path / "stories"
    shutil.copytree(APP / "templates", copy / "templates")
    for source in APP.glob("*.py"):
        shutil.copy(source, copy / source.name)
    shutil.copytree(APP / "templatetags", copy / "templatetags")
    (copy / "locale").mkdir()
    here = Path.cwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["es"], no_location=True, verbosity=0)
    finally:
        os.chdir(here)
    found = polib.pofile(str(copy / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid, e.msgid_plural) for e in _entries()}
    missing = [e.msgid for e in found if (e.msgctxt, e.msgid, e.msgid_plural)
               not in committed]
    assert missing == [], ("add these to uptake/stories/locale/es/LC_MESSAGES/django.po "
                           f"and compile it: {missing}")


def test_every_kind_of_evidence_on_the_ladder_reads_in_spanish() -> None:
    """Each app registers its kinds of evidence in English; a family reading in Spanish
    reads each of them in Spanish (a new kind must join ``wording.LADDER_LABELS``)."""
    from django.utils import translation

    from uptake import registry
    from uptake.stories import wording

    labels = {kind.label for kind in registry.evidence_kinds}
    assert labels - set(wording.LADDER_LABELS) == set()
    with translation.override("es"):
        assert all(wording.ladder_label(label) != label for label in labels)
