"""One survey engine for every instrument a district needs."""

from django.apps import AppConfig

from uptake import registry


class SurveysConfig(AppConfig):
    name = "uptake.surveys"
    label = "surveys"
    verbose_name = "Surveys"

    def ready(self) -> None:
        from uptake.accounts.models import Role
        from uptake.surveys import home
        from uptake.surveys.actions import AUDIT_KINDS

        for key, label in AUDIT_KINDS.items():
            registry.audit_kinds.add(registry.AuditKind(key, label))
        registry.menu.add(registry.MenuEntry(
            key="surveys", label="Surveys", url_name="surveys:list", order=62,
            current_app="surveys",
            under="district",
            shown_to=registry.any_of(Role.COORDINATOR, Role.SCHOOL_LEADER, Role.RESEARCHER)))
        registry.home_panels.add(registry.HomePanel(
            key="surveys_awaiting", template="surveys/home_panel.html", order=8,
            context=home.awaiting_panel))
        registry.api_areas.add(registry.ApiArea(
            key="surveys", router="uptake.surveys.api.router", prefix="/surveys", order=64,
            label="Surveys",
            description="Surveys you were asked to answer and your answers; for their "
                        "authors, questions, results (small numbers withheld) and responses "
                        "(anonymous ones carry no person).",
            for_roles=(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR,
                       Role.RESEARCHER, Role.ASSESSOR)))
