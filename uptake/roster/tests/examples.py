"""Objects for the API's access matrix (tests/test_api_access_matrix.py): Jamie's class at
Cedar, and roster imports of Maple Valley (the fixture files' district)."""

from __future__ import annotations

from typing import Any

# Who sees a class on the Classes page, and so through the API: its current teacher,
# Cedar's coach and leader, the district's coordinators (a list answers everyone in the
# page's audience, with only what she may see: another district's coordinator gets hers).
CLASS_READERS = {"teacher", "coach", "leader", "coordinator"}
LIST_READERS = {"teacher", "colleague", "outsider", "coach", "leader", "coordinator",
                "other_coordinator"}
COORDINATORS = {"coordinator", "other_coordinator"}


def _zip() -> bytes:
    from uptake.roster.tests.conftest import build_zip, fixture_files

    files: dict[str, bytes | str] = dict(fixture_files("v1p1-bulk"))
    return build_zip(files)


def _upload(raw: bytes, name: str = "maple.zip") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, raw, content_type="application/zip")


def previewed_import(w: Any) -> dict[str, Any]:
    """A checked upload of Maple Valley's, waiting to be applied."""
    from uptake.roster.actions import do_preview_import

    ri = do_preview_import(w.district, _upload(_zip()), actor=w.people["coordinator"])
    assert ri.status == "previewed", ri.report.get("errors")
    return {"import_id": ri.pk}


def rejected_import(w: Any) -> dict[str, Any]:
    """An upload that was not a zip (rejected; nothing of it is kept)."""
    from uptake.roster.actions import do_preview_import

    ri = do_preview_import(w.district, _upload(b"not a zip", "roster.csv"),
                           actor=w.people["coordinator"])
    return {"import_id": ri.pk}


def _class(w: Any) -> dict[str, Any]:
    return {"class_id": w.section.pk}


API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/classes": [
        {"label": "each reader's own classes", "params": lambda w: {},
         "allowed": LIST_READERS},
    ],
    "GET /api/v1/classes/{class_id}": [
        {"label": "Jamie's class at Cedar", "params": _class, "allowed": CLASS_READERS},
    ],
    "GET /api/v1/classes/{class_id}/students": [
        {"label": "Jamie's class at Cedar", "params": _class, "allowed": CLASS_READERS},
    ],
    "GET /api/v1/roster-imports": [
        {"label": "each coordinator's district's", "params": lambda w: {},
         "allowed": COORDINATORS},
    ],
    "POST /api/v1/roster-imports": [
        {"label": "a OneRoster zip", "params": lambda w: {},
         "form": lambda w, params: {"file": _upload(_zip())},
         "allowed": COORDINATORS},
    ],
    "GET /api/v1/roster-imports/{import_id}": [
        {"label": "a rejected upload", "params": rejected_import, "allowed": {"coordinator"}},
    ],
    "POST /api/v1/roster-imports/{import_id}/apply": [
        {"label": "a checked upload", "params": previewed_import,
         "body": lambda w, params: {"confirm_removals": True}, "allowed": {"coordinator"}},
    ],
    "POST /api/v1/roster-imports/{import_id}/cancel": [
        {"label": "a checked upload", "params": previewed_import, "allowed": {"coordinator"}},
    ],
}
