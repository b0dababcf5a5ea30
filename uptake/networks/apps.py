"""Networks and knowledge mobilisation: who learns from whom, the brokers, the changes it
led to, and learning in online communities (docs/networks.md)."""

from django.apps import AppConfig

from uptake import registry


class NetworksConfig(AppConfig):
    name = "uptake.networks"
    label = "networks"
    verbose_name = "Networks"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from uptake.accounts.models import Role, RoleAssignment, School, User
        from uptake.networks.actions import AUDIT_KINDS
        from uptake.networks.models import Contact, NetworkImport, Tie
        from uptake.networks.precompute import row_changed

        # What the map is drawn from: any save moves the district's change token, so a
        # map cached by the cheap version is never read stale (uptake/networks/figures.py).
        # Deleting ties, contacts and imports needs no signal (their count and largest id
        # move, and the networks actions that delete them move the token): one would make
        # Django load every tie of an import it deletes.
        for model in (User, RoleAssignment, School, Tie, Contact, NetworkImport):
            post_save.connect(row_changed, sender=model, dispatch_uid=f"map-{model.__name__}")
        for model in (User, RoleAssignment, School):
            post_delete.connect(row_changed, sender=model,
                                dispatch_uid=f"map-del-{model.__name__}")

        for key, label in AUDIT_KINDS.items():
            registry.audit_kinds.add(registry.AuditKind(key, label))
        # Teachers and coaches find "Network" (her own ego network, the ties she names, the
        # change log) on their learning page, beside the plan and the sources she learns
        # from: their main row is full at 1280 px. Leaders, coordinators and researchers
        # find it on the district dashboard (a leader's school aggregate; the whole network).
        registry.menu.add(registry.MenuEntry(
            key="networks", label="Network", url_name="networks:home", order=86,
            current_app="networks", under="learning",
            shown_to=registry.any_of(Role.TEACHER, Role.COACH, unless=(
                Role.SCHOOL_LEADER, Role.COORDINATOR, Role.RESEARCHER))))
        registry.menu.add(registry.MenuEntry(
            key="networks_district", label="Network", url_name="networks:home", order=63,
            current_app="networks", under="district",
            shown_to=registry.any_of(Role.SCHOOL_LEADER, Role.COORDINATOR, Role.RESEARCHER)))
        educators = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)
        registry.api_areas.add(registry.ApiArea(
            key="networks", router="uptake.networks.api.router", prefix="/networks",
            order=66, label="Networks",
            description="Relations, contacts and ties (surveys, imports, the ties you name, "
                        "the known layer), network surveys' results, the network's measures "
                        "and brokers, your ego network.",
            for_roles=(*educators, Role.COORDINATOR, Role.RESEARCHER)))
        registry.api_areas.add(registry.ApiArea(
            key="changes", router="uptake.networks.api_changes.router", prefix="/changes",
            order=67, label="Knowledge mobilisation",
            description="The changes schools made because of what someone learned, soft and "
                        "real, with their chain and the counterfactual question; reports.",
            for_roles=(*educators, Role.COORDINATOR, Role.RESEARCHER)))
        registry.api_areas.add(registry.ApiArea(
            key="communities", router="uptake.networks.api_community.router",
            prefix="/communities", order=68, label="Online communities",
            description="Your imports of an online community's posts and comments, their "
                        "measures per period and the sample to code (pseudonymous).",
            for_roles=(*educators, Role.RESEARCHER, Role.COORDINATOR)))
