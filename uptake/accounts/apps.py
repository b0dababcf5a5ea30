from django.apps import AppConfig

from uptake import lookups


class AccountsConfig(AppConfig):
    name = "uptake.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        # Not accounts' own concern, but every app needs it and accounts loads first.
        lookups.register()
