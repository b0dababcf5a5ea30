from django.apps import AppConfig

from uptake import registry


class CredentialsConfig(AppConfig):
    name = "uptake.credentials"
    label = "credentials"
    verbose_name = "Micro-credentials"

    def ready(self) -> None:
        from uptake.accounts.models import Role
        from uptake.credentials import home
        from uptake.credentials.actions import AUDIT_KINDS

        for key, label in AUDIT_KINDS.items():
            registry.audit_kinds.add(registry.AuditKind(key, label))
        educators = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)
        # Educators: the catalog and their own work; assessors: the review queue;
        # coordinators: authoring, oversight and the money (uptake/credentials/urls.py).
        registry.menu.add(registry.MenuEntry(
            key="credentials", label="Credentials", url_name="credentials:catalog",
            order=58, current_app="credentials",
            shown_to=registry.any_of(*educators, unless=(Role.COORDINATOR,))))
        registry.menu.add(registry.MenuEntry(
            key="credential_reviews", label="Reviews", url_name="credentials:queue",
            order=20, shown_to=registry.any_of(Role.ASSESSOR)))
        registry.menu.add(registry.MenuEntry(
            key="credential_authoring", label="Credentials", url_name="credentials:authoring",
            order=58, current_app="credentials", shown_to=registry.any_of(Role.COORDINATOR)))
        # Coordinators: the money pages (urls_money.py), from her account page.
        registry.account_links.add(registry.MenuEntry(
            key="credential_money", label="Stipends and CEUs", url_name="credentials:stipends",
            order=70, shown_to=registry.any_of(Role.COORDINATOR)))
        from uptake.credentials import home_review

        # The assessor's home opens on her queue: the first panel of her page.
        registry.home_panels.add(registry.HomePanel(
            key="credential_reviews", template="credentials/review/home_panel.html",
            order=5, context=home_review.review_panel))
        registry.home_panels.add(registry.HomePanel(
            key="credential_oversight", template="credentials/review/home_oversight.html",
            order=45, context=home_review.oversight_panel))
        from uptake.credentials import home_educator

        # The educator's home: work returned with feedback, then her drafts.
        registry.home_panels.add(registry.HomePanel(
            key="credential_work", template="credentials/educator/home_panel.html",
            order=57, context=home_educator.educator_panel))
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="credential_items", of="inquiry",
            label="micro-credential submissions citing it", count=home.items_citing_inquiry,
            goes=False, order=70))
        registry.deletion_impacts.add(registry.DeletionImpact(
            name="credential_items", of="measure",
            label="micro-credential submissions citing it", count=home.items_citing_measure,
            goes=False, order=70))
        registry.api_areas.add(registry.ApiArea(
            key="credentials", router="uptake.credentials.api.router", prefix="/credentials",
            order=60, label="Micro-credentials",
            description="The catalog, your submissions (assemble, pre-check, submit), the "
                        "review queue and decisions, stipends and CEU transcripts.",
            for_roles=(*educators, Role.ASSESSOR, Role.COORDINATOR)))
