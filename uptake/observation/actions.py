"""Every change to observation protocols, requests and tallies happens here.

Tally sync is idempotent: each tap carries an id made up by the observer's phone, and a
tap already stored is skipped, so resending a batch after a dropped connection never
counts twice, and batches may arrive in any order (sums do not care about order).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from uptake.accounts.models import Invitation, Role, User
from uptake.audit.actions import record
from uptake.audit.models import AuditAction
from uptake.inquiry.actions import InquiryRuleError, OccasionData, do_add_class_total
from uptake.inquiry.models import Measure
from uptake.observation.models import (
    DEFAULT_PROMPTS,
    ObservationPrompt,
    ObservationProtocol,
    ObservationRequest,
    TallyEvent,
)
from uptake.rules import NotAllowed, RuleError

if TYPE_CHECKING:
    from django.http import HttpRequest

    from uptake.accounts.models import District
    from uptake.inquiry.models import Inquiry
    from uptake.roster.models import Section

MAX_BATCH = 2000
MAX_PRESENT = 1000  # students in one lesson; also keeps a tally's adjustment in range
EVENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class ObservationRuleError(RuleError):
    """A change the rules refuse, with a message for the person who asked for it."""


class ObservationClosedError(ObservationRuleError, NotAllowed):
    """The observation cannot change any more (or not yet): outside its window, submitted
    or withdrawn."""


# --------------------------------------------------------------------------- protocols


@transaction.atomic
def do_seed_default_protocol(district: District) -> ObservationProtocol:
    """The district's first protocol (math talk) if it has none; otherwise its first one."""
    existing = ObservationProtocol.objects.filter(district=district).first()
    if existing is not None:
        return existing
    protocol = ObservationProtocol.objects.create(
        district=district, name="Math talk: what students say and do",
        description="Tap once for each student the first time you see them do it.")
    ObservationPrompt.objects.bulk_create(
        ObservationPrompt(protocol=protocol, position=i, text=text)
        for i, text in enumerate(DEFAULT_PROMPTS, start=1))
    return protocol


def _clean_prompt_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ObservationRuleError("Write the prompt, for example \"A student asks a question\".")
    if len(text) > 200:
        raise ObservationRuleError("Keep a prompt to 200 characters or fewer.")
    return text


@transaction.atomic
def do_add_prompt(actor: User, protocol: ObservationProtocol, *, text: str,
                  request: HttpRequest | None = None) -> ObservationPrompt:
    text = _clean_prompt_text(text)
    last = protocol.prompts.order_by("-position").first()
    prompt = ObservationPrompt.objects.create(protocol=protocol, text=text,
                                              position=(last.position + 1) if last else 1)
    record(AuditAction.PROTOCOL_CHANGED, actor=actor, request=request, obj=protocol,
           summary=f"Observation protocol {protocol.name!r}: added prompt {text!r}")
    return prompt


@transaction.atomic
def do_update_prompt(actor: User, prompt: ObservationPrompt, *, text: str, retired: bool,
                     request: HttpRequest | None = None) -> ObservationPrompt:
    """Reword or retire a prompt (retired prompts keep their past tallies)."""
    prompt.text, prompt.retired = _clean_prompt_text(text), retired
    prompt.save(update_fields=["text", "retired"])
    record(AuditAction.PROTOCOL_CHANGED, actor=actor, request=request, obj=prompt.protocol,
           summary=(f"Observation protocol {prompt.protocol.name!r}: prompt {prompt.text!r}"
                    f"{' retired' if retired else ' changed'}"))
    return prompt


# ---------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class RequestPlan:
    """What a teacher asks for: who observes which class, for which measure, when."""

    measure: Measure
    section: Section
    prompt: ObservationPrompt
    opens_at: datetime
    closes_at: datetime
    observer: User | None = None
    email: str = ""
    message: str = ""


def check_request(actor: User, inquiry: Inquiry, plan: RequestPlan) -> None:
    if plan.measure.inquiry_id != inquiry.pk or plan.measure.kind != Measure.Kind.PROPORTION:
        raise ObservationRuleError("Choose a proportion measure (k of n students) of this "
                                   "inquiry.")
    if not plan.measure.sections.filter(pk=plan.section.pk).exists():
        raise ObservationRuleError("That class is not one of the measure's classes.")
    if plan.prompt.retired or plan.prompt.protocol.district_id != inquiry.district_id:
        raise ObservationRuleError("Choose one of your district's current prompts.")
    if plan.closes_at <= plan.opens_at:
        raise ObservationRuleError("The window must close after it opens.")
    if plan.closes_at <= timezone.now():
        raise ObservationRuleError("The window would already be closed; choose a later end.")
    if (plan.observer is None) == (not plan.email):
        raise ObservationRuleError("Choose a colleague or give an e-mail address, not both.")
    if plan.observer is not None:
        if plan.observer.pk == actor.pk:
            raise ObservationRuleError("You cannot observe your own class; invite a colleague.")
        if plan.observer.district_id != actor.district_id or not plan.observer.is_active:
            raise ObservationRuleError("That colleague is not in your district.")


def _observe_url(obs: ObservationRequest) -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + reverse("observation:detail", args=[obs.pk])


def _tell_colleague(obs: ObservationRequest) -> None:
    assert obs.observer is not None
    when = timezone.localtime(obs.opens_at)
    send_mail(
        subject=f"{obs.requested_by.display_name} asked you to observe a class",
        message=(f"{obs.requested_by.display_name} asked you to observe {obs.section.title} "
                 f"from {when:%d %B %Y %H:%M} until "
                 f"{timezone.localtime(obs.closes_at):%d %B %Y %H:%M}.\n\n"
                 f"Open the observation here:\n\n{_observe_url(obs)}\n"),
        from_email=None, recipient_list=[obs.observer.email])


@transaction.atomic
def do_request_observation(actor: User, inquiry: Inquiry, plan: RequestPlan, *,
                           request: HttpRequest | None = None, notify: bool = True,
                           deliver: Callable[[Invitation, str], None] | None = None
                           ) -> ObservationRequest:
    """Ask a colleague (by name) or anyone (by e-mail, through an invitation) to observe.
    ``notify=False`` (the demo) sends the colleague no e-mail; ``deliver`` receives an
    invitation's secret instead of the e-mail (the demo's peer observer accepts it)."""
    from uptake.accounts.actions import AccountRuleError, do_invite

    check_request(actor, inquiry, plan)
    obs = ObservationRequest.objects.create(
        inquiry=inquiry, measure=plan.measure, section=plan.section,
        protocol=plan.prompt.protocol, prompt=plan.prompt, requested_by=actor,
        observer=plan.observer, opens_at=plan.opens_at, closes_at=plan.closes_at)
    if plan.email:
        note = (f"{plan.message.strip()}\n\n" if plan.message.strip() else "")
        try:
            obs.invitation = do_invite(
                actor=actor, email=plan.email, purpose=Invitation.Purpose.PEER_OBSERVER,
                message=(f"{note}After accepting, open the observation here: "
                         f"{_observe_url(obs)}"),
                request=request, deliver=deliver)
        except AccountRuleError as exc:
            raise ObservationRuleError(str(exc)) from None
        obs.save(update_fields=["invitation"])
    elif notify:
        transaction.on_commit(lambda: _tell_colleague(obs))
    record(AuditAction.OBSERVATION_INVITED, actor=actor, request=request, obj=obs,
           summary=(f"Asked {obs.observer_label} to observe {plan.section.title} for "
                    f"{plan.measure.name!r}"),
           details={"measure": plan.measure.pk, "section": plan.section.pk})
    return obs


@transaction.atomic
def do_cancel_observation(actor: User, obs: ObservationRequest, *,
                          request: HttpRequest | None = None) -> ObservationRequest:
    obs = ObservationRequest.objects.select_for_update().get(pk=obs.pk)
    if obs.status == ObservationRequest.Status.SUBMITTED:
        raise ObservationRuleError("This observation was already submitted; its point stays "
                                   "on the measure (change it there).")
    if obs.status == ObservationRequest.Status.CANCELLED:
        return obs
    obs.status = ObservationRequest.Status.CANCELLED
    obs.save(update_fields=["status"])
    record(AuditAction.OBSERVATION_WITHDRAWN, actor=actor, request=request, obj=obs,
           summary=f"Withdrew the request to observe {obs.section.title}")
    return obs


# ------------------------------------------------------------------------------ tallies


def _check_window(obs: ObservationRequest) -> None:
    if obs.status == ObservationRequest.Status.SUBMITTED:
        raise ObservationClosedError("This observation has been submitted; nothing more can be "
                                   "tallied.")
    if obs.status == ObservationRequest.Status.CANCELLED:
        raise ObservationClosedError("The teacher withdrew this observation request.")
    state = obs.window_state()
    if state == "before":
        raise ObservationClosedError(
            f"This observation opens on {timezone.localtime(obs.opens_at):%d %B %Y at %H:%M}.")
    if state == "closed":
        raise ObservationClosedError(
            f"This observation window closed on "
            f"{timezone.localtime(obs.closes_at):%d %B %Y at %H:%M}. Ask "
            f"{obs.requested_by.display_name} to open a new one.")


def active_prompts(obs: ObservationRequest) -> list[ObservationPrompt]:
    """The prompts the observer tallies: the protocol's current ones, chosen one first."""
    prompts = list(obs.protocol.prompts.filter(retired=False))
    if obs.prompt not in prompts:
        prompts.append(obs.prompt)
    return sorted(prompts, key=lambda p: (p.pk != obs.prompt_id, p.position, p.pk))


def counts(obs: ObservationRequest) -> dict[int, int]:
    """Prompt id -> tally so far (every active prompt, 0 when untouched)."""
    sums = dict(obs.tally_events.values("prompt_id").annotate(n=Sum("delta"))
                .values_list("prompt_id", "n"))
    return {p.pk: max(0, int(sums.get(p.pk) or 0)) for p in active_prompts(obs)}


@dataclass(frozen=True)
class SyncResult:
    accepted: int
    duplicates: int
    counts: dict[int, int]
    students_present: int | None


def _parse_events(obs: ObservationRequest, events: Any) -> list[tuple[str, int, int]]:
    if not isinstance(events, list):
        raise ObservationRuleError("'events' must be a list.")
    if len(events) > MAX_BATCH:
        raise ObservationRuleError(f"Send at most {MAX_BATCH} taps at a time.")
    known = {p.pk for p in active_prompts(obs)}
    parsed = []
    for i, event in enumerate(events, start=1):
        if not isinstance(event, dict):
            raise ObservationRuleError(f"Tap {i}: expected an object.")
        event_id, prompt, delta = event.get("id"), event.get("prompt"), event.get("delta")
        if not isinstance(event_id, str) or not EVENT_ID.match(event_id):
            raise ObservationRuleError(f"Tap {i}: 'id' must be 1 to 64 letters, digits, - or _.")
        if type(prompt) is not int or prompt not in known:
            raise ObservationRuleError(f"Tap {i}: prompt {prompt!r} is not one of this "
                                       "observation's prompts.")
        if type(delta) is not int or delta not in (1, -1):
            raise ObservationRuleError(f"Tap {i}: 'delta' must be 1 (a tap) or -1 (an undo).")
        parsed.append((event_id, prompt, delta))
    return parsed


def _parse_present(present: Any) -> tuple[int, int] | None:
    if present is None:
        return None
    if not isinstance(present, dict):
        raise ObservationRuleError("'present' must be an object with 'value' and 'seq'.")
    value, seq = present.get("value"), present.get("seq")
    if type(value) is not int or not 1 <= value <= MAX_PRESENT:
        raise ObservationRuleError("Students present must be a whole number from 1 to "
                                   f"{MAX_PRESENT:,}.")
    if type(seq) is not int or not 0 < seq < 2**62:
        raise ObservationRuleError("'present.seq' must be a positive whole number.")
    return value, seq


@transaction.atomic
def do_record_tallies(actor: User, obs: ObservationRequest, events: Any, *,
                      present: Any = None) -> SyncResult:
    """Store a batch of taps (all or none); taps already stored are skipped."""
    obs = (ObservationRequest.objects.select_for_update()
           .select_related("protocol", "prompt", "requested_by").get(pk=obs.pk))
    _check_window(obs)
    parsed = _parse_events(obs, events)
    new_present = _parse_present(present)
    ids = [e[0] for e in parsed]
    seen = set(obs.tally_events.filter(event_id__in=ids).values_list("event_id", flat=True))
    fresh: dict[str, TallyEvent] = {}
    for event_id, prompt, delta in parsed:
        if event_id not in seen and event_id not in fresh:
            fresh[event_id] = TallyEvent(request=obs, event_id=event_id, prompt_id=prompt,
                                         delta=delta)
    try:
        # The row lock above serialises batches for one request; the unique constraint
        # is the last line of defence.
        TallyEvent.objects.bulk_create(fresh.values())
    except IntegrityError:
        raise ObservationRuleError("These taps clashed with others sent at the same moment; "
                                   "send them again.") from None
    if new_present is not None and new_present[1] > obs.present_seq:
        obs.students_present, obs.present_seq = new_present
        obs.save(update_fields=["students_present", "present_seq"])
    return SyncResult(accepted=len(fresh), duplicates=len(parsed) - len(fresh),
                      counts=counts(obs), students_present=obs.students_present)


def check_final_counts(obs: ObservationRequest, tallies: Mapping[Any, Any],
                       present: Any) -> tuple[dict[int, int], int]:
    """The observer's final numbers, checked: every prompt known, 0 <= k <= present."""
    prompts = {p.pk: p for p in active_prompts(obs)}
    if type(present) is not int or not 1 <= present <= MAX_PRESENT:
        raise ObservationRuleError("Enter how many students were present (1 to "
                                   f"{MAX_PRESENT:,}).")
    clean: dict[int, int] = {}
    for key, value in tallies.items():
        try:
            prompt_id = int(key)
        except (TypeError, ValueError):
            prompt_id = -1
        if prompt_id not in prompts:
            raise ObservationRuleError(f"Prompt {key!r} is not one of this observation's "
                                       "prompts.")
        text = prompts[prompt_id].text
        if type(value) is not int or value < 0:
            raise ObservationRuleError(f"The count for \u201c{text}\u201d must be a whole "
                                       "number, 0 or more.")
        if value > present:
            raise ObservationRuleError(
                f"The count for \u201c{text}\u201d ({value}) is more than the {present} "
                "students present. Count each student once per prompt.")
        clean[prompt_id] = value
    if obs.prompt_id not in clean:
        raise ObservationRuleError(f"Enter the count for \u201c{obs.prompt.text}\u201d.")
    return clean, present


def _align_events(obs: ObservationRequest, final: Mapping[int, int]) -> None:
    """Add server-made taps so that the stored events add up to the final counts."""
    now = counts(obs)
    adjust = []
    for prompt_id, value in final.items():
        gap = value - now.get(prompt_id, 0)
        if gap:
            # A colon never appears in a phone's ids, so these cannot clash with a tap.
            adjust.append(TallyEvent(request=obs, prompt_id=prompt_id, delta=gap,
                                     event_id=f"final:{prompt_id}"))
    TallyEvent.objects.bulk_create(adjust)


@transaction.atomic
def do_submit_observation(actor: User, obs: ObservationRequest, *, tallies: Mapping[Any, Any],
                          present: Any, request: HttpRequest | None = None
                          ) -> ObservationRequest:
    """Close the observation: the chosen prompt's tally becomes the measure's point for
    this class today (an Occasion with a ClassTotal k of n, written by the inquiry's
    action, which checks it as data entry does), all or nothing (audited)."""
    obs = (ObservationRequest.objects.select_for_update()
           .select_related("measure", "section", "prompt", "protocol", "requested_by",
                           "inquiry").get(pk=obs.pk))
    _check_window(obs)
    final, n = check_final_counts(obs, tallies, present)
    k = final[obs.prompt_id]
    when = timezone.localdate()
    try:
        occasion = do_add_class_total(actor, obs.measure, obs.section, OccasionData(
            when=when, label=f"Peer observation {obs.pk}", total=(k, n)))
    except InquiryRuleError as exc:
        raise ObservationRuleError(str(exc)) from exc
    _align_events(obs, final)
    obs.status, obs.submitted_at, obs.occasion = (ObservationRequest.Status.SUBMITTED,
                                                  timezone.now(), occasion)
    obs.students_present = n
    obs.save(update_fields=["status", "submitted_at", "occasion", "students_present"])
    record(AuditAction.OBSERVATION_RECORDED, actor=actor, request=request, obj=occasion,
           district=obs.inquiry.district,
           summary=(f"{obs.measure.name}: {obs.section.title}, {when:%Y-%m-%d}: class total "
                    f"{k} of {n} from a peer observation"),
           details={"measure": obs.measure_id, "section": obs.section_id,
                    "observation": obs.pk, "tallies": {str(p): v for p, v in final.items()}})
    return obs


def colleagues_for(actor: User) -> Iterable[User]:
    """People of the actor's district who could observe: active teachers, coaches, leaders."""
    if actor.district_id is None:
        return User.objects.none()
    return (User.objects.filter(district_id=actor.district_id, is_active=True,
                                roles__role__in=[Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER])
            .exclude(pk=actor.pk).distinct().order_by("last_name", "first_name", "email"))
