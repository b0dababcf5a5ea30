from collections.abc import Callable
from typing import Any

from django.apps import AppConfig

from uptake import registry


class EvidenceConfig(AppConfig):
    name = "uptake.evidence"
    label = "evidence"

    def ready(self) -> None:
        from uptake.evidence.models import Artifact, GuskeyLevel

        # The teacher tags each artifact with the level it speaks to.
        def at_level(level: int) -> Callable[[Any], int]:
            return lambda inquiry: Artifact.objects.filter(
                inquiry=inquiry, guskey_level=level).count()

        for level in GuskeyLevel:
            registry.evidence_kinds.add(registry.EvidenceKind(
                key=f"evidence.artifacts.{int(level)}", level=int(level), order=50,
                label="pieces of evidence she collected", count=at_level(int(level))))
        registry.api_areas.add(registry.ApiArea(
            key="evidence", router="uptake.evidence.api.router", prefix="/evidence",
            order=50,
            label="Evidence",
            description="Evidence metadata (files stay on the pages)."))
        from uptake.accounts.models import Role
        from uptake.evidence import queries
        from uptake.evidence.home import shared_evidence_panel

        for key, label, url_name, shown_to in [
                ("evidence", "Evidence", "evidence:mine", registry.any_of(Role.TEACHER)),
                ("evidence_shared", "Shared evidence", "evidence:shared", registry.any_of(
                    Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR,
                    unless=(Role.TEACHER,)))]:
            registry.menu.add(registry.MenuEntry(
                key=key, label=label, url_name=url_name, order=50, current_app="evidence",
                shown_to=shown_to))
        registry.inquiry_sections.add(registry.InquirySection(
            key="evidence", template="evidence/inquiry/evidence.html", order=10,
            context=queries.evidence_section))
        registry.home_panels.add(registry.HomePanel(
            key="evidence.shared", template="evidence/home/shared.html", order=55,
            context=shared_evidence_panel))
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="evidence_links", of="inquiry", label="pieces of evidence linked to it",
            count=queries.artifacts_linked_to, goes=False))
