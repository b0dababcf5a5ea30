"""Dashboards for district and school leaders, and Guskey's five levels per program."""

from django.apps import AppConfig

from uptake import registry


class DistrictConfig(AppConfig):
    name = "uptake.district"
    label = "district"
    verbose_name = "District view"

    def ready(self) -> None:
        from uptake.accounts.models import Role
        from uptake.district import home

        readers = (Role.COORDINATOR, Role.RESEARCHER, Role.SCHOOL_LEADER)
        registry.menu.add(registry.MenuEntry(
            key="district", label="District", url_name="district:dashboard", order=15,
            current_app="district", shown_to=registry.any_of(*readers)))
        registry.home_panels.add(registry.HomePanel(
            key="district", template="district/home/panel.html", order=12,
            context=home.leader_panel))
        registry.api_areas.add(registry.ApiArea(
            key="dashboards", router="uptake.district.api.router", prefix="/district",
            order=70, label="District dashboards",
            description="The dashboards' aggregates: verdicts, funnels, effect sizes and "
                        "pooled estimates, student groups (suppressed), spending totals, "
                        "and a program's five levels.",
            writes=False, for_roles=readers))
