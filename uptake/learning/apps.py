from django.apps import AppConfig

from uptake import registry


class LearningConfig(AppConfig):
    name = "uptake.learning"
    label = "learning"
    verbose_name = "Learning plans and sources"

    def ready(self) -> None:
        from uptake.accounts.models import Role
        from uptake.learning import queries, receivers  # noqa: F401  (receivers: seeds frameworks)

        keepers = (Role.TEACHER, Role.COACH)
        for key, label, shown_to in [
                ("learning", "Learning plan", registry.any_of(*keepers)),
                ("learning_overview", "Learning plans", registry.any_of(
                    Role.SCHOOL_LEADER, Role.COORDINATOR, unless=keepers))]:
            registry.menu.add(registry.MenuEntry(
                key=key, label=label, url_name="learning:home", order=10,
                current_app="learning", shown_to=shown_to))
        registry.study_events.add(registry.StudyEvents(
            key="learning", events=queries.learning_events))
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="learning_links", of="inquiry", label="learning sources that informed it",
            count=queries.sources_informing, goes=False))
