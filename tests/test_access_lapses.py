"""Access that lapses: every object type, every way access can end, every URL it is in.

One scene holds an object of each type: Jamie's (``teacher``) team inquiry with its cycle,
a measure on her class with data, a Looking at Student Work set with a group and an
intervention, an observation request that her team colleague Asha (``colleague``, who
co-teaches the class) made and Miguel (``outsider``) is to observe, the team, a learning
plan with a review by Cedar's coach, and two pieces of evidence (one shared with the school,
one identifying students shared with the coach by name); the inquiry is shared with the
coach and Cedar's principal, the plan with the coach.

The URLs come from the URL resolver (the access matrix's ``our_routes``): a URL belongs to
an object type by the ids it takes (``inquiry_id``, ``set_id``, …), and a URL without ids
(lists, home) belongs to every type whose title it shows. For each person who reaches an
object and each way her access can end, the test probes every URL of the type (a GET, or an
empty POST in a rolled-back savepoint, as the matrix does), ends her access, and probes
again: every URL she reached must now give the same 404 as a missing object (or, for a
deactivated account, send her to sign in), and no list may still show the object's title.

A new URL that takes one of these ids joins the walk by itself, and one whose ids are not
known fails until they are: a new app declares its objects in ``LAPSE_EXAMPLES`` of its
``tests/examples.py`` (see ``LapseExample``). A new way to lapse is one function in
``LAPSES`` and a line in ``WHAT_LAPSES``. Sharing is an ``accounts.Grant``, so a
withdrawn or expired grant is a lapse like the others, for everything shared by one.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypedDict

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.test_access_matrix import _artifact, _learning_plan, _probe, our_routes

pytestmark = pytest.mark.django_db

# URL ids -> the object types they name (evidence has two audiences, so two objects).
# Ids that only qualify the object (whom to unshare, which year) are left out when matching.
QUALIFIERS = frozenset({"person_id", "year"})
SCHOOL_EVIDENCE = "evidence shared with her school"
NAMED_EVIDENCE = "evidence shared with a named coach"
TYPES: dict[frozenset[str], tuple[str, ...]] = {
    frozenset({"inquiry_id"}): ("inquiry",),
    frozenset({"cycle_id"}): ("cycle",),
    frozenset({"measure_id"}): ("measure",),
    frozenset({"measure_id", "section_id"}): ("data entry for a class",),
    frozenset({"occasion_id"}): ("occasion",),
    frozenset({"set_id"}): ("work-sample set",),
    frozenset({"group_id"}): ("work-sample group",),
    frozenset({"intervention_id"}): ("intervention",),
    frozenset({"request_id"}): ("observation request",),
    frozenset({"plan_id"}): ("learning plan",),
    frozenset({"goal_id"}): ("learning plan",),
    frozenset({"review_id"}): ("plan review",),
    frozenset({"artifact_id"}): (SCHOOL_EVIDENCE, NAMED_EVIDENCE),
    frozenset({"team_id"}): ("team",),
    frozenset({"section_id"}): ("class",),
}
# URL ids that name nothing a person holds by the ways walked here: the coordinator's
# district tools (people, roles, imports, frameworks, protocols: a district-wide role, which
# the access matrix covers), an invitation's own link, and a teacher's learning sources.
NOT_OBJECTS = {frozenset(ids) for ids in (
    (), ("assignment_id",), ("import_id",), ("framework_id",), ("element_id",),
    ("protocol_id",), ("prompt_id",), ("invitation_id",), ("token",), ("source_id",))}
# What a list shows of each type, when it shows it (the scene's titles are unique).
TITLES = {"inquiry": "Lapsing inquiry", "measure": "Lapsing measure",
          "work-sample set": "Lapsing work", "learning plan": "Lapsing plan",
          SCHOOL_EVIDENCE: "Exit ticket", NAMED_EVIDENCE: "Lapsing photo",
          "team": "Lapsing team"}
ALL_TYPES = frozenset(kind for kinds in TYPES.values() for kind in kinds)
CLASS_DATA = frozenset({"class", "data entry for a class", "occasion", "work-sample set",
                        "work-sample group", "intervention"})
TEAM_WORK = (CLASS_DATA - {"class"}) | {"inquiry", "cycle", "measure", "observation request",
                                         "team"}
INQUIRY_READ = frozenset({"inquiry", "cycle", "measure"})
GRANTED = frozenset({"inquiry", "cycle", "measure", "learning plan", "plan review",
                     NAMED_EVIDENCE})


@dataclass(frozen=True)
class Scene:
    world: Any
    # URL id -> value, for every object of the scene; (type, id) where a type needs its own
    ids: dict[str | tuple[str, str], Any]
    team: Any


def _params(route: Any) -> frozenset[str]:
    return frozenset(inspect.signature(route.callback).parameters) - {"request"}


def urls_of(kind: str, scene: Scene) -> Iterator[tuple[str, str, bool]]:
    """(route name, URL, whether it is a list) for every URL of ours the type appears in."""
    for route in our_routes():
        params = _params(route)
        if kind in TYPES.get(params - QUALIFIERS, ()):
            yield route.name, reverse(route.name, kwargs={
                p: scene.ids[(kind, p)] if (kind, p) in scene.ids else scene.ids[p]
                for p in params}), False
        elif not params and kind in TITLES:
            yield route.name, reverse(route.name), True


def _scene(w: Any) -> Scene:
    from uptake.inquiry.actions import (
        OccasionData,
        do_create_inquiry,
        do_create_measure,
        do_create_team,
        do_save_occasion,
        do_share_inquiry,
    )
    from uptake.learning.actions import do_log_review
    from uptake.roster.models import TeacherAssignment
    from uptake.studentwork.actions import do_add_group, do_add_intervention, do_create_set

    jamie, asha, coach = w.people["teacher"], w.people["colleague"], w.people["coach"]
    TeacherAssignment.objects.create(section=w.section, teacher=asha)  # co-teaches
    team = do_create_team(jamie, name="Lapsing team", kind="plc", school=w.cedar,
                          members=[asha])
    inquiry = do_create_inquiry(jamie, team=team, title="Lapsing inquiry")
    do_share_inquiry(jamie, inquiry, coach, share=True)
    do_share_inquiry(jamie, inquiry, w.people["leader"], share=True)
    measure = do_create_measure(jamie, inquiry, sections=[w.section], name="Lapsing measure",
                                kind="score", scale_min=0, scale_max=10)
    occasion = do_save_occasion(jamie, measure, w.section, OccasionData(
        when=date(2026, 9, 7), values={s.pk: 5.0 for s in w.students}))
    work = do_create_set(jamie, inquiry, section=w.section, title="Lapsing work",
                         when=date(2026, 10, 5), rubric="Not yet\nSecure")
    group = do_add_group(jamie, work, name="Needs a model", next_step="Model it")
    intervention = do_add_intervention(jamie, group, what="Modelled", when=date(2026, 10, 6))
    plan = _learning_plan(w)  # shared with the coach
    plan.title = "Lapsing plan"
    plan.save(update_fields=["title"])
    review = do_log_review(plan, actor=coach, reviewer=coach, reviewed_on=date.today(),
                           notes="Talked about talk moves.")
    ids: dict[str | tuple[str, str], Any] = {
        "inquiry_id": inquiry.pk, "cycle_id": inquiry.cycles.get().pk,
        "measure_id": measure.pk, "section_id": w.section.pk, "occasion_id": occasion.pk,
        "set_id": work.pk, "group_id": group.pk, "intervention_id": intervention.pk,
        "request_id": _observation_request(w, inquiry).pk, "plan_id": plan.pk,
        "goal_id": plan.goals.get().pk, "review_id": review.pk, "year": date.today().year,
        (SCHOOL_EVIDENCE, "artifact_id"): _artifact(w).pk,
        (NAMED_EVIDENCE, "artifact_id"): _named_coach_artifact(w).pk, "team_id": team.pk,
        ("team", "person_id"): asha.pk, ("learning plan", "person_id"): coach.pk,
    }
    for example in DECLARED:
        ids.update(example["ids"](w, ids) if "ids" in example else {})
    return Scene(w, ids, team)


def _observation_request(w: Any, inquiry: Any) -> Any:
    """Asha, on the team, asked Miguel to observe the class; the window is open now."""
    from uptake.inquiry.actions import do_create_measure
    from uptake.observation.actions import do_seed_default_protocol
    from uptake.observation.models import ObservationRequest

    measure = do_create_measure(w.people["teacher"], inquiry, sections=[w.section],
                                name="% explaining", kind="proportion")
    protocol = do_seed_default_protocol(w.district)
    now = timezone.now()
    return ObservationRequest.objects.create(
        inquiry=inquiry, measure=measure, section=w.section, protocol=protocol,
        prompt=protocol.prompts.get(position=1), requested_by=w.people["colleague"],
        observer=w.people["outsider"], opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=2))


def _named_coach_artifact(w: Any) -> Any:
    """A photo of Jamie's that identifies students, shared with Cedar's coach by name."""
    from django.core.files.base import ContentFile

    from uptake.evidence.actions import do_share_artifact
    from uptake.evidence.models import Artifact

    artifact = Artifact.objects.create(
        district=w.district, owner=w.people["teacher"], kind="document", title="Lapsing photo",
        guskey_level=5, identifies_students=True, shared=False, content_type="text/plain",
        original_name="photo.txt", file=ContentFile(b"faces", name="photo.txt"))
    return do_share_artifact(artifact, actor=w.people["teacher"], coaches=[w.people["coach"]])


# ------------------------------------------------------------------- ways access lapses


def _coordinator(scene: Scene) -> Any:
    return scene.world.people["coordinator"]


def role_revoked(scene: Scene, person: Any) -> None:
    from uptake.accounts.actions import do_revoke_role

    for assignment in person.roles.all():
        do_revoke_role(actor=_coordinator(scene), assignment=assignment)


def moved_school(scene: Scene, person: Any) -> None:
    """Her roles at Cedar move to Birch (her classes at Cedar are another lapse)."""
    from uptake.accounts.actions import do_grant_role, do_revoke_role

    for assignment in person.roles.filter(school=scene.world.cedar):
        do_grant_role(actor=_coordinator(scene), person=person, role=assignment.role,
                      school=scene.world.birch)
        do_revoke_role(actor=_coordinator(scene), assignment=assignment)


def assignment_ended(scene: Scene, person: Any) -> None:
    """The roster ends her assignments to her classes (as a nightly import does)."""
    from uptake.roster.models import TeacherAssignment

    TeacherAssignment.objects.filter(teacher=person).update(
        end_date=timezone.localdate() - timedelta(days=1))


def removed_from_team(scene: Scene, person: Any) -> None:
    from uptake.inquiry.actions import do_remove_team_member

    do_remove_team_member(scene.world.people["teacher"], scene.team, person)


def deactivated(scene: Scene, person: Any) -> None:
    from uptake.accounts.actions import do_deactivate_person

    do_deactivate_person(actor=_coordinator(scene), person=person)


def grant_withdrawn(scene: Scene, person: Any) -> None:
    """The owner withdraws every grant she gave the person."""
    from uptake.accounts.actions import do_withdraw_grants
    from uptake.accounts.models import Grant

    for grant in Grant.objects.filter(grantee=person, withdrawn_at__isnull=True):
        shared: Any = grant.content_type.get_object_for_this_type(pk=grant.object_id)
        do_withdraw_grants(shared, actor=shared.owner, grantee=person, audit=None)


def grant_expired(scene: Scene, person: Any) -> None:
    """Every grant to the person reaches the end date it was given with."""
    from uptake.accounts.models import Grant

    Grant.objects.filter(grantee=person, withdrawn_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(seconds=1))


LAPSES: dict[str, Callable[[Scene, Any], None]] = {
    "role revoked": role_revoked,
    "moved to another school": moved_school,
    "class assignment ended": assignment_ended,
    "removed from team": removed_from_team,
    "account deactivated": deactivated,
    "grant withdrawn": grant_withdrawn,
    "grant expired": grant_expired,
}

# persona -> lapse -> the object types she loses by it (all of which she reaches before).
WHAT_LAPSES: dict[str, dict[str, frozenset[str]]] = {
    "teacher": {  # owns everything of the scene except the coach's review
        "role revoked": ALL_TYPES - {"plan review"},
        "account deactivated": ALL_TYPES - {"plan review"},
        "class assignment ended": CLASS_DATA,
    },
    "colleague": {  # on the team, co-teaches the class, asked for the observation
        "removed from team": TEAM_WORK,
        "class assignment ended": CLASS_DATA,
        "role revoked": TEAM_WORK | {SCHOOL_EVIDENCE},
        "moved to another school": frozenset({SCHOOL_EVIDENCE}),
        "account deactivated": TEAM_WORK | {SCHOOL_EVIDENCE},
    },
    "coach": {  # the inquiry, the plan and a photo are shared with her; she reviewed the plan
        "role revoked": GRANTED | {SCHOOL_EVIDENCE},
        "moved to another school": GRANTED | {SCHOOL_EVIDENCE},
        "account deactivated": GRANTED | {SCHOOL_EVIDENCE},
        "grant withdrawn": GRANTED,
        "grant expired": GRANTED,
    },
    "leader": {  # Cedar's principal: the inquiry is shared with her; she sees school evidence
        "role revoked": INQUIRY_READ | {SCHOOL_EVIDENCE},
        "moved to another school": INQUIRY_READ | {SCHOOL_EVIDENCE},
        "account deactivated": INQUIRY_READ | {SCHOOL_EVIDENCE},
        "grant withdrawn": INQUIRY_READ,
        "grant expired": INQUIRY_READ,
    },
    "outsider": {  # the observer Asha chose
        "account deactivated": frozenset({"observation request"}),
    },
}


class LapseExample(TypedDict, total=False):
    """What an app declares as ``LAPSE_EXAMPLES`` in its ``tests/examples.py`` so that its
    objects join the walk with no edit here (as ``URL_EXAMPLES`` joins the access matrix)."""

    types: dict[frozenset[str], tuple[str, ...]]  # URL ids -> the app's object types
    ids: Callable[[Any, dict[Any, Any]], dict[Any, Any]]  # (world, scene's ids) -> its ids
    holders: dict[str, dict[str, frozenset[str]]]  # persona -> lapse -> types she loses
    titles: dict[str, str]  # type -> the title lists show of it
    not_objects: set[frozenset[str]]  # URL ids of the app that name nothing lapsing


def _declared_by_apps() -> list[LapseExample]:
    import importlib
    import importlib.util

    from django.apps import apps

    declared = []
    for config in apps.get_app_configs():
        module = f"{config.name}.tests.examples"
        if (config.name.startswith("uptake.")
                and importlib.util.find_spec(f"{config.name}.tests") is not None
                and importlib.util.find_spec(module) is not None):
            example = getattr(importlib.import_module(module), "LAPSE_EXAMPLES", None)
            declared += [example] if example else []
    return declared


DECLARED = _declared_by_apps()
for _example in DECLARED:
    TYPES.update(_example.get("types", {}))
    TITLES.update(_example.get("titles", {}))
    NOT_OBJECTS |= _example.get("not_objects", set())
    for _persona, _lapses in _example.get("holders", {}).items():
        for _lapse, _kinds in _lapses.items():
            _had = WHAT_LAPSES.setdefault(_persona, {}).get(_lapse, frozenset())
            WHAT_LAPSES[_persona][_lapse] = _had | _kinds


def _sees(client: Any, url: str, is_list: bool, title: str) -> str:
    if not is_list:
        return _probe(client, url)
    response = client.get(url)
    if response.status_code != 200:
        return "hidden" if response.status_code == 404 else "login"
    return "listed" if title.encode() in response.content else "not listed"


def _walk(client: Any, scene: Scene, kinds: frozenset[str]
          ) -> dict[tuple[str, str, bool], str]:
    """(type, URL, is a list) -> what the signed-in person gets there, for every URL of
    the types."""
    return {(kind, url, is_list): _sees(client, url, is_list, TITLES.get(kind, ""))
            for kind in sorted(kinds) for _, url, is_list in urls_of(kind, scene)}


@pytest.mark.parametrize(("persona", "lapse"), [
    pytest.param(persona, lapse, id=f"{persona}-{lapse}")
    for persona, lapses in WHAT_LAPSES.items() for lapse in lapses])
def test_it_closes_every_url_once_access_lapses(world: Any, client: Any, persona: str,
                                                lapse: str) -> None:
    scene = _scene(world)
    person, kinds = world.people[persona], WHAT_LAPSES[persona][lapse]
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    before = _walk(client, scene, kinds)
    reached = {key for key, got in before.items() if got in ("reached", "listed")}
    assert {kind for kind, _, is_list in reached if not is_list} == kinds, (
        f"{persona} must reach each of these types before the lapse: {sorted(kinds)}")
    LAPSES[lapse](scene, type(person).objects.get(pk=person.pk))
    want = "login" if lapse == "account deactivated" else "hidden"
    after = _walk(client, scene, kinds)
    still = sorted(f"{kind}: {url} {after[kind, url, is_list]}"
                   for kind, url, is_list in reached
                   if after[kind, url, is_list] not in (want, "not listed"))
    assert still == [], f"{persona} still reaches these after '{lapse}'"


def test_it_knows_what_every_url_with_ids_names() -> None:
    unknown = sorted(route.name for route in our_routes()
                     if (ids := _params(route) - QUALIFIERS) not in TYPES
                     and ids not in NOT_OBJECTS)
    assert unknown == [], ("say which object type these URLs' ids name (TYPES, or an app's "
                           f"LAPSE_EXAMPLES in its tests/examples.py): {unknown}")


def test_it_walks_a_url_of_every_object_type(world: Any) -> None:
    scene = _scene(world)
    every = {kind for kinds in TYPES.values() for kind in kinds}  # the apps' too
    walked = {kind for kind in every if any(not is_list for *_, is_list in
                                              urls_of(kind, scene))}
    assert walked == every
    assert {lapse for lapses in WHAT_LAPSES.values() for lapse in lapses} == set(LAPSES)


def test_it_probes_the_lists_that_show_an_object(world: Any) -> None:
    names = {name for name, _, is_list in urls_of("inquiry", _scene(world)) if is_list}
    assert {"inquiry:list", "home"} <= names
