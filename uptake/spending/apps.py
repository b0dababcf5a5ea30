"""The professional-learning spending ledger per fiscal year."""

from django.apps import AppConfig

from uptake import registry


class SpendingConfig(AppConfig):
    name = "uptake.spending"
    label = "spending"
    verbose_name = "Spending"

    def ready(self) -> None:
        from uptake.spending.access import READER_ROLES
        from uptake.spending.actions import AUDIT_KINDS

        for key, label in AUDIT_KINDS.items():
            registry.audit_kinds.add(registry.AuditKind(key, label))
        # Coordinators keep the ledger; school leaders and researchers read it.
        registry.menu.add(registry.MenuEntry(
            key="spending", label="Spending", url_name="spending:ledger", order=64,
            current_app="spending", under="district", shown_to=registry.any_of(*READER_ROLES)))
        registry.api_areas.add(registry.ApiArea(
            key="spending", router="uptake.spending.api.router", prefix="/spending",
            order=66, label="Spending",
            description="The professional-learning spending ledger per fiscal year (entered, "
                        "imported and micro-credential stipend lines), totals by funding "
                        "source and use; coordinators add, correct and delete lines.",
            for_roles=READER_ROLES))
