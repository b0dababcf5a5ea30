"""Professional-learning programs: offerings, sessions, participation, linked records."""

from django.apps import AppConfig

from uptake import registry


class ProgramsConfig(AppConfig):
    name = "uptake.programs"
    label = "programs"
    verbose_name = "Programs"

    def ready(self) -> None:
        from uptake.accounts.models import Role
        from uptake.programs import queries
        from uptake.programs.actions import AUDIT_KINDS

        for key, label in AUDIT_KINDS.items():
            registry.audit_kinds.add(registry.AuditKind(key, label))
        # The list and a program's page for everyone who may see programs; the forms,
        # attendance and imports for coordinators (uptake/programs/views.py).
        registry.menu.add(registry.MenuEntry(
            key="programs", label="Programs", url_name="programs:list", order=61,
            current_app="programs",
            shown_to=registry.any_of(Role.COORDINATOR, Role.SCHOOL_LEADER, Role.RESEARCHER,
                                     Role.TEACHER, Role.COACH)))
        registry.inquiry_sections.add(registry.InquirySection(
            key="programs", template="programs/inquiry/section.html", order=65,
            context=queries.inquiry_section))
        registry.api_areas.add(registry.ApiArea(
            key="programs", router="uptake.programs.api.router", prefix="/programs",
            order=61, label="Programs",
            description="The district's professional-learning programs, their sessions, "
                        "participants and attendance (coordinators write them, and import "
                        "participation), and your own links to the programs your work came "
                        "out of.",
            for_roles=(Role.COORDINATOR, Role.SCHOOL_LEADER, Role.RESEARCHER, Role.TEACHER,
                       Role.COACH)))
