from django.apps import AppConfig

from uptake import registry


class StudentworkConfig(AppConfig):
    name = "uptake.studentwork"
    label = "studentwork"
    verbose_name = "Looking at Student Work"

    def ready(self) -> None:
        from uptake.studentwork.models import WorkSampleSet

        registry.evidence_kinds.add(registry.EvidenceKind(
            key="studentwork.sets", level=5, order=20,
            label="sets of student work looked at together",
            count=lambda inquiry: WorkSampleSet.objects.filter(inquiry=inquiry).count()))
        registry.api_areas.add(registry.ApiArea(
            key="studentwork", router="uptake.studentwork.api.router", prefix="/student-work",
            order=70,
            label="Looking at Student Work",
            description="Looking-at-Student-Work sets, groups and next steps.",
            writes=False, for_roles=("teacher",)))
        from uptake.accounts.models import Role
        from uptake.studentwork import queries

        registry.menu.add(registry.MenuEntry(
            key="studentwork", label="Student work", url_name="studentwork:list", order=35,
            current_app="studentwork", shown_to=registry.any_of(Role.TEACHER)))

        registry.deletion_impacts.add(registry.DeletionImpact(
            name="work_sets", of="inquiry", label="Looking at Student Work sets",
            count=queries.sets_of))
