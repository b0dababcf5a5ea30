from django.apps import AppConfig

from uptake import registry


class LearningConfig(AppConfig):
    name = "uptake.learning"
    label = "learning"
    verbose_name = "Learning plans and sources"

    def ready(self) -> None:
        from uptake.learning.models import LearningSource

        registry.evidence_kinds.add(registry.EvidenceKind(
            key="learning.sources", level=2, order=10,
            label="sources she learned from (books, courses, research)",
            count=lambda inquiry: LearningSource.objects.filter(inquiries=inquiry).count()))
        registry.api_areas.add(registry.ApiArea(
            key="learning", router="uptake.learning.api.router", prefix="/learning",
            order=40,
            label="Learning plans",
            description="Learning plans, goals and learning sources."))
        from uptake.accounts.models import Role
        from uptake.learning import queries, receivers  # noqa: F401  (receivers: seeds frameworks)
        from uptake.learning.home import district_learning_panel, plans_to_review_panel

        keepers = (Role.TEACHER, Role.COACH)
        for key, label, shown_to in [
                ("learning", "Learning plan", registry.any_of(*keepers)),
                ("learning_overview", "Learning plans", registry.any_of(
                    Role.SCHOOL_LEADER, Role.COORDINATOR, unless=keepers))]:
            registry.menu.add(registry.MenuEntry(
                key=key, label=label, url_name="learning:home", order=10,
                current_app="learning", shown_to=shown_to))
        registry.home_panels.add(registry.HomePanel(
            key="learning.to_review", template="learning/home/to_review.html", order=50,
            context=plans_to_review_panel))
        registry.home_panels.add(registry.HomePanel(
            key="learning.district", template="learning/home/district.html", order=16,
            context=district_learning_panel))
        registry.inquiry_sections.add(registry.InquirySection(
            key="learning.goals", template="learning/inquiry/goals.html", order=20,
            context=queries.goals_section))
        registry.inquiry_sections.add(registry.InquirySection(
            key="learning.alignment", template="learning/inquiry/alignment.html", order=21,
            context=queries.alignment_section))
        registry.study_events.add(registry.StudyEvents(
            key="learning", events=queries.learning_events))
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="learning_links", of="inquiry", label="learning sources that informed it",
            count=queries.sources_informing, goes=False))
