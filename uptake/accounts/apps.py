from django.apps import AppConfig

from uptake import lookups, registry


class AccountsConfig(AppConfig):
    name = "uptake.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        registry.api_areas.add(registry.ApiArea(
            key="me", router="uptake.accounts.api.me_router", prefix="/me",
            order=0,
            label="Who I am",
            description="Whom a credential acts for: roles, schools.", writes=False,
            every_token=True))
        registry.api_areas.add(registry.ApiArea(
            key="district", router="uptake.accounts.api.router", prefix="",
            order=10,
            label="District, schools and people",
            description="Districts, schools and people (district coordinators).",
            for_roles=("coordinator", "school_leader", "coach")))
        from uptake.accounts.models import Role

        # Not accounts' own concern, but every app needs it and accounts loads first.
        lookups.register()
        registry.menu.add(registry.MenuEntry(
            key="home", label="Home", url_name="home", order=0, shown_to=lambda held: True))
        registry.menu.add(registry.MenuEntry(
            key="people", label="People", url_name="people", order=80,
            shown_to=registry.any_of(Role.COORDINATOR)))
        # Sign-in with the school account (docs/sso.md).
        from uptake.accounts.actions import SSO_AUDIT_KINDS

        for key, label in SSO_AUDIT_KINDS.items():
            registry.audit_kinds.add(registry.AuditKind(key, label))
        from allauth.account.signals import user_logged_in

        from uptake.accounts.adapter import record_sso_sign_in
        from uptake.accounts.sso import home_panel

        user_logged_in.connect(record_sso_sign_in, dispatch_uid="uptake.accounts.sso_sign_in")

        registry.home_panels.add(registry.HomePanel(
            key="accounts.school_sign_in", template="accounts/sso/home_panel.html", order=12,
            context=home_panel))
