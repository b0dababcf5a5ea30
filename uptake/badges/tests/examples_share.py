"""A shared badge's public page and the Open Badges 2.0 documents for the access
matrices (tests/test_access_matrix.py, tests/test_access_lapses.py): anyone's, signed in
or not, while Jamie shares her badge. They name nothing whose access lapses (a badge's
UUID, an issuer's, a published version's)."""

from __future__ import annotations

from typing import Any

from uptake.badges.tests.examples_educator import shared

EVERYONE = {"anonymous", "teacher", "colleague", "outsider", "coach", "assessor", "leader",
            "coordinator", "researcher", "other_coordinator"}


def badge_uuid(w: Any) -> dict[str, Any]:
    return {"badge": shared(w).uuid}


def issuer_uuid(w: Any) -> dict[str, Any]:
    return {"issuer": shared(w).issuer.uuid}


def version_pk(w: Any) -> dict[str, Any]:
    return {"version": shared(w).award.version_id}


URL_EXAMPLES = {
    "badges:public": (badge_uuid, EVERYONE),
    "badges:public_json": (badge_uuid, EVERYONE),
    "badges:public_image": (badge_uuid, EVERYONE),
    "badges:ob2_issuer": (issuer_uuid, EVERYONE),
    "badges:ob2_badgeclass": (version_pk, EVERYONE),
    "badges:ob2_badgeclass_image": (version_pk, EVERYONE),
    "badges:ob2_assertion": (badge_uuid, EVERYONE),
}

LAPSE_EXAMPLES = {
    "not_objects": {frozenset({"badge"}), frozenset({"issuer"}), frozenset({"version"})},
}
