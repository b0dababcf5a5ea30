from django.apps import AppConfig

from uptake import registry


class StoriesConfig(AppConfig):
    name = "uptake.stories"
    label = "stories"
    verbose_name = "Stories"

    def ready(self) -> None:
        from uptake.stories.actions import AUDIT_KINDS

        for key, label in AUDIT_KINDS.items():
            registry.audit_kinds.add(registry.AuditKind(key, label))
        # The JSON API: stories and consent records (uptake/stories/api.py).
        registry.api_areas.add(registry.ApiArea(
            key="stories", router="uptake.stories.api.router", prefix="/stories",
            order=52, label="Stories and consent",
            description="Stories told from inquiries (no share links) and consent records.",
            for_roles=("teacher", "coach", "school_leader")))
        # The builder's pages (uptake/stories/views.py): the menu, the inquiry page's
        # section, the home panel, and what deleting an inquiry or a measure takes.
        from uptake.accounts.models import Role
        from uptake.stories import home

        registry.menu.add(registry.MenuEntry(
            key="stories", label="Stories", url_name="stories:mine", order=55,
            current_app="stories", shown_to=registry.any_of(Role.TEACHER)))
        registry.inquiry_sections.add(registry.InquirySection(
            key="stories", template="stories/inquiry/section.html", order=60,
            context=home.story_section))
        registry.home_panels.add(registry.HomePanel(
            key="stories", template="stories/home/panel.html", order=58,
            context=home.stories_panel))
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="story", of="inquiry", label="stories for families told from it",
            count=home.stories_of_inquiry, goes=True, order=60))
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="story_links", of="inquiry", label="share links to its story",
            count=home.links_of_inquiry, goes=True, order=61))
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="story_charts", of="measure", label="charts of it in stories",
            count=home.charts_of_measure, goes=True, order=60))
