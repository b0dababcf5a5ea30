"""This app's part of the JSON API (uptake/api): the shared-practice library.

Who sees what is who sees it on the pages (``uptake.library.access``): published practices
for everyone holding a role in the district, a draft for its author alone; nothing for
anyone else (the same 404 as a missing practice). Only the author (a teacher) changes,
publishes or unpublishes a practice, through the same actions as the pages. A trial links
one of the caller's own inquiries (one she may edit) to a practice ("I tried this"); its
outcomes are the verdict of each of that inquiry's measures, by name and words only: never
a student's row.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer

from uptake.accounts.access import district_id_of
from uptake.accounts.models import Role, User
from uptake.api import support
from uptake.evidence.models import Artifact
from uptake.inquiry.models import Inquiry
from uptake.learning.access import alignable_elements
from uptake.learning.models import FrameworkElement
from uptake.library import access, actions
from uptake.library.models import (
    CODE_MAX,
    CODES_MAX,
    LINKS_MAX,
    NOTE_MAX,
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
    Practice,
    Trial,
)
from uptake.library.queries import outcomes_of
from uptake.library.search import search

router = Router(tags=["Library"])

Id = Annotated[int, Field(ge=1, le=support.MAX_ID)]
Text = Annotated[str, Field(max_length=TEXT_MAX)]


def _reader(request: HttpRequest) -> User:
    me = support.me(request)
    if not access.may_use_library(me):
        raise Http404("No such practice.")
    return me


def _teacher(request: HttpRequest) -> User:
    me = _reader(request)
    if not me.has_role(Role.TEACHER):
        raise Http404("No such practice.")
    return me


class LinkSchema(Schema):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    url: str = Field(min_length=1, max_length=URL_MAX,
                     description="An http:// or https:// address.")


class PracticeElementOut(Schema):
    id: int
    code: str
    title: str
    framework: str

    @staticmethod
    def resolve_framework(obj: FrameworkElement) -> str:
        return obj.framework.name


class ArtifactRef(Schema):
    id: int
    title: str
    kind: str


class PracticeOut(Schema):
    id: int
    title: str
    status: Literal["draft", "published"]
    author_id: int
    author_name: str
    is_mine: bool
    overview: str
    steps: str
    materials: str
    lessons_learned: str
    suggested_revisions: str
    grades: list[str] = Field(description="The roster's grade codes: PK, KG, 01 … 12.")
    subject: str
    focus: str
    elements: list[PracticeElementOut]
    standard_codes: list[str]
    links: list[LinkSchema]
    artifacts: list[ArtifactRef]
    source_inquiry_id: int | None = Field(description="Shown to the author only.")
    trials: int
    published_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    page_url: str

    @staticmethod
    def resolve_author_name(obj: Practice) -> str:
        return obj.author.display_name

    @staticmethod
    def resolve_is_mine(obj: Practice, context: dict[str, Any]) -> bool:
        return bool(obj.author_id == context["request"].user.pk)

    @staticmethod
    def resolve_grades(obj: Practice) -> list[str]:
        return obj.grade_list

    @staticmethod
    def resolve_standard_codes(obj: Practice) -> list[str]:
        return obj.code_list

    @staticmethod
    def resolve_elements(obj: Practice) -> list[FrameworkElement]:
        return list(obj.elements.select_related("framework").order_by("code", "pk"))

    @staticmethod
    def resolve_links(obj: Practice) -> list[dict[str, str]]:
        return [{"title": link.title, "url": link.url} for link in obj.links.all()]

    @staticmethod
    def resolve_artifacts(obj: Practice) -> list[Artifact]:
        return access.shown_artifacts(obj)

    @staticmethod
    def resolve_source_inquiry_id(obj: Practice, context: dict[str, Any]) -> int | None:
        return obj.source_inquiry_id if obj.author_id == context["request"].user.pk else None

    @staticmethod
    def resolve_trials(obj: Practice) -> int:
        return getattr(obj, "tried", None) or obj.trials.count()

    @staticmethod
    def resolve_page_url(obj: Practice, context: dict[str, Any]) -> str:
        return str(context["request"].build_absolute_uri(
            reverse("library:detail", args=[obj.pk])))


def _visible(me: User) -> QuerySet[Practice]:
    return (access.practices_visible_to(me).select_related("author")
            .annotate(tried=Count("trials", distinct=True)))


@router.get("/practices", response=list[PracticeOut], summary="Search the library")
@support.paginate(ordering=("-created_at", "-pk"))
def list_practices(request: HttpRequest, q: str = Query("", max_length=200),
                   standard: str = Query("", max_length=100),
                   element: int | None = Query(None, ge=1, le=support.MAX_ID),
                   grade: str = Query("", max_length=20),
                   subject: str = Query("", max_length=SHORT_MAX),
                   focus: str = Query("", max_length=SHORT_MAX),
                   mine: bool | None = None) -> QuerySet[Practice]:
    """The district's published practices and my own drafts, newest first, filtered as
    the library page filters: ``q`` (every word in the title, overview, steps or lessons
    learned), ``standard`` (a framework element's code or title, or part of a typed
    content-standard code), ``element`` (a framework element's id), ``grade`` (K, 3, 03),
    ``subject``, ``focus``; ``mine=true`` keeps my own (drafts too), ``mine=false``
    only others'."""
    me = _reader(request)
    practices = _visible(me)
    if mine is not None:
        practices = practices.filter(author=me) if mine else practices.exclude(author=me)
    return search(practices, q=q, standard=standard, grade=grade, subject=subject,
                  focus=focus, element=element)


@router.get("/practices/{practice_id}", response=PracticeOut, summary="One practice")
def get_practice(request: HttpRequest, practice_id: int) -> Practice:
    """Everything a colleague needs to try it: overview, steps, materials, lessons learned,
    suggested revisions, resources, standards, and how many inquiries tried it."""
    me = _reader(request)
    try:
        return _visible(me).get(pk=practice_id)
    except (Practice.DoesNotExist, ValueError, OverflowError):
        raise Http404("No such practice.") from None


class PracticeIn(Schema):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    overview: Text = ""
    steps: Text = ""
    materials: Text = ""
    lessons_learned: Text = ""
    suggested_revisions: Text = ""
    grades: list[Annotated[str, Field(max_length=20)]] = Field(default=[], max_length=14)
    subject: str = Field("", max_length=SHORT_MAX)
    focus: str = Field("", max_length=SHORT_MAX)
    element_ids: list[Id] = Field(default=[], max_length=100)
    standard_codes: list[Annotated[str, Field(max_length=CODE_MAX)]] = Field(
        default=[], max_length=CODES_MAX)
    links: list[LinkSchema] = Field(default=[], max_length=LINKS_MAX)
    source_inquiry_id: Id | None = None
    artifact_ids: list[Id] = Field(default=[], max_length=100)
    status: Literal["draft", "published"] = "draft"


class PracticePatch(Schema):
    """Only the fields sent change; ``source_inquiry_id`` null unlinks the inquiry."""

    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    overview: Text | None = None
    steps: Text | None = None
    materials: Text | None = None
    lessons_learned: Text | None = None
    suggested_revisions: Text | None = None
    grades: list[Annotated[str, Field(max_length=20)]] | None = Field(None, max_length=14)
    subject: str | None = Field(None, max_length=SHORT_MAX)
    focus: str | None = Field(None, max_length=SHORT_MAX)
    element_ids: list[Id] | None = Field(None, max_length=100)
    standard_codes: list[Annotated[str, Field(max_length=CODE_MAX)]] | None = Field(
        None, max_length=CODES_MAX)
    links: list[LinkSchema] | None = Field(None, max_length=LINKS_MAX)
    source_inquiry_id: Id | None = None
    artifact_ids: list[Id] | None = Field(None, max_length=100)
    status: Literal["draft", "published"] | None = None


def _elements(me: User, ids: list[int]) -> list[FrameworkElement]:
    found = list(alignable_elements(district_id_of(me)).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise actions.LibraryRefused("Choose elements of your district's frameworks.",
                                     field="element_ids")
    return found


def _artifacts(me: User, ids: list[int]) -> list[Artifact]:
    allowed = access.attachable_artifacts(me)
    found = list(allowed.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise actions.LibraryRefused("Attach only your own evidence that does not identify "
                                     "students.", field="artifact_ids")
    return found


def _inquiry(me: User, inquiry_id: int | None, kept: int | None = None) -> Inquiry | None:
    if inquiry_id is None:
        return None
    if inquiry_id == kept:
        return Inquiry.objects.get(pk=kept)
    found = access.inquiries_to_try_with(me).filter(pk=inquiry_id).first()
    if found is None:
        raise actions.LibraryRefused("Choose one of your inquiries.", field="source_inquiry_id")
    return found


def _fields(me: User, data: dict[str, Any], practice: Practice | None = None
            ) -> actions.PracticeFields:
    return actions.PracticeFields(
        title=data["title"], overview=data["overview"], steps=data["steps"],
        materials=data["materials"], lessons_learned=data["lessons_learned"],
        suggested_revisions=data["suggested_revisions"], grades=list(data["grades"]),
        subject=data["subject"], focus=data["focus"],
        elements=_elements(me, data["element_ids"]),
        standard_codes=list(data["standard_codes"]),
        links=[(link["title"], link["url"]) for link in data["links"]],
        source_inquiry=_inquiry(me, data["source_inquiry_id"],
                                practice.source_inquiry_id if practice else None),
        artifacts=_artifacts(me, data["artifact_ids"]))


@router.post("/practices", response={201: PracticeOut}, summary="Share a practice")
def create_practice(request: HttpRequest, payload: PracticeIn) -> Answer:
    """A new practice of mine (a teacher's), as "Share your practice" makes it: a draft
    only I see, or published to the district at once with ``status: published``."""
    me = _teacher(request)
    data = payload.dict()
    practice = actions.do_create_practice(me, _fields(me, data),
                                          publish=data["status"] == "published",
                                          request=request)
    return Answer(201, _visible(me).get(pk=practice.pk))


@router.patch("/practices/{practice_id}", response=PracticeOut,
              summary="Change a practice (its author)")
def update_practice(request: HttpRequest, practice_id: int, payload: PracticePatch
                    ) -> Practice:
    """Change the fields sent, through the edit page's checks (nothing changes when one is
    refused); ``status`` publishes it or sets it back to a draft."""
    me = _teacher(request)
    practice = access.access_own_practice(me, practice_id)
    sent = payload.dict(exclude_unset=True)
    nulls = sorted(k for k, v in sent.items() if v is None and k != "source_inquiry_id")
    if nulls:
        raise actions.LibraryRefused("A field sent cannot be null (leave it out to keep it).",
                                     field=nulls[0])
    status = sent.pop("status", None)
    if sent:
        data: dict[str, Any] = {
            "title": practice.title, "overview": practice.overview, "steps": practice.steps,
            "materials": practice.materials, "lessons_learned": practice.lessons_learned,
            "suggested_revisions": practice.suggested_revisions,
            "grades": practice.grade_list, "subject": practice.subject,
            "focus": practice.focus,
            "element_ids": list(practice.elements.values_list("pk", flat=True)),
            "standard_codes": practice.code_list,
            "links": [{"title": link.title, "url": link.url} for link in practice.links.all()],
            "source_inquiry_id": practice.source_inquiry_id,
            "artifact_ids": [a.pk for a in access.shown_artifacts(practice)]}
        data.update(sent)
        actions.do_update_practice(practice, actor=me, fields=_fields(me, data, practice),
                                   request=request)
    if status == "published":
        actions.do_publish_practice(practice, actor=me, request=request)
    elif status == "draft":
        actions.do_unpublish_practice(practice, actor=me, request=request)
    return _visible(me).get(pk=practice.pk)


@router.post("/practices/{practice_id}/publish", response=PracticeOut,
             summary="Publish a practice to the district (its author)")
def publish_practice(request: HttpRequest, practice_id: int) -> Practice:
    """Everyone in the district can then find it; publishing again changes nothing."""
    me = _teacher(request)
    practice = access.access_own_practice(me, practice_id)
    actions.do_publish_practice(practice, actor=me, request=request)
    return _visible(me).get(pk=practice.pk)


# ---------------------------------------------------------------------------- trials

class OutcomeOut(Schema):
    measure: str
    verdict: str = Field(description="sustained_improvement, change_not_sustained, "
                                     "got_worse, no_signal, not_enough_data, or empty")
    verdict_text: str


class TrialOut(Schema):
    id: int
    practice_id: int
    inquiry_title: str
    teacher_name: str
    note: str
    is_mine: bool
    outcomes: list[OutcomeOut]
    created_at: dt.datetime

    @staticmethod
    def resolve_inquiry_title(obj: Trial) -> str:
        return obj.inquiry.title

    @staticmethod
    def resolve_teacher_name(obj: Trial) -> str:
        return obj.inquiry.owner.display_name

    @staticmethod
    def resolve_is_mine(obj: Trial, context: dict[str, Any]) -> bool:
        me = context["request"].user
        return access.inquiries_to_try_with(me).filter(pk=obj.inquiry_id).exists()

    @staticmethod
    def resolve_outcomes(obj: Trial) -> list[dict[str, str]]:
        return [{"measure": o.measure, "verdict": o.label, "verdict_text": o.label_text}
                for o in outcomes_of(obj.inquiry)]


class TrialIn(Schema):
    inquiry_id: Id = Field(description="One of your inquiries (one you may edit).")
    note: str = Field("", max_length=NOTE_MAX)


@router.get("/practices/{practice_id}/trials", response=list[TrialOut],
            summary="The inquiries that tried a practice")
@support.paginate(ordering=("pk",))
def list_trials(request: HttpRequest, practice_id: int) -> QuerySet[Trial]:
    """Each linked inquiry's title, its teacher, her note, and the verdict of each of its
    measures (by name: never a student's row), oldest link first."""
    practice = access.access_practice(_reader(request), practice_id)
    return practice.trials.select_related("inquiry", "inquiry__owner")


@router.post("/practices/{practice_id}/trials", response={201: TrialOut},
             summary="I tried this: link one of my inquiries")
def add_trial(request: HttpRequest, practice_id: int, payload: TrialIn) -> Answer:
    """Link one of my inquiries to a practice I may see (once per inquiry)."""
    me = _teacher(request)
    practice = access.access_practice(me, practice_id)
    inquiry = access.inquiries_to_try_with(me).filter(pk=payload.inquiry_id).first()
    if inquiry is None:
        raise Http404("No such inquiry.")
    trial = actions.do_add_trial(practice, actor=me, inquiry=inquiry, note=payload.note,
                                 request=request)
    return Answer(201, trial)


@router.delete("/trials/{trial_id}", response={204: None},
               summary="Unlink my inquiry from a practice")
def remove_trial(request: HttpRequest, trial_id: int) -> Answer:
    """Only someone who may edit the inquiry unlinks it."""
    me = _teacher(request)
    trial = access.access_own_trial(me, trial_id)
    actions.do_remove_trial(trial, actor=me, request=request)
    return Answer(204, None)

