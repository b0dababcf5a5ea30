"""The home-page panel of learning plans shared with a coach, leader or coordinator for
review. Registered in LearningConfig.ready()."""

from __future__ import annotations

from typing import Any

from uptake.accounts.models import Role
from uptake.learning.access import plans_shared_with
from uptake.learning.models import Framework, LearningPlan

HOME_LIMIT = 10


def plans_to_review_panel(user: Any) -> dict[str, Any] | None:
    plans = plans_shared_with(user)
    if not plans:
        return None
    return {"plans_to_review": plans[:HOME_LIMIT], "plans_to_review_more": len(plans) > HOME_LIMIT}


def district_learning_panel(user: Any) -> dict[str, Any] | None:
    """A coordinator's way into the district's plans (whether they exist and how far along,
    never their text) and the frameworks goals align to."""
    if not user.has_role(Role.COORDINATOR) or user.district_id is None:
        return None
    plans = LearningPlan.objects.filter(district_id=user.district_id)
    return {"district_plans": plans.count(),
            "district_planners": plans.values("owner").distinct().count(),
            "district_frameworks": Framework.objects.filter(district_id=user.district_id).count()}
