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
