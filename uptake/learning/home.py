"""The home-page panel of learning plans shared with a coach, leader or coordinator for
review. Registered in LearningConfig.ready()."""

from __future__ import annotations

from typing import Any

from uptake.learning.access import plans_shared_with

HOME_LIMIT = 10


def plans_to_review_panel(user: Any) -> dict[str, Any] | None:
    plans = plans_shared_with(user)
    if not plans:
        return None
    return {"plans_to_review": plans[:HOME_LIMIT], "plans_to_review_more": len(plans) > HOME_LIMIT}
