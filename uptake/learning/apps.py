from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "uptake.learning"
    label = "learning"
    verbose_name = "Learning plans and sources"

    def ready(self) -> None:
        from uptake.learning import receivers  # noqa: F401  (seeds frameworks for new districts)
