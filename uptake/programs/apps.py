"""Professional-learning programs: offerings, sessions, participation, linked records."""

from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "uptake.programs"
    label = "programs"
    verbose_name = "Programs"

    def ready(self) -> None:
        pass
