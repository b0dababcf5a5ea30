"""This app's part of the JSON API (uptake/api):
Peer observations: requests, prompts and tallies.

Who reaches a request is who reaches its page (``uptake.observation.access``): the teacher
who owns the inquiry and the team member who asked (both while they may still edit the
inquiry and are still teachers), and the observer (the colleague chosen, or whoever
accepted the e-mailed invitation). Everyone else, an observer no longer named included,
gets the 404 a missing request gets. Requests are made through the same action as the
page; taps are synced through the same action as the observer's phone, idempotent by the
ids the phone gives each tap, and refused (403) outside the window.
"""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Case, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from uptake.accounts.access import district_of
from uptake.accounts.models import Role, User
from uptake.api import support
from uptake.inquiry.access import access_inquiry, sections_taught_by
from uptake.inquiry.models import Measure
from uptake.observation import actions
from uptake.observation.access import access_request, requests_owned_by, requests_to_observe
from uptake.observation.models import ObservationPrompt, ObservationRequest

router = Router(tags=["Observations"])

RequestStatus = Literal["open", "submitted", "cancelled"]
Window = Literal["before", "open", "closed"]
StandingName = Literal["owner", "observer"]

RELATED = ("inquiry", "measure", "section", "prompt", "requested_by", "observer",
           "invitation", "invitation__accepted_by")


class ObservationItemOut(Schema):
    id: int
    standing: StandingName
    status: RequestStatus
    window: Window
    opens_at: dt.datetime
    closes_at: dt.datetime
    inquiry_id: int
    inquiry_title: str
    measure_id: int
    measure_name: str
    section_id: int
    section_title: str
    requested_by: str
    observer: str
    students_present: int | None
    submitted_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_standing(obj: ObservationRequest) -> str:
        return str(obj.standing)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_window(obj: ObservationRequest) -> str:
        return obj.window_state()

    @staticmethod
    def resolve_inquiry_title(obj: ObservationRequest) -> str:
        return obj.inquiry.title

    @staticmethod
    def resolve_measure_name(obj: ObservationRequest) -> str:
        return obj.measure.name

    @staticmethod
    def resolve_section_title(obj: ObservationRequest) -> str:
        return obj.section.title

    @staticmethod
    def resolve_requested_by(obj: ObservationRequest) -> str:
        return obj.requested_by.display_name

    @staticmethod
    def resolve_observer(obj: ObservationRequest) -> str:
        return obj.observer_label


class PromptTallyOut(Schema):
    id: int
    text: str
    count: int
    counts_for_measure: bool


class ObservationOut(ObservationItemOut):
    prompts: list[PromptTallyOut]
    tallied_total: int
    occasion_id: int | None


@router.get("", response=list[ObservationItemOut],
            summary="Observations I asked for and observations I am asked to make")
@support.paginate(ordering=("-opens_at", "-pk"))
def list_observations(request: HttpRequest, standing: StandingName | None = None,
                      status: RequestStatus | None = None, date_from: dt.date | None = None,
                      date_to: dt.date | None = None) -> QuerySet[ObservationRequest]:
    """Both lists of the observations page, newest window first. ``standing=owner`` keeps
    the requests I manage, ``standing=observer`` those I observe; ``date_from``/``date_to``
    bound the day the window opens."""
    me = support.me(request)
    owned = requests_owned_by(me).values("pk")
    observing = requests_to_observe(me).values("pk")
    rule = (Q(pk__in=owned) if standing == "owner" else Q(pk__in=observing)
            if standing == "observer" else Q(pk__in=owned) | Q(pk__in=observing))
    found = (ObservationRequest.objects.filter(rule).select_related(*RELATED)
             .annotate(standing=Case(When(pk__in=owned, then=Value("owner")),
                                     default=Value("observer"))))
    found = support.where(found, status=status, opens_at__date__gte=date_from,
                                 opens_at__date__lte=date_to)
    return found


def _detail(obs: ObservationRequest, standing: str) -> ObservationRequest:
    counts = actions.counts(obs)
    obs.standing = standing  # type: ignore[attr-defined]
    obs.prompts = [  # type: ignore[attr-defined]
        {"id": p.pk, "text": p.text, "count": counts.get(p.pk, 0),
         "counts_for_measure": p.pk == obs.prompt_id} for p in actions.active_prompts(obs)]
    obs.tallied_total = sum(counts.values())  # type: ignore[attr-defined]
    return obs


@router.get("/{request_id}", response=ObservationOut, summary="One observation request")
def get_observation(request: HttpRequest, request_id: int) -> ObservationRequest:
    """Its window (and whether it is open now), its status, the prompts the observer
    tallies with the tally of each so far (the one that becomes the measure's point marked
    ``counts_for_measure``), the students present, and once submitted the occasion it
    became."""
    obs, standing = access_request(support.me(request), request_id)
    return _detail(obs, standing)


class ObservationIn(Schema):
    inquiry_id: int = Field(ge=1)
    measure_id: int = Field(ge=1, description="A proportion measure of the inquiry.")
    section_id: int = Field(ge=1, description="One of the measure's classes I teach.")
    prompt_id: int = Field(ge=1, description="The prompt whose tally becomes the point.")
    opens_at: dt.datetime
    closes_at: dt.datetime
    observer_id: int | None = Field(None, ge=1, description="A colleague in my district…")
    email: str | None = Field(None, max_length=254, description="…or anyone, by e-mail.")
    message: str = Field("", max_length=2000)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _plan(me: User, inquiry: Any, payload: ObservationIn) -> actions.RequestPlan:
    """The ids sent, resolved among the choices the page's form offers; anything else is
    refused by name, whether it does not exist or is not hers to choose."""
    measure = inquiry.measures.filter(kind=Measure.Kind.PROPORTION,
                                      pk=payload.measure_id).first()
    if measure is None:
        raise actions.ObservationRuleError("Choose a proportion measure (k of n students) "
                                           "of this inquiry.", field="measure_id")
    section = sections_taught_by(me).filter(inquiry_measures=measure,
                                            pk=payload.section_id).first()
    if section is None:
        raise actions.ObservationRuleError("Choose one of the measure's classes that you "
                                           "teach.", field="section_id")
    protocol = actions.do_seed_default_protocol(district_of(me))
    prompt = ObservationPrompt.objects.filter(protocol__district=protocol.district,
                                              retired=False, pk=payload.prompt_id).first()
    if prompt is None:
        raise actions.ObservationRuleError("Choose one of your district's current "
                                           "prompts.", field="prompt_id")
    observer = None
    if payload.observer_id is not None:
        observer = next((u for u in actions.colleagues_for(me)
                         if u.pk == payload.observer_id), None)
        if observer is None:
            raise actions.ObservationRuleError("Choose a teacher, coach or leader of your "
                                               "district.", field="observer_id")
    email = (payload.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise actions.ObservationRuleError("Give a valid e-mail address.",
                                               field="email") from None
    return actions.RequestPlan(measure=measure, section=section, prompt=prompt,
                               opens_at=_aware(payload.opens_at),
                               closes_at=_aware(payload.closes_at), observer=observer,
                               email=email, message=payload.message)


@router.post("", response={201: ObservationOut}, summary="Ask for an observation")
def create_observation(request: HttpRequest, payload: ObservationIn
                       ) -> Status[ObservationRequest]:
    """Ask a colleague (``observer_id``) or anyone (``email``, who gets an invitation) to
    observe one of my classes for a proportion measure of an inquiry I may edit, within a
    window; the same checks as the page (a teacher's). Unknown or foreign ids are refused
    with the field at fault; an inquiry I may not edit is not found."""
    me = support.me(request)
    if not me.has_role(Role.TEACHER):
        raise Http404("No such inquiry.")
    inquiry = access_inquiry(me, payload.inquiry_id, edit=True)
    obs = actions.do_request_observation(me, inquiry, _plan(me, inquiry, payload),
                                         request=request)
    obs, standing = access_request(me, obs.pk)
    return Status(201, _detail(obs, standing))


@router.post("/{request_id}/cancel", response=ObservationOut,
             summary="Withdraw an observation request")
def cancel_observation(request: HttpRequest, request_id: int) -> ObservationRequest:
    """Withdraw a request I manage (as the page's "Withdraw" button): the observer can no
    longer tally. Withdrawing twice is harmless; a submitted observation is refused,
    its point stays on the measure."""
    me = support.me(request)
    obs, standing = access_request(me, request_id)
    if standing != "owner" or not me.has_role(Role.TEACHER):
        raise Http404("No such observation.")
    actions.do_cancel_observation(me, obs, request=request)
    obs, standing = access_request(me, obs.pk)
    return _detail(obs, standing)


class TapIn(Schema):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                    description="The phone's own id for this tap: a tap sent twice counts "
                                "once.")
    prompt: int = Field(ge=1)
    delta: Literal[1, -1]


class PresentIn(Schema):
    value: int = Field(ge=1, le=actions.MAX_PRESENT)
    seq: int = Field(ge=1, lt=2**62, description="Increases with each change; an older "
                                                 "change arriving late is ignored.")


class TalliesIn(Schema):
    events: list[TapIn] = Field(default_factory=list, max_length=actions.MAX_BATCH)
    present: PresentIn | None = None


class TalliesOut(Schema):
    accepted: int
    duplicates: int
    counts: dict[str, int]
    students_present: int | None


@router.post("/{request_id}/tallies", response=TalliesOut,
             summary="Sync the observer's taps (idempotent by tap id)")
def sync_tallies(request: HttpRequest, request_id: int, payload: TalliesIn) -> TalliesOut:
    """The observer's taps (+1) and undos (-1), each named by an id the client made up,
    and the number of students present: exactly what the observer's phone sends the page.
    A batch sent again is counted once (``duplicates``); the answer gives each prompt's
    tally. Refused with 403 outside the window or once submitted or withdrawn."""
    obs, standing = access_request(support.me(request), request_id)
    if standing != "observer":
        raise Http404("No such observation.")
    result = actions.do_record_tallies(
        support.me(request), obs, [e.model_dump() for e in payload.events],
        present=payload.present.model_dump() if payload.present else None)
    return TalliesOut(accepted=result.accepted, duplicates=result.duplicates,
                      counts={str(k): v for k, v in result.counts.items()},
                      students_present=result.students_present)
