"""The authoring pages' examples for the access matrices: a district's credential as a
draft (the four-tier preset, with an image) and as a published version. Coordinators of
the district alone reach any of it; another district's coordinator gets a 404.

The lapse walk's ways to lose access are carried out by the district's coordinator, so it
cannot take her own role away: a second coordinator's lapses are walked in
``test_authoring_access.py``; here the ids are declared so the walk knows what they name."""

from __future__ import annotations

from typing import Any

COORDINATOR = {"coordinator"}
DRAFT_TITLE = "Questioning that deepens thinking"


def png(name: str = "badge.png") -> Any:
    """A small PNG, made here (Pillow), as the browser would send it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 90, 160)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def draft(w: Any) -> Any:
    """The district's four-tier draft, with an image."""
    from uptake.credentials.actions import do_set_image
    from uptake.credentials.tests import fixtures as f

    version = f.credential(w, title=DRAFT_TITLE, publish=False)
    if not version.image:
        do_set_image(version, actor=w.people["coordinator"], alt="A question mark in a circle",
                     upload=png())
    return version


def published(w: Any) -> Any:
    from uptake.credentials.tests import fixtures as f

    return f.credential(w)


def _version(w: Any) -> dict[str, Any]:
    return {"version_id": draft(w).pk}


def _tier(w: Any) -> dict[str, Any]:
    return {"tier_id": draft(w).tiers.order_by("order").first().pk}


def _criterion(w: Any) -> dict[str, Any]:
    return {"criterion_id": draft(w).tiers.order_by("order").first().criteria.first().pk}


def _credential(w: Any) -> dict[str, Any]:
    return {"credential_id": published(w).credential_id}


URL_EXAMPLES = {
    "credentials:credential_revise": (_credential, COORDINATOR),
    "credentials:credential_retire": (_credential, COORDINATOR),
    "credentials:version_edit": (_version, COORDINATOR),
    "credentials:version_image": (_version, COORDINATOR),
    "credentials:version_image_set": (_version, COORDINATOR),
    "credentials:version_links": (_version, COORDINATOR),
    "credentials:version_publish": (_version, COORDINATOR),
    "credentials:version_discard": (_version, COORDINATOR),
    "credentials:tier_new": (_version, COORDINATOR),
    "credentials:tier_edit": (_tier, COORDINATOR),
    "credentials:tier_move": (_tier, COORDINATOR),
    "credentials:tier_delete": (_tier, COORDINATOR),
    "credentials:tier_levels": (_tier, COORDINATOR),
    "credentials:criterion_new": (_tier, COORDINATOR),
    "credentials:criterion_edit": (_criterion, COORDINATOR),
    "credentials:criterion_delete": (_criterion, COORDINATOR),
}


def _lapse_ids(w: Any, ids: dict[Any, Any]) -> dict[Any, Any]:
    return {**_version(w), **_tier(w), **_criterion(w), **_credential(w)}


VERSION, TIER, CRITERION, CREDENTIAL = ("credential version", "credential tier",
                                        "scoring-guide criterion", "credential")
LAPSE_EXAMPLES: dict[str, Any] = {
    "types": {frozenset({"version_id"}): (VERSION,), frozenset({"tier_id"}): (TIER,),
              frozenset({"criterion_id"}): (CRITERION,),
              frozenset({"credential_id"}): (CREDENTIAL,)},
    "ids": _lapse_ids,
}
