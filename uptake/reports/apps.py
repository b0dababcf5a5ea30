""""Make your case with data" and the de-identified research export."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "uptake.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        pass
