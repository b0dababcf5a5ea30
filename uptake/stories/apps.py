from django.apps import AppConfig

from uptake import registry


class StoriesConfig(AppConfig):
    name = "uptake.stories"
    label = "stories"
    verbose_name = "Stories"

    def ready(self) -> None:
        from uptake.stories.actions import AUDIT_KINDS

        for key, label in AUDIT_KINDS.items():
            registry.audit_kinds.add(registry.AuditKind(key, label))
        # The JSON API: stories and consent records (uptake/stories/api.py).
        registry.api_areas.add(registry.ApiArea(
            key="stories", router="uptake.stories.api.router", prefix="/stories",
            order=52, label="Stories and consent",
            description="Stories told from inquiries (no share links) and consent records.",
            for_roles=("teacher", "coach", "school_leader")))
