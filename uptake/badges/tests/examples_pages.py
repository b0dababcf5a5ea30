"""The coordinator's issuer pages and the achievement's image, for the access matrices
(tests/test_access_matrix.py, tests/test_access_lapses.py).

The issuer pages are a district-wide role's tools: the district's coordinator reaches a
badge or award of her district; another district's coordinator gets a 404 (she reaches
the key page, which is her own issuer's). A coordinator whose role lapses is walked in
``test_the_coordinator_s_issuer_pages.py``; here the ids are declared as naming nothing a
person holds by the ways the lapse walk takes away. The public documents (an issuer's DID
document and status lists, an achievement and its image) are everyone's."""

from __future__ import annotations

from typing import Any

EVERYONE = {"anonymous", "teacher", "colleague", "outsider", "coach", "assessor", "leader",
            "coordinator", "researcher", "other_coordinator"}
COORDINATOR = {"coordinator"}
COORDINATORS = {"coordinator", "other_coordinator"}
IMAGE_TITLE = "Academic conversations, pictured"


def _badge(w: Any) -> dict[str, Any]:
    from uptake.badges.tests.fixtures import issued

    return {"badge_id": issued(w).pk}


def _award(w: Any) -> dict[str, Any]:
    from uptake.badges.tests.fixtures import award

    return {"award_id": award(w, "colleague").pk}


def _kind(w: Any) -> dict[str, Any]:
    return {"kind": "ed25519"}


def _pictured(w: Any) -> dict[str, Any]:
    """A published version with an image."""
    from uptake.credentials.actions import do_publish, do_set_image
    from uptake.credentials.tests import fixtures as f
    from uptake.credentials.tests.examples_authoring import png

    version = f.credential(w, title=IMAGE_TITLE, publish=False)
    if version.is_draft:
        do_set_image(version, actor=w.people["coordinator"], alt="Two speech bubbles",
                     upload=png())
        version = do_publish(version, actor=w.people["coordinator"])
    return {"version": version.pk}


def _issuer(w: Any) -> dict[str, Any]:
    from uptake.badges.actions import issuer_for

    return {"issuer": issuer_for(w.district).uuid}


def _status_list(w: Any) -> dict[str, Any]:
    return {**_issuer(w), "number": 1}


def _published(w: Any) -> dict[str, Any]:
    from uptake.credentials.tests import fixtures as f

    return {"version": f.credential(w).pk}


URL_EXAMPLES = {
    "badges:did": (_issuer, EVERYONE),
    "badges:status_list": (_status_list, EVERYONE),
    "badges:achievement": (_published, EVERYONE),
    "badges:issuer_rotate": (_kind, COORDINATORS),
    "badges:revoke": (_badge, COORDINATOR),
    "badges:retry": (_award, COORDINATOR),
    "badges:achievement_image": (_pictured, EVERYONE),
}

LAPSE_EXAMPLES = {
    "not_objects": {frozenset({"kind"}), frozenset({"badge_id"}), frozenset({"award_id"}),
                    frozenset({"version"}), frozenset({"issuer"}),
                    frozenset({"issuer", "number"})},
}
