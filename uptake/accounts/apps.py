from django.apps import AppConfig

from uptake import lookups, registry


class AccountsConfig(AppConfig):
    name = "uptake.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from uptake.accounts.models import Role

        # Not accounts' own concern, but every app needs it and accounts loads first.
        lookups.register()
        registry.menu.add(registry.MenuEntry(
            key="home", label="Home", url_name="home", order=0, shown_to=lambda held: True))
        registry.menu.add(registry.MenuEntry(
            key="people", label="People", url_name="people", order=80,
            shown_to=registry.any_of(Role.COORDINATOR)))
