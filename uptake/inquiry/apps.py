from django.apps import AppConfig

from uptake import registry


class InquiryConfig(AppConfig):
    name = "uptake.inquiry"
    label = "inquiry"
    verbose_name = "Inquiries and measures"

    def ready(self) -> None:
        from uptake.inquiry.models import Measure as _Measure

        registry.evidence_kinds.add(registry.EvidenceKind(
            key="inquiry.measures", level=5, order=10,
            label="measures of her students' learning, with data",
            count=lambda inquiry: _Measure.objects.filter(
                inquiry=inquiry, occasions__isnull=False).distinct().count()))
        registry.api_areas.add(registry.ApiArea(
            key="inquiry", router="uptake.inquiry.api.router", prefix="",
            order=30,
            label="Inquiries, measures and scores",
            description="Inquiries, cycles, measures, occasions and scores; study results."))
        from uptake.accounts.models import Role
        from uptake.inquiry.home import inquiries_panel, participation_panel, results_panel
        from uptake.inquiry.models import Annotation

        registry.menu.add(registry.MenuEntry(
            key="inquiries", label="Inquiries", url_name="inquiry:list", order=30,
            current_app="inquiry",
            shown_to=registry.any_of(Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)))
        registry.menu.add(registry.MenuEntry(
            key="teams", label="Teams", url_name="inquiry:teams", order=32,
            current_url="inquiry:teams", shown_to=registry.any_of(Role.TEACHER)))
        registry.menu.add(registry.MenuEntry(
            key="results", label="Results", url_name="inquiry:results", order=60,
            current_url="inquiry:results",
            # Coordinators and researchers reach it from the district dashboard, which
            # has its own entry: the header keeps one row of entries at 1280 px.
            shown_to=registry.any_of(Role.ASSESSOR, unless=(Role.COORDINATOR,
                                                            Role.RESEARCHER))))
        registry.home_panels.add(registry.HomePanel(
            key="inquiry.inquiries", template="inquiry/home/inquiries.html", order=40,
            context=inquiries_panel))
        # A measure's notes on the chart go with it (and with its inquiry).
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="chart_notes", of="measure", label="notes on the chart",
            count=lambda measure: Annotation.objects.filter(measure=measure).count()))
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="chart_notes", of="inquiry", label="notes on the charts",
            count=lambda inquiry: Annotation.objects.filter(
                measure__inquiry=inquiry).count()))
        # A roster import that moves students or changes their classes makes the
        # district's per-series summaries stale (uptake.inquiry.summaries).
        from uptake.inquiry.summaries import roster_changed_receiver
        from uptake.roster.actions import roster_changed

        roster_changed.connect(roster_changed_receiver,
                               dispatch_uid="uptake.inquiry.summaries.roster_changed")
        for key, order, context in [("results", 15, results_panel),
                                    ("participation", 45, participation_panel)]:
            registry.home_panels.add(registry.HomePanel(
                key=f"inquiry.{key}", template=f"inquiry/home/{key}.html", order=order,
                context=context))
