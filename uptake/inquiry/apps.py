from django.apps import AppConfig

from uptake import registry


class InquiryConfig(AppConfig):
    name = "uptake.inquiry"
    label = "inquiry"
    verbose_name = "Inquiries and measures"

    def ready(self) -> None:
        from uptake.accounts.models import Role
        from uptake.inquiry.home import inquiries_panel

        registry.menu.add(registry.MenuEntry(
            key="inquiries", label="Inquiries", url_name="inquiry:list", order=30,
            current_app="inquiry",
            shown_to=registry.any_of(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)))
        registry.home_panels.add(registry.HomePanel(
            key="inquiry.inquiries", template="inquiry/home/inquiries.html", order=40,
            context=inquiries_panel))
