"""Who may reach an observation request.

- The teacher who owns the inquiry (and the one who asked, if a team member asked) manages
  it and sees its tallies. Both must still be able to edit the inquiry *now*: a team member
  who is removed from the team, or whose inquiry is taken off it, loses the requests she
  made with it (the owner keeps them); and both must still be teachers (a revoked role
  ends their standing, as it closes the inquiry's own pages).
- The invited observer (a colleague chosen by name, or whoever accepted the e-mailed
  invitation, who may have no district at all) opens the observation page; outside the
  window the page is read-only and every change is refused with the reason.
- Everyone else gets the same 404 as for a missing request.
"""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import Http404

from uptake.accounts.models import Role
from uptake.inquiry.access import inquiries_editable_by
from uptake.observation.models import ObservationPrompt, ObservationProtocol, ObservationRequest

Standing = Literal["owner", "observer"]


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def requests_owned_by(user: Any) -> QuerySet[ObservationRequest]:
    if not _signed_in(user) or user.district_id is None or not user.has_role(Role.TEACHER):
        return ObservationRequest.objects.none()
    return ObservationRequest.objects.filter(
        Q(inquiry__owner=user) | Q(requested_by=user),
        inquiry__in=inquiries_editable_by(user), inquiry__district_id=user.district_id)


def requests_to_observe(user: Any) -> QuerySet[ObservationRequest]:
    if not _signed_in(user):
        return ObservationRequest.objects.none()
    return ObservationRequest.objects.filter(
        Q(observer=user) | Q(observer__isnull=True, invitation__accepted_by=user))


def access_request(user: Any, request_id: Any) -> tuple[ObservationRequest, Standing]:
    """The request and the person's standing towards it, or 404."""
    related = ("inquiry", "measure", "section", "prompt", "protocol", "requested_by",
               "observer", "invitation", "invitation__accepted_by")
    for qs, standing in ((requests_owned_by(user), "owner"),
                         (requests_to_observe(user), "observer")):
        try:
            return qs.select_related(*related).get(pk=request_id), standing  # type: ignore[return-value]
        except (ObservationRequest.DoesNotExist, ValueError, TypeError):
            continue
    raise Http404("No such observation.")


def access_protocol(user: Any, protocol_id: Any) -> ObservationProtocol:
    """A protocol of the coordinator's own district, or 404."""
    if not _signed_in(user) or not user.has_role(Role.COORDINATOR):
        raise Http404("No such protocol.")
    try:
        return ObservationProtocol.objects.get(pk=protocol_id, district_id=user.district_id)
    except (ObservationProtocol.DoesNotExist, ValueError, TypeError):
        raise Http404("No such protocol.") from None


def access_prompt(user: Any, prompt_id: Any) -> ObservationPrompt:
    if not _signed_in(user) or not user.has_role(Role.COORDINATOR):
        raise Http404("No such prompt.")
    try:
        return ObservationPrompt.objects.select_related("protocol").get(
            pk=prompt_id, protocol__district_id=user.district_id)
    except (ObservationPrompt.DoesNotExist, ValueError, TypeError):
        raise Http404("No such prompt.") from None
