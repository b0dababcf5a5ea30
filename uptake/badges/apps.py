from django.apps import AppConfig


class BadgesConfig(AppConfig):
    name = "uptake.badges"
    label = "badges"
    verbose_name = "Open Badges"

    def ready(self) -> None:
        from uptake.badges import declare

        declare.everything()
