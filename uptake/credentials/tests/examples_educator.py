"""The educator's pages for the access matrices (tests/test_access_matrix.py and
tests/test_access_lapses.py): the district's published credential (read by every educator,
assessor and coordinator of the district), its image, and Jamie's draft of its learning
tier (hers alone: a colleague, her coach, her principal and the assessor get a 404)."""

from __future__ import annotations

from typing import Any

from uptake.credentials.tests import fixtures

EDUCATORS = {"teacher", "colleague", "outsider", "coach", "leader"}
CATALOG = EDUCATORS | {"assessor", "coordinator"}
OWNER = {"teacher"}
# A 1x1 transparent PNG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def with_image(version: Any) -> Any:
    """Give a published version an image (as its coordinator's upload would have)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from uptake.credentials.models import Version

    if not version.image:
        name = default_storage.save(f"credentials/test-{version.pk}.png", ContentFile(PNG))
        Version.objects.filter(pk=version.pk).update(image=name, image_alt="A speech bubble")
        version.refresh_from_db()
    return version


def version_id(w: Any) -> dict[str, Any]:
    return {"version_id": fixtures.credential(w).pk}


def image_version_id(w: Any) -> dict[str, Any]:
    return {"version_id": with_image(fixtures.credential(w)).pk}


def draft_id(w: Any) -> dict[str, Any]:
    return {"submission_id": fixtures.learning_draft(w, ready=False).pk}


URL_EXAMPLES = {
    "credentials:credential": (version_id, CATALOG),
    "credentials:credential_image": (image_version_id, CATALOG),
    "credentials:start": (version_id, EDUCATORS),
    "credentials:submission": (draft_id, OWNER),
    "credentials:add_item": (draft_id, OWNER),
    "credentials:remove_item": (draft_id, OWNER),
    "credentials:save": (draft_id, OWNER),
    "credentials:submit": (draft_id, OWNER),
    "credentials:withdraw": (draft_id, OWNER),
}


# ------------------------------------------------------------------------ lapses

CATALOG_ENTRY = "micro-credential in the catalog"
WORK = "micro-credential work"
LAPSING_TITLE = "Lapsing credential"


def lapse_ids(w: Any, ids: dict[Any, Any]) -> dict[Any, Any]:
    """A published credential of the district, with an image, and Jamie's draft of its
    learning tier."""
    from uptake.credentials.actions import do_start_submission

    version = with_image(fixtures.credential(w, title=LAPSING_TITLE))
    draft = do_start_submission(version.tiers.get(kind="learning"), actor=w.people["teacher"])
    return {(CATALOG_ENTRY, "version_id"): version.pk, (WORK, "submission_id"): draft.pk}


_ENDS = {"role revoked": frozenset({CATALOG_ENTRY}),
         "account deactivated": frozenset({CATALOG_ENTRY})}

LAPSE_EXAMPLES = {
    "types": {frozenset({"version_id"}): (CATALOG_ENTRY,),
              frozenset({"submission_id"}): (WORK,)},
    "ids": lapse_ids,
    "titles": {CATALOG_ENTRY: LAPSING_TITLE},
    # Reading the catalog rests on an educator's (or assessor's) role in the district;
    # her own work on her educator's role, read again at every request.
    "holders": {
        "teacher": {"role revoked": frozenset({CATALOG_ENTRY, WORK}),
                    "account deactivated": frozenset({CATALOG_ENTRY, WORK})},
        "colleague": _ENDS, "outsider": _ENDS, "coach": _ENDS, "leader": _ENDS,
        "assessor": _ENDS,
    },
}
