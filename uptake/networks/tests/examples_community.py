"""The online-community pages and API for the access matrices (tests/test_access_matrix.py,
tests/test_access_lapses.py, tests/test_api_access_matrix.py), and the small export the
community tests share.

An import is its owner's alone: Jamie (``teacher``) reaches hers; a colleague, her coach,
her principal, the district's coordinator and researcher, and another district's
coordinator get the same 404 as for a missing import. The list and upload pages have no
ids: every role that may import a community (teachers, coaches, leaders, coordinators,
researchers) reaches them, each seeing only her own imports.
"""

from __future__ import annotations

from typing import Any

OWNER = {"teacher"}
IMPORTERS = {"teacher", "colleague", "outsider", "coach", "leader", "coordinator",
             "researcher", "other_coordinator"}
# The authors of the export: no page, download or API answer may ever show them.
AUTHORS = ("SecretAuthorAlpha", "SecretAuthorBeta", "SecretAuthorGamma")
# Two half-years of 2024; one deleted comment. Usernames are mentioned in the texts too.
EXPORT = (
    b"id,author,created_utc,score,title,body,parent_id\n"
    b"p1,SecretAuthorAlpha,2024-01-10T10:00:00Z,5,How do you grade essays?,"
    b"Looking for rubrics,\n"
    b"c1,SecretAuthorBeta,2024-01-10T11:00:00Z,2,,"
    b"u/SecretAuthorAlpha I use a single-point rubric,t3_p1\n"
    b"c2,SecretAuthorAlpha,2024-01-10T12:00:00Z,1,,Thanks SecretAuthorBeta!,t1_c1\n"
    b"p2,SecretAuthorGamma,2024-08-01T09:00:00Z,3,Seating charts,What works for you?,\n"
    b"c3,[deleted],2024-08-01T10:00:00Z,,,[deleted],t3_p2\n"
    b"c4,SecretAuthorBeta,2024-08-02T10:00:00Z,4,,Random seats work for me,t3_p2\n"
)
LAPSING_NAME = "Lapsing community"


def upload(content: bytes = EXPORT, name: str = "export.csv") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def started(w: Any, *, who: str = "teacher", name: str = "r/Teachers",
            content: bytes = EXPORT, file_name: str = "export.csv") -> Any:
    """An import uploaded and queued (its read not run)."""
    from uptake.networks.actions.community import do_start_import

    return do_start_import(w.people[who], upload(content, file_name), name=name)


def done(w: Any, *, who: str = "teacher", name: str = "r/Teachers",
         content: bytes = EXPORT) -> Any:
    """An import uploaded and read, as the worker reads it."""
    from uptake.networks.actions.community import run_import

    ci = started(w, who=who, name=name, content=content)
    run_import(ci.pk)
    ci.refresh_from_db()
    assert ci.status == "done", ci.error
    return ci


def community_id(w: Any) -> dict[str, Any]:
    return {"community_id": done(w).pk}


def failed_id(w: Any) -> dict[str, Any]:
    """A failed import whose file is kept (its worker died): it may be read again."""
    from uptake.networks.actions.community import worker_lost

    ci = started(w)
    worker_lost(ci.pk)
    return {"community_id": ci.pk}


def first_item(w: Any) -> dict[str, Any]:
    ci = done(w)
    return {"community_id": ci.pk, "position": ci.coding_items.order_by("position")[0].position}


def code_body(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    from uptake.networks.models import CodingItem

    item = CodingItem.objects.get(community_import_id=params["community_id"],
                                  position=params["position"])
    return {"code": "question" if item.is_post else "advice", "note": "Clear example"}


def upload_form(w: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"file": upload(), "name": "r/Teachers", "period_months": "6"}


URL_EXAMPLES = {
    "networks:community": (community_id, OWNER),
    "networks:community_coding": (community_id, OWNER),
    "networks:community_delete": (community_id, OWNER),
    "networks:community_retry": (failed_id, OWNER),
    "networks:community_csv": (community_id, OWNER),
    "networks:community_xlsx": (community_id, OWNER),
}

API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/communities": [
        {"label": "her own imports", "params": lambda w: {}, "allowed": IMPORTERS},
    ],
    "POST /api/v1/communities": [
        {"label": "an export", "params": lambda w: {}, "form": upload_form,
         "allowed": IMPORTERS},
    ],
    "GET /api/v1/communities/{community_id}": [
        {"label": "Jamie's import", "params": community_id, "allowed": OWNER},
    ],
    "GET /api/v1/communities/{community_id}/result": [
        {"label": "Jamie's import", "params": community_id, "allowed": OWNER},
    ],
    "GET /api/v1/communities/{community_id}/sample": [
        {"label": "Jamie's import", "params": community_id, "allowed": OWNER},
    ],
    "PUT /api/v1/communities/{community_id}/sample/{position}": [
        {"label": "an item of Jamie's sample", "params": first_item, "body": code_body,
         "allowed": OWNER},
    ],
    "POST /api/v1/communities/{community_id}/retry": [
        {"label": "Jamie's failed import", "params": failed_id, "allowed": OWNER},
    ],
    "DELETE /api/v1/communities/{community_id}": [
        {"label": "Jamie's import", "params": community_id, "allowed": OWNER},
    ],
}


# ------------------------------------------------------------------------ lapses

IMPORT = "online-community import"


def lapse_ids(w: Any, ids: dict[Any, Any]) -> dict[Any, Any]:
    return {(IMPORT, "community_id"): done(w, name=LAPSING_NAME).pk}


LAPSE_EXAMPLES: dict[str, Any] = {
    "types": {frozenset({"community_id"}): (IMPORT,)},
    "ids": lapse_ids,
    "titles": {IMPORT: LAPSING_NAME},
    # Her import rests on her role that may import (teacher), read again at every request.
    "holders": {"teacher": {"role revoked": frozenset({IMPORT}),
                            "account deactivated": frozenset({IMPORT})}},
}
