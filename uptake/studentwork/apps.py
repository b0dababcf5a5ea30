from django.apps import AppConfig

from uptake import registry


class StudentworkConfig(AppConfig):
    name = "uptake.studentwork"
    label = "studentwork"
    verbose_name = "Looking at Student Work"

    def ready(self) -> None:
        from uptake.studentwork import queries

        registry.deletion_impacts.add(registry.DeletionImpact(
            name="work_sets", of="inquiry", label="Looking at Student Work sets",
            count=queries.sets_of))
