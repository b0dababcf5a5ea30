from django.apps import AppConfig

from uptake import registry


class ApiConfig(AppConfig):
    name = "uptake.api"
    label = "api"
    verbose_name = "JSON API"

    def ready(self) -> None:
        for key, label in [("api_token_created", "API token created"),
                           ("api_token_revoked", "API token revoked"),
                           ("api_integration_created", "API integration registered"),
                           ("api_integration_secret_rotated", "API integration secret rotated"),
                           ("api_integration_revoked", "API integration revoked")]:
            registry.audit_kinds.add(registry.AuditKind(key, label))
        # OAuth client-credentials tokens of district integrations (uptake/api/oauth.py);
        # the token pages are reached from the account page (uptake/api/page_urls.py).
        from uptake.accounts.models import Role
        from uptake.api import oauth
        from uptake.api.auth import add_resolver

        add_resolver(oauth.client_credentials_token)
        registry.account_links.add(registry.MenuEntry(
            key="api_tokens", label="API tokens", url_name="api_tokens:tokens", order=50,
            shown_to=lambda held: True))
        registry.account_links.add(registry.MenuEntry(
            key="api_district", label="District API access and integrations",
            url_name="api_tokens:district", order=60,
            shown_to=registry.any_of(Role.COORDINATOR)))
