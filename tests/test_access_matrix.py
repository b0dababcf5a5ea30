"""Every URL pattern declares who may reach it, and that declaration holds for every persona.

The matrix is generated from the URL configuration: a new view without an ``allow(...)``
audience, or a new URL with parameters but no example below or in its app's
``tests/examples.py`` (``URL_EXAMPLES``), fails this test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from uptake.accounts.access import ANY_ROLE, audience_of
from uptake.inquiry.tests import examples as ix

PERSONAS = ["anonymous", "teacher", "colleague", "outsider", "coach", "assessor", "leader",
            "coordinator", "researcher", "other_coordinator"]

# Third-party views (django-allauth) keep their own access rules; they are tested by the
# sign-in tests. The API's operations (django-ninja views) have a matrix of their own,
# tests/test_api_access_matrix.py. Everything else is ours and must declare an audience.
THIRD_PARTY_MODULES = ("allauth.", "ninja.")
API_NAMESPACE = "api-1:"


@dataclass(frozen=True)
class Route:
    name: str
    callback: Callable[..., Any]
    has_params: bool


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from _walk(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                continue
            has_params = bool(entry.pattern.regex.groupindex) or entry.pattern.regex.groups > 0
            yield Route(f"{namespace}{entry.name}", entry.callback, has_params)


def our_routes() -> list[Route]:
    return [r for r in _walk(get_resolver().url_patterns)
            if not r.callback.__module__.startswith(THIRD_PARTY_MODULES)
            and not r.name.startswith(API_NAMESPACE)]


def _invitation(w: Any) -> Any:
    from datetime import timedelta

    from django.utils import timezone

    from uptake.accounts.models import Invitation

    return Invitation.objects.create(
        district=w.district, invited_by=w.people["teacher"], email="peer@elsewhere.test",
        purpose=Invitation.Purpose.PEER_OBSERVER, expires_at=timezone.now() + timedelta(days=7))


def _roster_import(w: Any) -> Any:
    from django.core.files.base import ContentFile

    from uptake.roster.models import RosterImport

    return RosterImport.objects.create(district=w.district, file_name="roster.zip",
                                       stored_file=ContentFile(b"not a zip", name="roster.zip"),
                                       status=RosterImport.Status.PREVIEWED, version="1.1",
                                       mode="bulk", report={"files": {}, "errors": []})


def _teacher_role(w: Any) -> Any:
    return w.people["teacher"].roles.get()


def _artifact(w: Any) -> Any:
    """A shared artifact of the teacher's that cannot identify students, with a file."""
    from django.core.files.base import ContentFile

    from uptake.evidence.models import Artifact

    return Artifact.objects.create(
        district=w.district, owner=w.people["teacher"], kind="document", title="Exit ticket",
        guskey_level=4, identifies_students=False, shared=True, content_type="text/plain",
        original_name="notes.txt", file=ContentFile(b"notes", name="notes.txt"))


def _observation(w: Any) -> Any:
    from uptake.observation.tests.conftest import make_observation

    return make_observation(w)  # Jamie's class, observed by Asha (colleague), window open


def _work_set(w: Any) -> Any:
    from uptake.studentwork.tests.conftest import make_set

    return make_set(w)  # Jamie's class: names, so only Jamie (the inquiry's owner)


def _work_group(w: Any) -> Any:
    from uptake.studentwork.actions import do_add_group

    return do_add_group(w.people["teacher"], _work_set(w), name="G", next_step="Reteach")


def _work_intervention(w: Any) -> Any:
    from datetime import date

    from uptake.studentwork.actions import do_add_intervention

    return do_add_intervention(w.people["teacher"], _work_group(w), what="Small group",
                               when=date(2026, 10, 7))


def _observation_prompt(w: Any) -> Any:
    from uptake.observation.actions import do_seed_default_protocol

    return do_seed_default_protocol(w.district).prompts.first()


COORDINATOR_ONLY = {"coordinator"}
# A shared artifact that cannot identify students: the owner, the teachers, coach and leader
# of her school, and her district's coordinators (see uptake/evidence/access.py).
EVIDENCE_VIEWERS = {"teacher", "colleague", "coach", "leader", "coordinator"}

# URL name -> (kwargs from the world, personas who may reach it). Object-level rules live
# here: a teacher reaches her own class, not a colleague's; a coordinator never reaches
# another district's objects.
EXAMPLES: dict[str, tuple[Callable[[Any], dict[str, Any]], set[str]]] = {
    # Learning plans: the owner; a reviewer she shared with reads and logs reviews.
    "learning:plan": (lambda w: {"plan_id": _learning_plan(w).pk}, {"teacher", "coach"}),
    "learning:review_new": (lambda w: {"plan_id": _learning_plan(w).pk},
                            {"teacher", "coach"}),
    "learning:plan_edit": (lambda w: {"plan_id": _learning_plan(w).pk}, {"teacher"}),
    "learning:plan_delete": (lambda w: {"plan_id": _learning_plan(w).pk}, {"teacher"}),
    # Her hours summary is her own (every keeper of a plan has one, maybe empty); the one
    # of a plan's linked sources is for the plan's readers.
    "learning:hours_summary": (lambda w: {"year": 2026}, {"teacher", "colleague", "outsider",
                                                         "coach"}),
    "learning:plan_hours": (lambda w: {"plan_id": _learning_plan(w).pk, "year": 2026},
                            {"teacher", "coach"}),
    # A review the coach logged: she alone corrects or deletes it.
    "learning:review_edit": (lambda w: {"review_id": _learning_review(w).pk}, {"coach"}),
    "learning:review_delete": (lambda w: {"review_id": _learning_review(w).pk}, {"coach"}),
    "learning:plan_share": (lambda w: {"plan_id": _learning_plan(w).pk}, {"teacher"}),
    "learning:plan_unshare": (lambda w: {"plan_id": _learning_plan(w).pk,
                                         "person_id": w.people["coach"].pk}, {"teacher"}),
    "learning:goal_new": (lambda w: {"plan_id": _learning_plan(w).pk}, {"teacher"}),
    "learning:goal_edit": (lambda w: {"goal_id": _learning_plan(w).goals.get().pk},
                           {"teacher"}),
    "learning:goal_delete": (lambda w: {"goal_id": _learning_plan(w).goals.get().pk},
                             {"teacher"}),
    "learning:source_edit": (lambda w: {"source_id": _learning_source(w).pk}, {"teacher"}),
    "learning:source_delete": (lambda w: {"source_id": _learning_source(w).pk}, {"teacher"}),
    "learning:framework": (lambda w: {"framework_id": _framework_element(w).framework_id},
                           COORDINATOR_ONLY),
    "learning:element_new": (lambda w: {"framework_id": _framework_element(w).framework_id},
                             COORDINATOR_ONLY),
    "learning:element_edit": (lambda w: {"element_id": _framework_element(w).pk},
                              COORDINATOR_ONLY),
    "learning:element_move": (lambda w: {"element_id": _framework_element(w).pk},
                              COORDINATOR_ONLY),
    "learning:element_remove": (lambda w: {"element_id": _framework_element(w).pk},
                                COORDINATOR_ONLY),
    "learning:element_restore": (lambda w: {"element_id": _framework_element(w).pk},
                                 COORDINATOR_ONLY),
    "roster:class": (lambda w: {"section_id": w.section.pk},
                     {"teacher", "coach", "leader", "coordinator"}),
    "roster:import_detail": (lambda w: {"import_id": _roster_import(w).pk}, COORDINATOR_ONLY),
    "roster:import_apply": (lambda w: {"import_id": _roster_import(w).pk}, COORDINATOR_ONLY),
    "roster:import_cancel": (lambda w: {"import_id": _roster_import(w).pk}, COORDINATOR_ONLY),
    "person": (lambda w: {"person_id": w.people["teacher"].pk}, COORDINATOR_ONLY),
    "person_grant": (lambda w: {"person_id": w.people["teacher"].pk}, COORDINATOR_ONLY),
    "person_revoke": (lambda w: {"person_id": w.people["teacher"].pk,
                                 "assignment_id": _teacher_role(w).pk}, COORDINATOR_ONLY),
    "person_deactivate": (lambda w: {"person_id": w.people["teacher"].pk}, COORDINATOR_ONLY),
    "person_reactivate": (lambda w: {"person_id": w.people["teacher"].pk}, COORDINATOR_ONLY),
    "invitation_revoke": (lambda w: {"invitation_id": _invitation(w).pk},
                          {"teacher", "coordinator"}),
    "invitation_accept": (lambda w: {"token": _invitation(w).token}, set(PERSONAS)),
    # Inquiries: Jamie owns the inquiry and shared it with the coach (read only); her
    # colleague, the outsider, the leader (not shared) and other districts get a 404.
    "inquiry:detail": (ix.inquiry_id, ix.READERS),
    "inquiry:edit": (ix.inquiry_id, ix.EDITORS),
    "inquiry:share": (ix.inquiry_id, ix.EDITORS),
    "inquiry:delete": (ix.inquiry_id, ix.EDITORS),
    "inquiry:status": (ix.inquiry_id, ix.EDITORS),
    "inquiry:measure_create": (ix.inquiry_id, ix.EDITORS),
    "inquiry:cycle": (ix.cycle_id, ix.READERS),
    "inquiry:cycle_plan": (ix.cycle_id, ix.EDITORS),
    "inquiry:cycle_log": (ix.cycle_id, ix.EDITORS),
    "inquiry:cycle_study": (ix.cycle_id, ix.EDITORS),
    "inquiry:cycle_act": (ix.cycle_id, ix.EDITORS),
    "inquiry:cycle_next": (ix.cycle_id, ix.EDITORS),
    "inquiry:measure": (ix.measure_id, ix.READERS),
    "inquiry:measure_edit": (ix.measure_id, ix.EDITORS),
    "inquiry:study": (ix.measure_id, ix.READERS),
    "inquiry:measure_delete": (ix.measure_id, ix.EDITORS),
    "inquiry:enter": (ix.measure_class, ix.EDITORS),
    "inquiry:import": (ix.measure_class, ix.EDITORS),
    "inquiry:import_apply": (ix.measure_class, ix.EDITORS),
    "inquiry:occasion": (ix.occasion_id, ix.EDITORS),
    "inquiry:occasion_delete": (ix.occasion_id, ix.EDITORS),
    "inquiry:team": (ix.team_id, ix.TEAM),
    "inquiry:team_rename": (ix.team_id, ix.TEAM),
    "inquiry:team_add_member": (ix.team_id, ix.TEAM),
    "inquiry:team_remove_member": (ix.team_member, ix.TEAM),
    "inquiry:team_leave": (ix.team_id, ix.TEAM),
    "evidence:detail": (lambda w: {"artifact_id": _artifact(w).pk}, EVIDENCE_VIEWERS),
    "evidence:file": (lambda w: {"artifact_id": _artifact(w).pk}, EVIDENCE_VIEWERS),
    "evidence:edit": (lambda w: {"artifact_id": _artifact(w).pk}, {"teacher"}),
    "evidence:share": (lambda w: {"artifact_id": _artifact(w).pk}, {"teacher"}),
    "evidence:unshare": (lambda w: {"artifact_id": _artifact(w).pk}, {"teacher"}),
    "evidence:delete": (lambda w: {"artifact_id": _artifact(w).pk}, {"teacher"}),
    "observation:prompt_add": (lambda w: {"protocol_id": _observation_prompt(w).protocol_id},
                               COORDINATOR_ONLY),
    "observation:prompt_edit": (lambda w: {"prompt_id": _observation_prompt(w).pk},
                                COORDINATOR_ONLY),
    "observation:request_new": (lambda w: {"inquiry_id": _observation(w).inquiry_id},
                                {"teacher"}),
    "observation:detail": (lambda w: {"request_id": _observation(w).pk},
                           {"teacher", "colleague"}),
    "observation:tallies": (lambda w: {"request_id": _observation(w).pk}, {"colleague"}),
    "observation:submit": (lambda w: {"request_id": _observation(w).pk}, {"colleague"}),
    "observation:cancel": (lambda w: {"request_id": _observation(w).pk}, {"teacher"}),
    "studentwork:new": (lambda w: {"inquiry_id": _work_set(w).inquiry_id}, {"teacher"}),
    "studentwork:detail": (lambda w: {"set_id": _work_set(w).pk}, {"teacher"}),
    "studentwork:scores": (lambda w: {"set_id": _work_set(w).pk}, {"teacher"}),
    "studentwork:group_add": (lambda w: {"set_id": _work_set(w).pk}, {"teacher"}),
    "studentwork:assign": (lambda w: {"set_id": _work_set(w).pk}, {"teacher"}),
    "studentwork:intervention_add": (lambda w: {"group_id": _work_group(w).pk}, {"teacher"}),
    "studentwork:outcome": (lambda w: {"intervention_id": _work_intervention(w).pk},
                            {"teacher"}),
}


def _declared_by_apps() -> dict[str, tuple[Callable[[Any], dict[str, Any]], set[str]]]:
    """URL examples an app declares itself, in ``URL_EXAMPLES`` of its ``tests/examples.py``
    (same shape as EXAMPLES), so that a new app's URLs join the matrix without an edit here."""
    import importlib
    import importlib.util

    from django.apps import apps

    declared: dict[str, tuple[Callable[[Any], dict[str, Any]], set[str]]] = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.examples"
        if not config.name.startswith("uptake.") or importlib.util.find_spec(
                f"{config.name}.tests") is None or importlib.util.find_spec(name) is None:
            continue
        for url_name, example in getattr(importlib.import_module(name), "URL_EXAMPLES",
                                         {}).items():
            assert url_name not in EXAMPLES and url_name not in declared, url_name
            declared[url_name] = example
    return declared


EXAMPLES.update(_declared_by_apps())


def _learning_plan(w: Any) -> Any:
    """Jamie's learning plan with one goal, shared with Cedar's coach."""
    from datetime import date

    from uptake.learning import actions
    from uptake.learning.models import school_year_of

    year = school_year_of(date.today())
    jamie = w.people["teacher"]
    plan = actions.do_create_plan(owner=jamie, title="Matrix plan", start_year=year,
                                  end_year=year + 1)
    actions.do_add_goal(plan, actor=jamie, fields=actions.GoalFields(
        statement="s", measure="m", steps="st", relevance="r",
        target_date=date(year + 1, 5, 1)))
    actions.do_share_plan(plan, actor=jamie, reviewer=w.people["coach"])
    return plan


def _learning_review(w: Any) -> Any:
    """A review of Jamie's plan, logged by Cedar's coach she shared it with."""
    from datetime import date

    from uptake.learning import actions

    coach = w.people["coach"]
    return actions.do_log_review(_learning_plan(w), actor=coach, reviewer=coach,
                                 reviewed_on=date.today(), notes="Talked about talk moves.")


def _learning_source(w: Any) -> Any:
    from datetime import date

    from uptake.learning import actions

    return actions.do_add_source(owner=w.people["teacher"], fields=actions.SourceFields(
        kind="book", title="A book", learned_on=date(2026, 1, 5)))


def _framework_element(w: Any, code: str = "3.2") -> Any:
    from uptake.learning.models import FrameworkElement

    return FrameworkElement.objects.get(framework__district=w.district, code=code)


def expected_from_audience(route: Route) -> set[str]:
    audience = audience_of(route.callback)
    assert audience is not None
    if audience.anonymous:
        return set(PERSONAS)
    if ANY_ROLE in audience.roles:
        return set(PERSONAS) - {"anonymous"}
    from conftest import world_roles

    return {p for p, roles in world_roles().items() if roles & audience.roles}


def test_it_requires_every_view_to_declare_its_audience() -> None:
    missing = [r.name for r in our_routes() if audience_of(r.callback) is None]
    assert missing == [], f"views without @allow(...): {missing}"


def test_it_requires_an_example_for_every_url_with_parameters() -> None:
    missing = [r.name for r in our_routes() if r.has_params and r.name not in EXAMPLES]
    assert missing == [], ("add these URL names to URL_EXAMPLES in their app's "
                           f"tests/examples.py: {missing}")


def _outcome(response: Any) -> str:
    if response.status_code == 404:
        return "hidden"
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    assert response.status_code < 500, response
    return "reached"


def _probe(client: Any, url: str) -> str:
    """GET the URL; for POST-only views, POST an empty form inside a rolled-back savepoint,
    so that object-level checks run and nothing a persona does changes the next probe."""
    from django.db import transaction

    response = client.get(url)
    if response.status_code != 405:
        return _outcome(response)
    savepoint = transaction.savepoint_create()
    try:
        return _outcome(client.post(url, {}))
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.django_db
def test_it_gives_each_persona_exactly_the_access_declared(world: Any, client: Any) -> None:
    failures = []
    for route in our_routes():
        if route.has_params:
            make_kwargs, allowed = EXAMPLES[route.name]
            url = reverse(route.name, kwargs=make_kwargs(world))
        else:
            allowed = expected_from_audience(route)
            url = reverse(route.name)
        for persona in PERSONAS:
            client.logout()
            if persona != "anonymous":
                client.force_login(world.people[persona],
                                   backend="django.contrib.auth.backends.ModelBackend")
            got = _probe(client, url)
            if persona in allowed:
                want = "reached"
            else:
                want = "login" if persona == "anonymous" else "hidden"
            if got != want:
                failures.append(f"{route.name} {url} as {persona}: {got}, expected {want}")
    assert failures == []


def test_it_checks_a_route_for_every_view_of_ours() -> None:
    names = {r.name for r in our_routes()}
    assert {"home", "people", "roster:classes", "roster:import", "audit:log"} <= names
