"""Pages: the district's Open Badges issuer, for its coordinators.

- **The issuer**: its ``did:web`` identifier and DID document, the Profile every credential
  names (web site, e-mail, description: editable), its signing keys (a new one per kind,
  after a confirmation; old ones stay listed so what they signed still verifies) and its
  revocation status lists.
- **Issued**: every credential issued in the district, filterable; revoking one, with a
  reason (kept in Uptake, shown to the educator and her coordinators).
- **Not issued**: awards whose credential failed the checks before signing, with the
  checks' sentences and a "Try again".

Coordinators of the district only, read at every request (``allow``); another district's
badge or award is the same 404 as a missing one. Every change goes through
``uptake.badges.actions``. Nothing here is student data, so reading is not audited.
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from uptake.accounts.access import allow, district_id_of, signed_in_person
from uptake.accounts.models import District, Role, User
from uptake.badges import actions, keystore
from uptake.badges.models import Badge, IssueProblem, Issuer, IssuerKey
from uptake.credentials.models import Award
from uptake.views_support import showing_refusals

logger = logging.getLogger(__name__)

PER_PAGE = 50


class ProfileForm(forms.Form):
    url = forms.CharField(label="Web site", required=False, max_length=200,
                          help_text="The district's public web site, starting with https://. "
                                    "Left empty, Uptake's own address is named.")
    email = forms.CharField(label="E-mail for questions", required=False, max_length=254,
                            help_text="Where someone checking a credential can ask about it.")
    description = forms.CharField(label="Description", required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="A sentence or two about the district as an "
                                            "issuer of micro-credentials.")


class IssuedFilter(forms.Form):
    STATES = [("", "Every credential"), ("active", "Not revoked"),
              ("shared", "Shared publicly"), ("revoked", "Revoked")]
    q = forms.CharField(label="Educator or credential", required=False, max_length=100)
    state = forms.ChoiceField(label="Which", choices=STATES, required=False)


def _me(request: HttpRequest) -> tuple[User, District]:
    me = signed_in_person(request)
    return me, District.objects.get(pk=district_id_of(me))


def _badges(district: District) -> QuerySet[Badge]:
    return Badge.objects.filter(issuer__district=district)


def _badge(district: District, badge_id: int) -> Badge:
    try:
        return _badges(district).select_related("award__educator", "award__version").get(
            pk=badge_id)
    except Badge.DoesNotExist:
        raise Http404("No such credential.") from None


def _unissued(district: District) -> QuerySet[Award]:
    """Awards with no badge and a problem not yet resolved."""
    return (Award.objects.filter(district=district, badge__isnull=True)
            .filter(Exists(IssueProblem.objects.filter(award=OuterRef("pk"),
                                                       resolved_at=None))))


# ------------------------------------------------------------------------- the issuer

def _issuer_page(request: HttpRequest, issuer: Issuer, form: ProfileForm, *,
                 status: int = 200) -> HttpResponse:
    lists = []
    for status_list in issuer.status_lists.all():
        used = status_list.badges.count()
        lists.append({"list": status_list, "used": used,
                      "revoked": status_list.badges.filter(revoked_at__isnull=False).count(),
                      "room": status_list.entries // 2 - used})
    keys = list(issuer.keys.all())
    return render(request, "badges/issuer/issuer.html", {
        "issuer": issuer, "did": keystore.did(issuer),
        "did_url": keystore.did_document_url(issuer), "form": form, "keys": keys,
        "kinds": IssuerKey.Kind.choices, "lists": lists,
        "problems": _unissued(issuer.district).count(),
        "issued": issuer.badges.count(),
    }, status=status)


@allow(Role.COORDINATOR)
def issuer(request: HttpRequest) -> HttpResponse:
    _, district = _me(request)
    found = actions.issuer_for(district)
    form = ProfileForm(initial={"url": found.url, "email": found.email,
                                "description": found.description})
    return _issuer_page(request, found, form)


@allow(Role.COORDINATOR)
@require_POST
def issuer_profile(request: HttpRequest) -> HttpResponse:
    me, district = _me(request)
    found = actions.issuer_for(district)
    form = ProfileForm(request.POST)
    if form.is_valid():
        with showing_refusals(request, form=form, done="Saved the issuer profile. Credentials "
                              "issued from now on name it; those already issued keep "
                              "theirs.") as attempt:
            actions.do_set_issuer_profile(found, actor=me, request=request,
                                          **form.cleaned_data)
        if attempt.ok:
            return redirect("badges:issuer")
        found.refresh_from_db()
    return _issuer_page(request, found, form, status=400)


@allow(Role.COORDINATOR)
def issuer_rotate(request: HttpRequest, kind: str) -> HttpResponse:
    """GET: what adding a key means, and the button; POST: add it."""
    me, district = _me(request)
    if kind not in IssuerKey.Kind.values:
        raise Http404("No such kind of key.")
    found = actions.issuer_for(district)
    label = IssuerKey.Kind(kind).label
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            messages.error(request, "Confirm that a new key should take over signing.")
            return redirect("badges:issuer_rotate", kind=kind)
        with showing_refusals(request) as attempt:
            key = actions.do_rotate_key(found, kind, actor=me, request=request)
        if attempt.ok:
            messages.success(request, f"Added {key.fragment} ({label}): it signs from now "
                                      "on. The earlier key stays in the DID document, so "
                                      "every credential it signed still verifies.")
        return redirect("badges:issuer")
    current = keystore.signing_key(found, kind)
    return render(request, "badges/issuer/rotate.html", {
        "issuer": found, "kind": kind, "label": label, "current": current})


# ------------------------------------------------------------------------- issued

@allow(Role.COORDINATOR)
def issued(request: HttpRequest) -> HttpResponse:
    _, district = _me(request)
    form = IssuedFilter(request.GET or None)
    chosen = _badges(district).select_related("award__educator", "award__version",
                                              "revoked_by")
    used = False
    if form.is_bound and form.is_valid():
        q, state = form.cleaned_data["q"].strip(), form.cleaned_data["state"]
        if q:
            chosen = chosen.filter(
                Q(award__educator__first_name__icontains=q)
                | Q(award__educator__last_name__icontains=q)
                | Q(award__educator__email__icontains=q)
                | Q(award__version__title__icontains=q))
        if state == "active":
            chosen = chosen.filter(revoked_at__isnull=True)
        elif state == "shared":
            chosen = chosen.filter(shared_at__isnull=False)
        elif state == "revoked":
            chosen = chosen.filter(revoked_at__isnull=False)
        used = bool(q or state)
    page = Paginator(chosen.order_by("-issued_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "badges/issuer/issued.html", {
        "form": form, "page": page, "used": used, "query": query.urlencode(),
        "total": _badges(district).count()})


@allow(Role.COORDINATOR)
@require_POST
def revoke(request: HttpRequest, badge_id: int) -> HttpResponse:
    me, district = _me(request)
    badge = _badge(district, badge_id)
    who = badge.award.educator.display_name
    with showing_refusals(request, done=f"Revoked “{badge.award.version.title}” of {who}. "
                          "Verifiers see it as revoked from now on; your reason stays in "
                          "Uptake."):
        actions.do_revoke(badge, actor=me, reason=request.POST.get("reason", ""),
                          request=request)
    return redirect(f"{_issued_url(request)}#badge-{badge.pk}")


def _issued_url(request: HttpRequest) -> str:
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.POST.get("next", "")
    if back and back.startswith("/") and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return back
    return reverse("badges:issued")


# ------------------------------------------------------------------------- problems

@allow(Role.COORDINATOR)
def problems(request: HttpRequest) -> HttpResponse:
    _, district = _me(request)
    rows: list[dict[str, Any]] = []
    for award in (_unissued(district).select_related("educator", "version")
                  .order_by("-awarded_at", "-pk")):
        latest = award.issue_problems.filter(resolved_at=None).order_by("-found_at",
                                                                        "-pk").first()
        rows.append({"award": award, "problem": latest})
    return render(request, "badges/issuer/problems.html", {"rows": rows})


@allow(Role.COORDINATOR)
@require_POST
def retry(request: HttpRequest, award_id: int) -> HttpResponse:
    me, district = _me(request)
    try:
        award = Award.objects.select_related("educator", "version").get(
            pk=award_id, district=district)
    except Award.DoesNotExist:
        raise Http404("No such award.") from None
    title, who = award.version.title, award.educator.display_name
    if Badge.objects.filter(award=award).exists():
        messages.info(request, f"“{title}” of {who} is already issued.")
        return redirect("badges:problems")
    try:
        with showing_refusals(request) as attempt, transaction.atomic():
            badge = actions.do_issue(award, actor=me, request=request)
    except Exception:
        logger.exception("Could not issue award %s as an Open Badge", award.pk)
        messages.error(request, "Signing failed unexpectedly; the error is in the server's "
                                "log. Nothing was issued.")
        return redirect("badges:problems")
    if attempt.ok:
        if badge is not None:
            messages.success(request, f"Issued “{title}” to {who}.")
        else:
            latest = award.issue_problems.order_by("-found_at", "-pk").first()
            first = latest.problems[0] if latest and latest.problems else ""
            messages.error(request, f"Still not issued: {first}" if first else
                           "Still not issued; the reasons are listed below.")
    return redirect("badges:problems")
