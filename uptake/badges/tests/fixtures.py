"""Badges for the test world: an award of the district's credential to Jamie, issued."""

from __future__ import annotations

import json
from typing import Any


def award(w: Any, person: str = "teacher") -> Any:
    """Jamie's award of the district's published four-tier credential (made directly:
    the workflow that leads to it is the credentials app's to test)."""
    from uptake.credentials.models import Award
    from uptake.credentials.tests.fixtures import credential

    version = credential(w)
    educator = w.people[person]
    found = Award.objects.filter(educator=educator, credential=version.credential).first()
    if found is not None:
        return found
    return Award.objects.create(district=w.district, educator=educator,
                                credential=version.credential, version=version)


def issued(w: Any, person: str = "teacher") -> Any:
    """The award, signed as an Open Badge."""
    from uptake.badges.actions import do_issue

    badge = do_issue(award(w, person), actor=w.people["coordinator"])
    assert badge is not None
    return badge


def document(badge: Any) -> dict[str, Any]:
    return dict(json.loads(badge.document))
