"""The notices pages for the access matrices: a notice is its recipient's alone."""

from __future__ import annotations

from typing import Any


def notice(w: Any) -> dict[str, Any]:
    from uptake.notifications.actions import notify

    made = notify(w.people["teacher"], kind="test", subject="Feedback on your work",
                  url="/credentials/", email=False)
    assert made is not None
    return {"notice_id": made.pk}


URL_EXAMPLES = {"notifications:open": (notice, {"teacher"})}

LAPSE_EXAMPLES = {
    # A notice is her own message: no role, class or grant gives or takes it.
    "not_objects": {frozenset({"notice_id"})},
}
