"""Pages for peer observation: the teacher's requests, the observer's tally page, the
district's protocols. Thin: parse, call an action, render."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from uptake.accounts.access import ANY_ROLE, allow, district_of
from uptake.accounts.models import Role, User
from uptake.idempotency import once
from uptake.inquiry.access import access_inquiry
from uptake.observation import actions
from uptake.observation.access import (
    access_prompt,
    access_protocol,
    access_request,
    requests_owned_by,
    requests_to_observe,
)
from uptake.observation.forms import PromptForm, RequestForm
from uptake.observation.models import ObservationPrompt, ObservationProtocol, ObservationRequest
from uptake.rules import Invalid, RuleError
from uptake.views_support import json_error, showing_refusals

MAX_SYNC_BYTES = 256 * 1024


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@allow(ANY_ROLE)
def observation_list(request: HttpRequest) -> HttpResponse:
    """Observations I asked for, and observations I was asked to make."""
    related = ("inquiry", "section", "measure", "observer", "invitation",
               "invitation__accepted_by", "requested_by")
    return render(request, "observation/list.html", {
        "asked": requests_owned_by(request.user).select_related(*related),
        "to_make": requests_to_observe(request.user).select_related(*related),
        "now": timezone.now(),
    })


# ------------------------------------------------------------------------- protocols


@allow(Role.COORDINATOR)
def protocols(request: HttpRequest) -> HttpResponse:
    district = district_of(_user(request))
    actions.do_seed_default_protocol(district)
    protocols = ObservationProtocol.objects.filter(district=district).prefetch_related("prompts")
    return render(request, "observation/protocols.html",
                  {"protocols": protocols, "form": PromptForm()})


@allow(Role.COORDINATOR)
@require_POST
@once
def prompt_add(request: HttpRequest, protocol_id: int) -> HttpResponse:
    protocol = access_protocol(request.user, protocol_id)
    with showing_refusals(request) as attempt:
        actions.do_add_prompt(_user(request), protocol, text=request.POST.get("text", ""),
                              request=request)
    if attempt.ok:
        messages.success(request, "Prompt added.")
    return redirect("observation:protocols")


@allow(Role.COORDINATOR)
@require_POST
def prompt_edit(request: HttpRequest, prompt_id: int) -> HttpResponse:
    prompt = access_prompt(request.user, prompt_id)
    with showing_refusals(request) as attempt:
        actions.do_update_prompt(_user(request), prompt, text=request.POST.get("text", ""),
                                 retired=request.POST.get("retired") == "on", request=request)
    if attempt.ok:
        messages.success(request, "Prompt saved.")
    return redirect("observation:protocols")


# -------------------------------------------------------------------------- requests


def _prompts_for(user: User) -> Any:
    protocol = actions.do_seed_default_protocol(district_of(user))
    return ObservationPrompt.objects.filter(protocol__district=protocol.district,
                                            retired=False).select_related("protocol")


@allow(Role.TEACHER)
@once
def request_new(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    user = _user(request)
    inquiry = access_inquiry(user, inquiry_id, edit=True)
    form = RequestForm(request.POST or None, user=user, inquiry=inquiry,
                       protocol_prompts=_prompts_for(user))
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form) as attempt:
            obs = actions.do_request_observation(user, inquiry, form.plan(), request=request)
        if attempt.ok:
            messages.success(request, f"{obs.observer_label} has been asked to observe.")
            return redirect("observation:detail", request_id=obs.pk)
    return render(request, "observation/request_new.html", {"inquiry": inquiry, "form": form},
                  status=400 if form.errors else 200)


def _page(request: HttpRequest, obs: ObservationRequest, standing: str, *,
          error: str = "", posted: dict[str, str] | None = None, status: int = 200
          ) -> HttpResponse:
    counts = actions.counts(obs)
    prompts = [{"prompt": p, "count": counts.get(p.pk, 0),
                "value": (posted or {}).get(f"prompt-{p.pk}", counts.get(p.pk, 0)),
                "chosen": p.pk == obs.prompt_id} for p in actions.active_prompts(obs)]
    template = ("observation/observe.html" if standing == "observer"
                else "observation/detail.html")
    return render(request, template, {
        "obs": obs, "prompts": prompts, "state": obs.window_state(), "error": error,
        "present": (posted or {}).get("present", obs.students_present or ""),
    }, status=status)


@allow(ANY_ROLE)
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    obs, standing = access_request(request.user, request_id)
    return _page(request, obs, standing)


@allow(Role.TEACHER)
@require_POST
def cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    obs, standing = access_request(request.user, request_id)
    if standing != "owner":
        return _not_found()
    with showing_refusals(request) as attempt:
        actions.do_cancel_observation(_user(request), obs, request=request)
    if attempt.ok:
        messages.success(request, "The observation request was withdrawn.")
    return redirect("observation:detail", request_id=obs.pk)


def _not_found() -> HttpResponse:
    from django.http import Http404

    raise Http404("No such observation.")


@allow(ANY_ROLE)
@require_POST
def tallies(request: HttpRequest, request_id: int) -> HttpResponse:
    """The observer's phone sends taps here: {"events": [{"id", "prompt", "delta"}],
    "present": {"value", "seq"}}; resending a batch is harmless."""
    obs, standing = access_request(request.user, request_id)
    if standing != "observer":
        return _not_found()
    if len(request.body) > MAX_SYNC_BYTES:
        return json_error(Invalid("Too many taps in one message; send fewer at a time."))
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return json_error(Invalid("The message was not valid JSON."))
    if not isinstance(payload, dict):
        return json_error(Invalid("Send a JSON object with 'events'."))
    try:
        result = actions.do_record_tallies(_user(request), obs, payload.get("events", []),
                                           present=payload.get("present"))
    except RuleError as refusal:  # a closed observation is NotAllowed: 403
        return json_error(refusal)
    return JsonResponse({"accepted": result.accepted, "duplicates": result.duplicates,
                         "counts": {str(k): v for k, v in result.counts.items()},
                         "students_present": result.students_present})


def _posted_counts(post: Any) -> tuple[dict[str, Any], Any]:
    """Counts from the plain form: "prompt-<id>" fields (blank: not counted) and "present"."""
    def number(raw: str) -> Any:
        try:
            return int(raw.strip())
        except ValueError:
            return raw

    counts = {key.removeprefix("prompt-"): number(value) for key, value in post.items()
              if key.startswith("prompt-") and value.strip() != ""}
    present = post.get("present", "").strip()
    return counts, (number(present) if present else None)


@allow(ANY_ROLE)
@require_POST
def submit(request: HttpRequest, request_id: int) -> HttpResponse:
    obs, standing = access_request(request.user, request_id)
    if standing != "observer":
        return _not_found()
    counts, present = _posted_counts(request.POST)
    try:
        done = actions.do_submit_observation(_user(request), obs, tallies=counts,
                                             present=present, request=request)
    except actions.ObservationRuleError as exc:
        status = exc.status  # 403 once the observation is closed (NotAllowed)
        posted = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        return _page(request, obs, standing, error=str(exc), posted=posted, status=status)
    total = done.occasion.total if done.occasion else None
    messages.success(request, f"Thank you. Submitted: {total} students for "
                              f"\u201c{done.prompt.text}\u201d.")
    return redirect("observation:detail", request_id=done.pk)
