from django.apps import AppConfig

from uptake import registry


class LibraryConfig(AppConfig):
    name = "uptake.library"
    label = "library"
    verbose_name = "Shared-practice library"

    def ready(self) -> None:
        from uptake.accounts.models import Role
        from uptake.library import queries
        from uptake.library.actions import AUDIT_KINDS

        registry.menu.add(registry.MenuEntry(
            key="library", label="Library", url_name="library:list", order=55,
            current_app="library",
            shown_to=registry.any_of(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER,
                                     Role.COORDINATOR)))
        for key, label in AUDIT_KINDS:
            registry.audit_kinds.add(registry.AuditKind(key, label))
        registry.inquiry_sections.add(registry.InquirySection(
            key="library", template="library/inquiry/section.html", order=40,
            context=queries.inquiry_section))
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="library_trials", of="inquiry",
            label="links to practices it tried (in the shared-practice library)",
            count=queries.trials_of, goes=True))
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="library_practices", of="inquiry",
            label="practices shared from it (the practices stay in the library)",
            count=queries.practices_from, goes=False))
        registry.api_areas.add(registry.ApiArea(
            key="library", router="uptake.library.api.router", prefix="/library",
            order=55, label="Library",
            description="The shared-practice library: practices and the inquiries that "
                        "tried them."))
