"""What the badges app adds to the rest of Uptake (called once by ``apps.ready``)."""

from __future__ import annotations

from uptake import registry


def everything() -> None:
    from uptake.badges.actions import AUDIT_KINDS, issue_on_award

    for key, label in AUDIT_KINDS:
        registry.audit_kinds.add(registry.AuditKind(key, label))
    registry.award_hooks.add(registry.AwardHook(key="open_badge", call=issue_on_award))
    registry.api_areas.add(registry.ApiArea(
        key="badges", router="uptake.badges.api.router", prefix="/badges", order=62,
        label="Open Badges",
        description="Your Open Badges (the signed credentials), verifying one; coordinators: "
                    "the district's, and revoking one."))
