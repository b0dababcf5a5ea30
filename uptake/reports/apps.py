""""Make your case with data" and the de-identified research export."""

from django.apps import AppConfig

from uptake import registry


class ReportsConfig(AppConfig):
    name = "uptake.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from uptake.accounts.models import Role
        from uptake.reports.actions import AUDIT_KINDS

        for key, label in AUDIT_KINDS.items():
            registry.audit_kinds.add(registry.AuditKind(key, label))
        # The case: coordinators edit it; researchers and school leaders read it.
        registry.menu.add(registry.MenuEntry(
            key="make_your_case", label="Make your case", url_name="reports:case",
            order=66, current_app="reports",
            under="district",
            shown_to=registry.any_of(Role.COORDINATOR, Role.RESEARCHER, Role.SCHOOL_LEADER)))
        # The research export, from the account page of those who may take it.
        registry.account_links.add(registry.MenuEntry(
            key="research_export", label="Research export", url_name="reports:research",
            order=75, shown_to=registry.any_of(Role.COORDINATOR, Role.RESEARCHER)))
        registry.api_areas.add(registry.ApiArea(
            key="reports", router="uptake.reports.api.router", prefix="/reports",
            order=78, label="Reports",
            description="The make-your-case words (read and edit) and the de-identified "
                        "research export.",
            for_roles=(Role.COORDINATOR, Role.RESEARCHER, Role.SCHOOL_LEADER)))
