from django.apps import AppConfig

from uptake import registry


class RosterConfig(AppConfig):
    name = "uptake.roster"
    label = "roster"

    def ready(self) -> None:
        registry.api_areas.add(registry.ApiArea(
            key="roster", router="uptake.roster.api.router", prefix="",
            order=20,
            label="Classes, students and roster imports",
            description="Classes and their students by pseudonymous ID; OneRoster imports."))
        from uptake.accounts.models import Role
        from uptake.roster import home

        registry.menu.add(registry.MenuEntry(
            key="classes", label="Classes", url_name="roster:classes", order=20,
            shown_to=registry.any_of(Role.TEACHER, Role.COORDINATOR, Role.SCHOOL_LEADER,
                                     Role.COACH)))
        registry.menu.add(registry.MenuEntry(
            key="roster_import", label="Roster import", url_name="roster:import", order=90,
            shown_to=registry.any_of(Role.COORDINATOR)))
        for key, order, context in [("district", 10, home.district_panel),
                                    ("schools", 20, home.schools_panel),
                                    ("classes", 30, home.classes_panel)]:
            registry.home_panels.add(registry.HomePanel(
                key=f"roster.{key}", template=f"roster/home/{key}.html", order=order,
                context=context))
