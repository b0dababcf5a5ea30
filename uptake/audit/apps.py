from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "uptake.audit"
    label = "audit"

    def ready(self) -> None:
        from uptake.audit import receivers  # noqa: F401  (connects the sign-in receivers)
