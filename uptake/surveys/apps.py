"""One survey engine for every instrument a district needs."""

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "uptake.surveys"
    label = "surveys"
    verbose_name = "Surveys"

    def ready(self) -> None:
        pass
