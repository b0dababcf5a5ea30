"""Pages for the home screen, one's account, people and roles, and invitations."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from uptake import registry
from uptake.accounts import actions
from uptake.accounts.access import (
    ANONYMOUS,
    ANY_ROLE,
    access_invitation,
    access_person,
    access_role_assignment,
    allow,
    district_id_of,
    invitations_visible_to,
)
from uptake.accounts.forms import (
    AcceptInvitationForm,
    AddPersonForm,
    GrantRoleForm,
    JoinInvitationForm,
    PeerInvitationForm,
    PersonFilterForm,
    PersonForm,
)
from uptake.accounts.home import home_context
from uptake.accounts.models import Invitation, Role, RoleAssignment, User
from uptake.idempotency import once
from uptake.views_support import showing_refusals

PEOPLE_PER_PAGE = 50


@allow(ANY_ROLE)
def home(request: HttpRequest) -> HttpResponse:
    """A home page per role: what each role held by this person needs first."""
    return render(request, "accounts/home.html", home_context(request.user))  # type: ignore[arg-type]


@allow(ANY_ROLE)
def account_settings(request: HttpRequest) -> HttpResponse:
    from allauth.mfa.models import Authenticator

    user: User = request.user  # type: ignore[assignment]
    kinds = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    return render(request, "accounts/account_settings.html", {
        "roles": user.roles.select_related("school"),
        "totp_active": Authenticator.Type.TOTP in kinds,
        "recovery_codes_active": Authenticator.Type.RECOVERY_CODES in kinds,
        # What other apps add to this page (uptake.registry.account_links): API tokens.
        "account_links": [(entry.label, reverse(entry.url_name))
                          for entry in registry.account_links
                          if entry.shown_to(frozenset(user.role_set()))],
    })


# ------------------------------------------------------------------------------ people

def _filtered_people(user: User, form: PersonFilterForm) -> QuerySet[User]:
    people = User.objects.people().filter(district_id=district_id_of(user)).prefetch_related(
        Prefetch("roles", queryset=RoleAssignment.objects.select_related("school")))
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or "active"
    if status != "all":
        people = people.filter(is_active=status == "active")
    if q := (data.get("q") or "").strip():
        for word in q.split():
            people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                                   | Q(email__icontains=word))
    role_filter = Q()
    if data.get("role"):
        role_filter &= Q(role=data["role"])
    if data.get("school"):
        role_filter &= Q(school=data["school"])
    if role_filter:
        # One condition on the same role row: "teacher at Cedar", not "teacher somewhere and
        # anything at Cedar".
        people = people.filter(pk__in=RoleAssignment.objects.filter(
            role_filter, district_id=district_id_of(user)).values("user_id"))
    return people


@allow(Role.COORDINATOR)
def people(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PersonFilterForm(request.GET or None, district_id=user.district_id)
    page = Paginator(_filtered_people(user, form), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = ("accounts/_people_results.html" if getattr(request, "htmx", False)
                else "accounts/people.html")
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@allow(Role.COORDINATOR)
@once
def person_add(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = AddPersonForm(request.POST or None, district_id=user.district_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with showing_refusals(request, form=form) as attempt:
            person = actions.do_add_person(
                actor=user, email=data["email"], first_name=data["first_name"],
                last_name=data["last_name"],
                roles=[actions.RoleGrant(data["role"], data.get("school"))], request=request)
        if attempt.ok:
            messages.success(request, f"Added {person.display_name}. We e-mailed "
                                      f"{person.email} a link to choose a password.")
            return redirect("person", person_id=person.pk)
    return render(request, "accounts/person_add.html", {"form": form})


def _person_page(request: HttpRequest, person: User, *, details_form: PersonForm | None = None,
                 grant_form: GrantRoleForm | None = None, status: int = 200) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    details_form = details_form or PersonForm(initial={
        "first_name": person.first_name, "last_name": person.last_name, "email": person.email})
    grant_form = grant_form or GrantRoleForm(district_id=user.district_id)
    return render(request, "accounts/person.html", {
        "person": person,
        "assignments": person.roles.select_related("school", "granted_by"),
        "details_form": details_form,
        "grant_form": grant_form,
        "is_self": person.pk == user.pk,
    }, status=status)


@allow(Role.COORDINATOR)
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    target = access_person(user, person_id)
    if request.method != "POST":
        return _person_page(request, target)
    form = PersonForm(request.POST)
    if form.is_valid():
        with showing_refusals(request, form=form) as attempt:
            actions.do_update_person(actor=user, person=target, request=request,
                                     **form.cleaned_data)
        if attempt.ok:
            messages.success(request, f"Saved {target.display_name}'s details.")
            return redirect("person", person_id=target.pk)
    return _person_page(request, target, details_form=form, status=400)


@allow(Role.COORDINATOR)
@require_POST
def person_grant(request: HttpRequest, person_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    target = access_person(user, person_id)
    form = GrantRoleForm(request.POST, district_id=user.district_id)
    if form.is_valid():
        with showing_refusals(request, form=form) as attempt:
            actions.do_grant_role(actor=user, person=target, role=form.cleaned_data["role"],
                                  school=form.cleaned_data.get("school"), request=request)
        if attempt.ok:
            messages.success(request, "Role granted.")
            return redirect("person", person_id=target.pk)
    return _person_page(request, target, grant_form=form, status=400)


@allow(Role.COORDINATOR)
@require_POST
def person_revoke(request: HttpRequest, person_id: int, assignment_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    target = access_person(user, person_id)
    assignment = access_role_assignment(user, target, assignment_id)
    with showing_refusals(request, done=f"Revoked {assignment}."):
        actions.do_revoke_role(actor=user, assignment=assignment, request=request)
    return redirect("person", person_id=target.pk)


@allow(Role.COORDINATOR)
@require_POST
def person_deactivate(request: HttpRequest, person_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    target = access_person(user, person_id)
    with showing_refusals(
            request, done=f"Deactivated {target.display_name}; they can no longer sign in."):
        actions.do_deactivate_person(actor=user, person=target, request=request)
    return redirect("person", person_id=target.pk)


@allow(Role.COORDINATOR)
@require_POST
def person_reactivate(request: HttpRequest, person_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    target = access_person(user, person_id)
    with showing_refusals(request, done=f"Reactivated {target.display_name}."):
        actions.do_reactivate_person(actor=user, person=target, request=request)
    return redirect("person", person_id=target.pk)


# -------------------------------------------------------------------------- invitations

def _invitation_forms(request: HttpRequest, user: User) -> dict[str, Any]:
    post = request.POST if request.method == "POST" else None
    kind = request.POST.get("purpose") if post else None
    forms: dict[str, Any] = {}
    if user.has_role(Role.TEACHER):
        forms["peer_form"] = PeerInvitationForm(
            post if kind == Invitation.Purpose.PEER_OBSERVER else None, prefix="peer")
    if user.has_role(Role.COORDINATOR):
        forms["join_form"] = JoinInvitationForm(
            post if kind == Invitation.Purpose.JOIN_DISTRICT else None, prefix="join",
            district_id=user.district_id)
    return forms


@allow(Role.TEACHER, Role.COORDINATOR)
@once
def invitations(request: HttpRequest) -> HttpResponse:
    """Invite someone, and see (and withdraw) the invitations one has sent."""
    user: User = request.user  # type: ignore[assignment]
    forms = _invitation_forms(request, user)
    if request.method == "POST":
        purpose = request.POST.get("purpose", "")
        form = forms.get("peer_form" if purpose == Invitation.Purpose.PEER_OBSERVER
                         else "join_form")
        if form is not None and form.is_valid():
            data = form.cleaned_data
            with showing_refusals(request, form=form) as attempt:
                invitation = actions.do_invite(
                    actor=user, email=data["email"], purpose=purpose, role=data.get("role", ""),
                    school=data.get("school"), message=data.get("message", ""),
                    request=request)
            if attempt.ok:
                messages.success(request, f"Invitation sent to {invitation.email}.")
                return redirect("invitations")
    sent = invitations_visible_to(user)
    return render(request, "accounts/invitations.html",
                  {**forms, "invitations": sent[:200], "INVITATION_DAYS": settings.INVITATION_DAYS},
                  status=400 if request.method == "POST" else 200)


@allow(Role.TEACHER, Role.COORDINATOR)
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    invitation = access_invitation(user, invitation_id)
    with showing_refusals(request, done=f"Withdrew the invitation for {invitation.email}."):
        actions.do_revoke_invitation(actor=user, invitation=invitation, request=request)
    return redirect("invitations")


@allow(ANONYMOUS)
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the link; every unusable link gets one and the same answer."""
    invitation = actions.usable_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_unusable.html",
                      {"message": actions.INVITATION_UNUSABLE}, status=410)
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    context: dict[str, Any] = {"invitation": invitation, "has_account": has_account}
    if has_account:
        return _accept_existing(request, token, invitation, context)
    if request.user.is_authenticated:
        # Creating someone else's account from inside one's own session would confuse both.
        return render(request, "accounts/invitation_accept.html",
                      {**context, "signed_in_elsewhere": True})
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form) as attempt:
            actions.do_accept_invitation_new_account(
                token=token, first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"], request=request)
        if attempt.ok:
            messages.success(request, "Your account is ready. Sign in with your e-mail and "
                                      "the password you chose.")
            return redirect("account_login")
    return render(request, "accounts/invitation_accept.html", {**context, "form": form})


def _accept_existing(request: HttpRequest, token: str, invitation: Invitation,
                     context: dict[str, Any]) -> HttpResponse:
    if request.method == "POST" and request.user.is_authenticated:
        try:
            actions.do_accept_invitation_existing_account(
                token=token, person=request.user, request=request)
        except actions.AccountRuleError as exc:
            context["error"] = str(exc)
        else:
            messages.success(request, "Invitation accepted.")
            return redirect("home")
    return render(request, "accounts/invitation_accept.html", context)
