"""Bringing ties in: a network survey's roster answers and edge lists (CSV/XLSX), and
deleting what was brought in (docs/network-imports.md).

**Nominations are reversed.** A roster answer "i goes to j for advice" is stored as the
tie ``j → i`` (knowledge flows from j to i); an edge list of nominations the same way.

Only the district's coordinators bring ties in or delete them (``access.may_keep_network``);
each import is one transaction and one audit event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from uptake.accounts.access import district_id_of, in_a_district
from uptake.accounts.models import User
from uptake.audit.actions import record
from uptake.networks import access, edgelist, queries
from uptake.networks.edgelist import EdgeRow, EdgesRefused, End
from uptake.networks.models import (
    MAX_WEIGHT,
    Contact,
    NetworkImport,
    Tie,
)
from uptake.networks.precompute import network_changed
from uptake.rules import Invalid, NotAllowed
from uptake.surveys.access import may_see_roster_results
from uptake.surveys.models import Answer, Question, Recipient, Survey

__all__ = ["EdgesRefused", "do_bring_in_survey", "do_delete_import", "do_import_edge_file",
           "do_import_edges", "frequency_weight", "import_of", "imports_of", "relation_labels",
           "surveys_to_bring_in"]


# ------------------------------------------------------------------------ reads


def relation_labels(district_id: int) -> dict[str, str]:
    """The relations a tie brought in may carry, key to label: the built-in ones, then the
    district's own (the known layer's are read live, never imported)."""
    return {r.key: r.label for r in queries.relations_of(district_id)}


def imports_of(user: User) -> QuerySet[NetworkImport]:
    """The imports she may read: the whole district's, for its coordinators and
    researchers; nothing for anyone else."""
    if not access.may_see_whole_network(user):
        return NetworkImport.objects.none()
    return NetworkImport.objects.filter(district_id=district_id_of(user))


def import_of(user: User, import_id: int) -> NetworkImport:
    """One import she may read, or the same 404 as a missing one."""
    found = imports_of(user).filter(pk=import_id).select_related("survey", "question").first()
    if found is None:
        raise Http404("No such import.")
    return found


def surveys_to_bring_in(user: User) -> QuerySet[Survey]:
    """The district's network surveys that have opened (open or closed), newest first."""
    if not access.may_keep_network(user):
        return Survey.objects.none()
    return (Survey.objects.filter(district_id=district_id_of(user),
                                  purpose=Survey.Purpose.NETWORK,
                                  published_at__isnull=False)
            .prefetch_related("questions"))


def frequency_weight(frequency: str, labels: Sequence[str]) -> int:
    """The weight of a chosen frequency: its rank among the question's labels, least often
    first (1 = least often). Without labels, or for a frequency not among them, 1. More
    than ten labels are spread over 1 to 10 so that the most often is still 10.

    >>> frequency_weight("Weekly", ["Yearly", "Monthly", "Weekly", "Daily"])
    3
    >>> frequency_weight("Daily", [])
    1
    >>> frequency_weight("12", [str(i) for i in range(1, 13)])
    10
    """
    if frequency not in labels:
        return 1
    rank, count = labels.index(frequency) + 1, len(labels)
    if count <= MAX_WEIGHT:
        return rank
    return 1 + round((rank - 1) * (MAX_WEIGHT - 1) / (count - 1))


# ------------------------------------------------------------------------ writes


def _keeper(actor: User) -> int:
    if not in_a_district(actor) or not access.may_keep_network(actor):
        raise NotAllowed("Only the district's coordinators bring ties into the network.")
    return district_id_of(actor)


def _relation(district_id: int, relation: str) -> str:
    key = (relation or "").strip().lower()
    labels = relation_labels(district_id)
    if key not in labels:
        raise Invalid("Choose one of the district's relations: " + ", ".join(labels) + ".",
                      field="relation")
    return key


def future_observed(observed_on: date) -> str:
    """The refusal for an import-wide date in the future, or "" (as the rows' dates)."""
    if observed_on > timezone.localdate():
        return (f"The date observed, {observed_on.isoformat()}, is in the future: give the "
                f"day the ties were true, today or before.")
    return ""


def _check_observed(observed_on: date) -> None:
    if message := future_observed(observed_on):
        raise Invalid(message, field="observed_on")


def do_bring_in_survey(actor: User, survey: Survey, question: Question, relation: str,
                       observed_on: date, *, request: HttpRequest | None = None
                       ) -> NetworkImport:
    """Every identified response's roster answers to ``question`` become ties, each
    nomination reversed (respondent i names j: the tie ``j → i``), weighted by the
    frequency's rank. The recipients are recorded as invited and those who answered as
    responded. Bringing the same question in again replaces the earlier batch."""
    district_id = _keeper(actor)
    if survey.district_id != district_id or not may_see_roster_results(actor, survey):
        raise Http404("No such survey.")
    if question.survey_id != survey.pk:
        raise Http404("No such question.")
    key = _relation(district_id, relation)
    _check_observed(observed_on)
    _check_survey(survey, question)
    answers = (Answer.objects.filter(question=question, response__survey=survey,
                                     response__person__isnull=False, named__isnull=False,
                                     named__district_id=district_id)
               .select_related("response").order_by("response__person_id", "named_id"))
    labels = list(question.frequency_labels or [])
    invited = sorted(Recipient.objects.filter(survey=survey).values_list("person_id",
                                                                         flat=True))
    responded = sorted(p for p in survey.responses.filter(person__isnull=False)
                       .values_list("person_id", flat=True).distinct() if p is not None)
    ties = [Tie(district_id=district_id, relation=key, source_person_id=a.named_id,
                target_person_id=a.response.person_id,
                weight=frequency_weight(a.frequency, labels), frequency=a.frequency[:60],
                observed_on=observed_on, origin=Tie.Origin.SURVEY)
            for a in answers if a.named_id != a.response.person_id]
    with transaction.atomic():
        earlier = NetworkImport.objects.filter(district_id=district_id,
                                               kind=NetworkImport.Kind.SURVEY,
                                               question=question)
        replaced = [e.pk for e in earlier]
        earlier.delete()
        made = NetworkImport.objects.create(
            district_id=district_id, kind=NetworkImport.Kind.SURVEY, relation=key,
            survey=survey, question=question, nominations_reversed=True,
            observed_on=observed_on, invited=invited, responded=responded,
            rows=len(answers), ties=len(ties), created_by=actor)
        for tie in ties:
            tie.network_import = made
        Tie.objects.bulk_create(ties, batch_size=1000)
        record("network_survey_imported", actor=actor, request=request, obj=made,
               summary=f"Brought “{survey.title}” ({question.prompt[:80]}) into the network "
                       f"as {key}: {len(ties)} ties",
               details={"survey": survey.pk, "question": question.pk, "relation": key,
                        "ties": len(ties), "invited": len(invited),
                        "responded": len(responded), "replaced": replaced,
                        "observed_on": observed_on.isoformat()})
        network_changed(district_id)
    return made


def _check_survey(survey: Survey, question: Question) -> None:
    if survey.purpose != Survey.Purpose.NETWORK:
        raise Invalid("Only a network survey's answers become ties; this survey's purpose "
                      "is not network.", field="survey")
    if survey.anonymous:
        raise Invalid("This survey is anonymous, so nobody knows who named whom, and a "
                      "network needs names. Ask the question again in an identified "
                      "survey.", field="survey")
    if survey.status not in (Survey.Status.OPEN, Survey.Status.CLOSED):
        raise Invalid("This survey has not opened yet, so nobody has answered it; bring it "
                      "in once it is open.", field="survey")
    if question.kind != Question.Kind.ROSTER:
        raise Invalid("Choose a question that asks for names from a list (a roster "
                      "question).", field="question")


def do_import_edge_file(actor: User, *, file_name: str, content: bytes, nominations: bool,
                        observed_on: date, request: HttpRequest | None = None
                        ) -> NetworkImport:
    """Read a CSV or XLSX edge list and save every tie, or none (:class:`EdgesRefused`
    naming the file, row, column and what was wrong)."""
    _keeper(actor)
    _check_observed(observed_on)
    name = (file_name or "edges.csv").replace("\\", "/").rsplit("/", 1)[-1][:255]
    records = edgelist.read_file(name, content)
    return do_import_edges(actor, records=records, nominations=nominations,
                           observed_on=observed_on, file_name=name, request=request)


def do_import_edges(actor: User, *, records: Sequence[Mapping[str, object] | None],
                    nominations: bool, observed_on: date, file_name: str = "API",
                    first_row: int = 2, request: HttpRequest | None = None
                    ) -> NetworkImport:
    """Check the rows (``edgelist.check``) and save them as one import: contacts named by
    name are matched or added, nominations reversed. Nothing is saved if any row is
    wrong."""
    district_id = _keeper(actor)
    _check_observed(observed_on)
    rows = edgelist.check(records, district_id=district_id,
                          relations=relation_labels(district_id), nominations=nominations,
                          name=file_name, first_row=first_row)
    with transaction.atomic():
        contacts = _contacts(district_id, rows, actor)
        made = NetworkImport.objects.create(
            district_id=district_id, kind=NetworkImport.Kind.EDGE_LIST, relation="",
            file_name=file_name[:255], nominations_reversed=nominations,
            observed_on=observed_on, rows=len(rows), ties=len(rows), created_by=actor)
        Tie.objects.bulk_create([_tie(district_id, r, contacts, made, observed_on)
                                 for r in rows], batch_size=1000)
        record("network_edges_imported", actor=actor, request=request, obj=made,
               summary=f"Imported {len(rows)} ties from {file_name}"
                       + (" (nominations, reversed)" if nominations else ""),
               details={"file_name": file_name, "ties": len(rows),
                        "nominations_reversed": nominations,
                        "relations": sorted({r.relation for r in rows}),
                        "observed_on": observed_on.isoformat()})
        network_changed(district_id)
    return made


def _contacts(district_id: int, rows: Sequence[EdgeRow], actor: User
              ) -> dict[tuple[str, ...], Contact]:
    """The contacts the rows name, matched by name and platform (any case) or added."""
    wanted: dict[tuple[str, ...], End] = {}
    for row in rows:
        for end in (row.source, row.target):
            if end.person is None:
                wanted.setdefault(end.key, end)
    if not wanted:
        return {}
    found: dict[tuple[str, ...], Contact] = {}
    for contact in Contact.objects.filter(district_id=district_id):
        named: tuple[str, ...] = ("c", contact.name.casefold(), contact.platform.casefold())
        if named in wanted:
            found.setdefault(named, contact)
    for key, end in wanted.items():
        if key not in found:
            found[key] = Contact.objects.create(district_id=district_id, name=end.name,
                                                platform=end.platform, added_by=actor)
    return found


def _tie(district_id: int, row: EdgeRow, contacts: Mapping[tuple[str, ...], Contact],
         made: NetworkImport, observed_on: date) -> Tie:
    def person(end: End) -> User | None:
        return end.person

    def contact(end: End) -> Contact | None:
        return None if end.person is not None else contacts[end.key]

    return Tie(district_id=district_id, relation=row.relation,
               source_person=person(row.source), source_contact=contact(row.source),
               target_person=person(row.target), target_contact=contact(row.target),
               weight=row.weight, frequency=row.frequency,
               observed_on=row.observed_on or observed_on, origin=Tie.Origin.IMPORT,
               network_import=made)


def do_delete_import(actor: User, imported: NetworkImport, *,
                     request: HttpRequest | None = None) -> None:
    """Delete an import and every tie it brought in (contacts it added stay: other ties and
    changes may name them)."""
    district_id = _keeper(actor)
    if imported.district_id != district_id:
        raise Http404("No such import.")
    with transaction.atomic():
        ties = imported.tie_set.count()
        record("network_import_deleted", actor=actor, request=request, obj=imported,
               summary=f"Deleted the {imported.get_kind_display().lower()} of "
                       f"{imported.observed_on.isoformat()} and its {ties} ties",
               details={"kind": imported.kind, "ties": ties,
                        "survey": imported.survey_id, "file_name": imported.file_name})
        imported.delete()
        network_changed(district_id)
