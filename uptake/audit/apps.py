from django.apps import AppConfig

from uptake import registry


class AuditConfig(AppConfig):
    name = "uptake.audit"
    label = "audit"

    def ready(self) -> None:
        registry.api_areas.add(registry.ApiArea(
            key="audit", router="uptake.audit.api.router", prefix="/audit",
            order=90,
            label="Audit log",
            description="The district's audit log (district coordinators).", writes=False,
            for_roles=("coordinator",)))
        from uptake.accounts.models import Role
        from uptake.audit import receivers  # noqa: F401  (connects the sign-in receivers)
        from uptake.audit.home import security_panel
        from uptake.audit.models import AuditAction

        # The kinds that predate the registry (every app's until then) stay valid.
        for kind in AuditAction:
            registry.audit_kinds.add(registry.AuditKind(kind.value, str(kind.label)))
        registry.menu.add(registry.MenuEntry(
            key="audit", label="Audit log", url_name="audit:log", order=100,
            shown_to=registry.any_of(Role.COORDINATOR)))
        registry.home_panels.add(registry.HomePanel(
            key="audit.security", template="audit/home/security.html", order=11,
            context=security_panel))
