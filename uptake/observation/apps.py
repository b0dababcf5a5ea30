from django.apps import AppConfig

from uptake import registry


class ObservationConfig(AppConfig):
    name = "uptake.observation"
    label = "observation"
    verbose_name = "Peer observation"

    def ready(self) -> None:
        from uptake.observation.models import ObservationRequest

        # Observation beats self-report for the use of new skills (level 4).
        registry.evidence_kinds.add(registry.EvidenceKind(
            key="observation.submitted", level=4, order=10,
            label="peer observations of her class",
            count=lambda inquiry: ObservationRequest.objects.filter(
                inquiry=inquiry, status=ObservationRequest.Status.SUBMITTED).count()))
        registry.api_areas.add(registry.ApiArea(
            key="observation", router="uptake.observation.api.router", prefix="/observations",
            order=60,
            label="Observations",
            description="Peer observations: requests, prompts and tallies."))
        from uptake.accounts.models import Role
        from uptake.observation import queries
        from uptake.observation.home import to_observe_panel

        # Someone with no role may be an observer invited by e-mail.
        registry.menu.add(registry.MenuEntry(
            key="observations", label="Observations", url_name="observation:list", order=40,
            current_app="observation",
            shown_to=lambda held: Role.TEACHER in held or not held))
        registry.home_panels.add(registry.HomePanel(
            key="observation.to_make", template="observation/home/to_make.html", order=35,
            context=to_observe_panel))
        label = "peer-observation requests"
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="observations", of="inquiry", label=label,
            count=queries.requests_on_inquiry))
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="observations", of="measure", label=label,
            count=queries.requests_on_measure))
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="observation_points", of="occasion", label=label,
            count=queries.submissions_behind, goes=False))
