"""The money pages for the access matrices (tests/test_access_matrix.py and
tests/test_access_lapses.py): Jamie's (``teacher``) CEU transcript; what is on it is tested
in test_money_*.py (the matrix's world is shared by every app's examples). She reads her
own transcript; the district's coordinator reads anyone's of her district; nobody else
reads hers (a colleague, her coach, her principal, an assessor, a researcher, another
district's coordinator: the same 404 as a missing person). The stipend ledger, the payroll
export, the transcripts list and the district totals take no id: their audience is the
coordinators (``allow``), which the matrix checks by itself."""

from __future__ import annotations

from typing import Any

TRANSCRIPT_READERS = {"teacher", "coordinator"}


def jamie(w: Any) -> dict[str, Any]:
    return {"person_id": w.people["teacher"].pk}


URL_EXAMPLES = {
    "credentials:transcript": (jamie, TRANSCRIPT_READERS),
    "credentials:transcript_csv": (jamie, TRANSCRIPT_READERS),
    "credentials:transcript_pdf": (jamie, TRANSCRIPT_READERS),
}

# ``person_id`` only says whose transcript: it names no object a person holds and may lose
# (the walk's QUALIFIERS), so the transcript's URLs are among the URLs without objects.
# What ends a reader's access to it: her coordinator role revoked, her account
# deactivated, or the educator leaving the district; tests/test_money_access.py walks
# each of them over every money page.
LAPSE_EXAMPLES: dict[str, Any] = {"not_objects": {frozenset()}}
