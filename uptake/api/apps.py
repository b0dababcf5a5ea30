from django.apps import AppConfig

from uptake import registry


class ApiConfig(AppConfig):
    name = "uptake.api"
    label = "api"
    verbose_name = "JSON API"

    def ready(self) -> None:
        for key, label in [("api_token_created", "API token created"),
                           ("api_token_revoked", "API token revoked")]:
            registry.audit_kinds.add(registry.AuditKind(key, label))
