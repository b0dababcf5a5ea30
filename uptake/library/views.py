"""Library pages: the library with its search and filters, my practices, a practice,
sharing and editing one, publishing, deleting, and "I tried this"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from uptake.accounts.access import allow, district_id_of
from uptake.accounts.models import Role, User
from uptake.evidence.models import Artifact
from uptake.idempotency import once
from uptake.inquiry.access import inquiries_editable_by, inquiries_visible_to
from uptake.learning.access import alignable_elements
from uptake.library import access, actions
from uptake.library.forms import (
    PracticeForm,
    SearchForm,
    TrialForm,
    initial_from,
    initial_from_inquiry,
)
from uptake.library.models import Practice
from uptake.library.queries import travel
from uptake.library.search import search, suggestions
from uptake.views_support import showing_refusals

PER_PAGE = 20


def _me(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _with_counts(practices: QuerySet[Practice]) -> QuerySet[Practice]:
    return (practices.select_related("author")
            .annotate(tried=Count("trials", distinct=True))
            .prefetch_related("elements"))


@allow(*access.READERS)
def library(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = SearchForm(request.GET or None)
    practices = access.published_practices(me)
    found = practices
    if form.is_valid():
        data = form.cleaned_data
        found = search(practices, q=data["q"], standard=data["standard"],
                       grade=data["grade"], subject=data["subject"], focus=data["focus"])
    page = Paginator(_with_counts(found).order_by("-published_at", "-pk"),
                     PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filtered = bool(form.is_bound and form.is_valid() and any(form.cleaned_data.values()))
    return render(request, "library/list.html", {
        "form": form, "page": page, "query": query.urlencode(), "filtered": filtered,
        "suggest": suggestions(practices), "may_share": me.has_role(Role.TEACHER)})


@allow(Role.TEACHER)
def mine(request: HttpRequest) -> HttpResponse:
    practices = _with_counts(access.own_practices(_me(request))).order_by("-updated_at", "-pk")
    return render(request, "library/mine.html", {"practices": practices})


def _choices(me: User, practice: Practice | None = None) -> dict[str, Any]:
    from django.db.models import Q

    from uptake.inquiry.models import Inquiry

    kept = practice.source_inquiry_id if practice else None
    inquiries = Inquiry.objects.filter(
        Q(pk__in=inquiries_editable_by(me).values("pk")) | Q(pk=kept)).order_by("title", "pk")
    attached = practice.artifacts.values("pk") if practice else []
    artifacts = (access.attachable_artifacts(me) if not practice else
                 Artifact.objects.filter(Q(pk__in=access.attachable_artifacts(me).values("pk"))
                                         | Q(pk__in=attached, identifies_students=False))
                 .order_by("title", "pk"))
    return {"elements": alignable_elements(district_id_of(me)), "inquiries": inquiries,
            "artifacts": artifacts}


def _form_page(request: HttpRequest, form: PracticeForm, practice: Practice | None
               ) -> HttpResponse:
    me = _me(request)
    return render(request, "library/form.html", {
        "form": form, "practice": practice,
        "suggest": suggestions(access.published_practices(me) | access.own_practices(me))},
        status=400 if form.errors else 200)


@allow(Role.TEACHER)
@once
def new(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    initial: dict[str, Any] = {}
    source = request.GET.get("from_inquiry", "")
    if source.isdigit() and len(source) < 19:
        inquiry = inquiries_editable_by(me).filter(pk=int(source)).first()
        if inquiry is not None:
            initial = initial_from_inquiry(inquiry)
    form = PracticeForm(request.POST or None, initial=initial, **_choices(me))
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form) as attempt:
            practice = actions.do_create_practice(me, form.practice_fields(),
                                                  publish="publish" in request.POST,
                                                  request=request)
        if attempt.ok:
            messages.success(request, f"Published “{practice.title}” to your district."
                             if practice.is_published else
                             f"Saved “{practice.title}” as a draft: only you see it until "
                             "you publish it.")
            return redirect("library:detail", practice_id=practice.pk)
    return _form_page(request, form, None)


@allow(Role.TEACHER)
def edit(request: HttpRequest, practice_id: int) -> HttpResponse:
    me = _me(request)
    practice = access.access_own_practice(me, practice_id)
    form = PracticeForm(request.POST or None, initial=initial_from(practice),
                        **_choices(me, practice))
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Saved your changes.") as attempt:
            actions.do_update_practice(practice, actor=me, fields=form.practice_fields(),
                                       request=request)
        if attempt.ok:
            return redirect("library:detail", practice_id=practice.pk)
    return _form_page(request, form, practice)


@allow(*access.READERS)
def detail(request: HttpRequest, practice_id: int) -> HttpResponse:
    me = _me(request)
    practice = access.access_practice(me, practice_id)
    mine = {t.pk for t in access.trials_visible_to(me).filter(
        practice=practice, inquiry__in=access.inquiries_to_try_with(me).values("pk"))}
    artifacts = access.shown_artifacts(practice)
    openable = set(Artifact.objects.visible_to(me).filter(
        pk__in=[a.pk for a in artifacts]).values_list("pk", flat=True))
    seen = travel(practice)
    readable = set(inquiries_visible_to(me).filter(
        pk__in=[v.trial.inquiry_id for v in seen.trials]).values_list("pk", flat=True))
    return render(request, "library/detail.html", {
        "practice": practice, "is_author": access.may_edit_practice(me, practice),
        "travel": seen, "my_trials": mine, "readable": readable,
        "may_try": practice.is_published and access.inquiries_to_try_with(me).exists(),
        "elements": practice.elements.select_related("framework").order_by("code"),
        "artifacts": [(a, a.pk in openable) for a in artifacts]})


@allow(Role.TEACHER)
@require_POST
def publish(request: HttpRequest, practice_id: int) -> HttpResponse:
    practice = access.access_own_practice(request.user, practice_id)
    with showing_refusals(request, done="Published: everyone in your district can find it "
                                        "in the library.") as _:
        actions.do_publish_practice(practice, actor=_me(request), request=request)
    return redirect("library:detail", practice_id=practice.pk)


@allow(Role.TEACHER)
@require_POST
def unpublish(request: HttpRequest, practice_id: int) -> HttpResponse:
    practice = access.access_own_practice(request.user, practice_id)
    with showing_refusals(request, done="Back to a draft: only you see it now."):
        actions.do_unpublish_practice(practice, actor=_me(request), request=request)
    return redirect("library:detail", practice_id=practice.pk)


@allow(Role.TEACHER)
def delete(request: HttpRequest, practice_id: int) -> HttpResponse:
    practice = access.access_own_practice(request.user, practice_id)
    if request.method == "POST":
        title = practice.title
        actions.do_delete_practice(practice, actor=_me(request), request=request)
        messages.success(request, f"Deleted “{title}”.")
        return redirect("library:mine")
    return render(request, "library/delete.html", {
        "practice": practice, "trials": practice.trials.count()})


@allow(Role.TEACHER)
@once
def try_it(request: HttpRequest, practice_id: int) -> HttpResponse:
    me = _me(request)
    practice = access.access_practice(me, practice_id)
    inquiries = access.inquiries_to_try_with(me).exclude(practice_trials__practice=practice)
    form = TrialForm(request.POST or None, inquiries=inquiries)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with showing_refusals(request, form=form) as attempt:
            actions.do_add_trial(practice, actor=me, inquiry=data["inquiry"], note=data["note"],
                                 request=request)
        if attempt.ok:
            messages.success(request, f"Linked “{data['inquiry'].title}”: colleagues see "
                                      "its results on this practice.")
            return redirect("library:detail", practice_id=practice.pk)
    return render(request, "library/try.html", {"practice": practice, "form": form},
                  status=400 if form.errors else 200)


@allow(Role.TEACHER)
@require_POST
def trial_remove(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = access.access_own_trial(request.user, trial_id)
    practice_id, title = trial.practice_id, trial.inquiry.title
    actions.do_remove_trial(trial, actor=_me(request), request=request)
    messages.success(request, f"Unlinked “{title}” from this practice.")
    return redirect("library:detail", practice_id=practice_id)
