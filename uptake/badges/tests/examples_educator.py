"""The educator's Open Badge pages for the access matrices (tests/test_access_matrix.py,
tests/test_access_lapses.py): Jamie's award, issued and shared. Its page, downloads and
share switch are hers alone (everyone else, coordinators included, gets a 404). Her page
closes when her account is deactivated; it stays while she merely loses a role: the
credential she earned is hers."""

from __future__ import annotations

from typing import Any

from uptake.badges.tests.fixtures import issued

OWNER = {"teacher"}
OPEN_BADGE = "Open Badge"


def shared(w: Any) -> Any:
    from uptake.badges.actions import do_set_shared

    return do_set_shared(issued(w), actor=w.people["teacher"], shared=True)


def award_id(w: Any) -> dict[str, Any]:
    return {"award_id": shared(w).award_id}


URL_EXAMPLES = {
    "badges:award": (award_id, OWNER),
    "badges:award_share": (award_id, OWNER),
    "badges:award_json": (award_id, OWNER),
    "badges:award_jwt": (award_id, OWNER),
    "badges:award_png": (award_id, OWNER),
    "badges:award_svg": (award_id, OWNER),
    "badges:award_ob2_png": (award_id, OWNER),
}


def lapse_ids(w: Any, ids: dict[Any, Any]) -> dict[Any, Any]:
    return {(OPEN_BADGE, "award_id"): shared(w).award_id}


LAPSE_EXAMPLES = {
    "types": {frozenset({"award_id"}): (OPEN_BADGE,)},
    "ids": lapse_ids,
    "holders": {"teacher": {"account deactivated": frozenset({OPEN_BADGE})}},
}
