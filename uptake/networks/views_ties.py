"""The ties pages of the networks app (docs/networks.md).

- **Your ties** (teachers, coaches, school leaders): the ties she named, "people I learn
  from" and "people who learn from me"; naming one (a colleague, or someone outside the
  district) and removing one. Never a tie someone else named: her ego network (the map's
  page) shows ties others named about her, without saying who named them.
- **Relations** and **contacts** (coordinators): the district's own relations (add,
  rename, delete when no tie carries it) and the people and communities outside the
  district (correct, merge duplicates, delete with their ties).

Reads come from ``uptake.networks.queries``, writes from ``uptake.networks.actions.ties``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from uptake.accounts.access import allow, district_id_of, signed_in_person
from uptake.accounts.models import Role
from uptake.idempotency import once
from uptake.networks import access, queries
from uptake.networks.actions import ties as actions
from uptake.networks.forms_ties import ContactForm, MergeContactForm, NameTieForm, RelationForm
from uptake.networks.models import KNOWN_RELATIONS, Contact, Tie
from uptake.views_support import showing_refusals

EGO = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)
KEEPERS = (Role.COORDINATOR,)
PER_PAGE = 50


def _ego(request: HttpRequest) -> None:
    if not access.may_have_ego_network(signed_in_person(request)):
        raise access.not_found()


def _keeper(request: HttpRequest) -> None:
    if not access.may_keep_network(signed_in_person(request)):
        raise access.not_found()


# ------------------------------------------------------------------------------ her ties

@allow(*EGO)
def ties(request: HttpRequest) -> HttpResponse:
    _ego(request)
    me = signed_in_person(request)
    named = queries.named_by(me)
    return render(request, "networks/ties/mine.html", {
        "learn_from": [t for t in named if t.direction == "from"],
        "learn_from_me": [t for t in named if t.direction == "to"],
        "frequencies": actions.FREQUENCIES,
    })


def _name_form(request: HttpRequest) -> NameTieForm:
    me = signed_in_person(request)
    return NameTieForm(request.POST or None, me=me,
                       relations=queries.relations_of(district_id_of(me)),
                       colleagues=queries.colleagues_of(me),
                       initial={"direction": request.GET.get("direction", "from")})


@allow(*EGO)
@once
def tie_new(request: HttpRequest) -> HttpResponse:
    _ego(request)
    me = signed_in_person(request)
    form = _name_form(request)
    if request.method == "POST" and form.is_valid():
        # One transaction: a tie refused leaves no new contact and no audit event.
        with (showing_refusals(request, form=form, done="Tie named.") as attempt,
              transaction.atomic()):
            new = form.new_contact()
            contact = actions.do_add_contact(me, new, request=request) if new else None
            actions.do_name_tie(me, form.data_of(contact), request=request)
        if attempt.ok:
            return redirect("networks:ties")
    return render(request, "networks/ties/name.html", {
        "form": form, "frequencies": actions.FREQUENCIES},
        status=400 if form.errors else 200)


@allow(*EGO)
def tie_remove(request: HttpRequest, tie_id: int) -> HttpResponse:
    me = signed_in_person(request)
    tie = queries.access_named_tie(me, tie_id)
    named = next(t for t in queries.named_by(me) if t.id == tie.pk)
    if request.method == "POST":
        with showing_refusals(request, done="Tie removed.") as attempt:
            actions.do_remove_tie(me, tie, request=request)
        if attempt.ok:
            return redirect("networks:ties")
    return render(request, "networks/ties/remove.html", {"tie": named})


# ------------------------------------------------------------------------------ relations

@allow(*KEEPERS)
@once
def relations(request: HttpRequest) -> HttpResponse:
    _keeper(request)
    me = signed_in_person(request)
    district_id = district_id_of(me)
    form = RelationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Relation added.") as attempt:
            actions.do_add_relation(me, label=form.cleaned_data["label"],
                                    question=form.cleaned_data.get("question") or "",
                                    request=request)
        if attempt.ok:
            return redirect("networks:relations")
    own = {r.key: r.pk for r in queries.district_relations(district_id)}
    use = queries.relation_use_counts(district_id)
    rows = [{"relation": r, "ties": use.get(r.key, 0), "id": own.get(r.key)}
            for r in queries.relations_of(district_id)]
    return render(request, "networks/ties/relations.html", {
        "form": form, "rows": rows, "known": KNOWN_RELATIONS,
    }, status=400 if form.errors else 200)


@allow(*KEEPERS)
def relation_edit(request: HttpRequest, relation_id: int) -> HttpResponse:
    me = signed_in_person(request)
    relation = queries.access_relation(me, relation_id)
    form = RelationForm(request.POST or None,
                        initial={"label": relation.label, "question": relation.question})
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Relation saved.") as attempt:
            actions.do_change_relation(me, relation, label=form.cleaned_data["label"],
                                       question=form.cleaned_data.get("question") or "",
                                       request=request)
        if attempt.ok:
            return redirect("networks:relations")
    return render(request, "networks/ties/relation_edit.html", {
        "form": form, "relation": relation, "used": actions.relation_use(relation)},
        status=400 if form.errors else 200)


@allow(*KEEPERS)
def relation_delete(request: HttpRequest, relation_id: int) -> HttpResponse:
    me = signed_in_person(request)
    relation = queries.access_relation(me, relation_id)
    if request.method == "POST":
        with showing_refusals(request, done="Relation deleted.") as attempt:
            actions.do_delete_relation(me, relation, request=request)
        if attempt.ok:
            return redirect("networks:relations")
    return render(request, "networks/ties/relation_delete.html", {
        "relation": relation, "used": actions.relation_use(relation)})


# ------------------------------------------------------------------------------- contacts

@allow(*KEEPERS)
@once
def contacts(request: HttpRequest) -> HttpResponse:
    _keeper(request)
    me = signed_in_person(request)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Contact added.") as attempt:
            actions.do_add_contact(me, form.data_of(), request=request)
        if attempt.ok:
            return redirect("networks:contacts")
    page = Paginator(Contact.objects.filter(district_id=district_id_of(me))
                     .order_by("name", "platform", "pk"), PER_PAGE).get_page(
        request.GET.get("page"))
    # The page's tie counts, one aggregated query per end (two joins would multiply rows).
    ids = [c.pk for c in page]
    out = dict(Tie.objects.filter(source_contact_id__in=ids).values("source_contact_id")
               .annotate(n=Count("pk")).values_list("source_contact_id", "n"))
    into = dict(Tie.objects.filter(target_contact_id__in=ids).values("target_contact_id")
                .annotate(n=Count("pk")).values_list("target_contact_id", "n"))
    for c in page:
        c.out, c.into = out.get(c.pk, 0), into.get(c.pk, 0)  # type: ignore[attr-defined]
    return render(request, "networks/ties/contacts.html", {
        "form": form, "contacts": list(page), "page": page},
        status=400 if form.errors else 200)


@allow(*KEEPERS)
def contact_edit(request: HttpRequest, contact_id: int) -> HttpResponse:
    me = signed_in_person(request)
    contact = queries.access_contact(me, contact_id)
    form = ContactForm(request.POST or None, initial=ContactForm.initial_of(contact))
    if request.method == "POST" and form.is_valid():
        with showing_refusals(request, form=form, done="Contact saved.") as attempt:
            actions.do_change_contact(me, contact, form.data_of(), request=request)
        if attempt.ok:
            return redirect("networks:contacts")
    return render(request, "networks/ties/contact_edit.html", {
        "form": form, "contact": contact, "use": actions.contact_use(contact),
        "merge_form": MergeContactForm(contact=contact)}, status=400 if form.errors else 200)


@allow(*KEEPERS)
def contact_merge(request: HttpRequest, contact_id: int) -> HttpResponse:
    me = signed_in_person(request)
    contact = queries.access_contact(me, contact_id)
    form = MergeContactForm(request.POST or None, contact=contact)
    if request.method == "POST" and form.is_valid():
        gone = form.cleaned_data["other"]
        with showing_refusals(request, form=form,
                              done=f"“{gone}” merged into “{contact}”.") as attempt:
            actions.do_merge_contacts(me, contact, gone, request=request)
        if attempt.ok:
            return redirect("networks:contact_edit", contact_id=contact.pk)
    return render(request, "networks/ties/contact_edit.html", {
        "form": ContactForm(initial=ContactForm.initial_of(contact)), "contact": contact,
        "use": actions.contact_use(contact), "merge_form": form},
        status=400 if form.errors else 200)


@allow(*KEEPERS)
def contact_delete(request: HttpRequest, contact_id: int) -> HttpResponse:
    me = signed_in_person(request)
    contact = queries.access_contact(me, contact_id)
    if request.method == "POST":
        with showing_refusals(request) as attempt:
            use = actions.do_delete_contact(me, contact, request=request)
        if attempt.ok:
            ties_gone = "1 tie" if use.ties == 1 else f"{use.ties:,} ties"
            messages.success(request, f"Contact deleted, with {ties_gone}.")
            return redirect("networks:contacts")
    return render(request, "networks/ties/contact_delete.html", {
        "contact": contact, "use": actions.contact_use(contact)})
