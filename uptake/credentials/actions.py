"""Micro-credential writes (the one write path): authoring and publishing, the district's
policy, assembling and submitting work, assigning readers, deciding, and what an award
brings (the stipend ledger, the earned credential, the notices).

Every write checks who may make it (``uptake.credentials.access``), runs in one
transaction, moves a submission only through ``uptake.credentials.workflow.move`` and
leaves an audit event. Notices go out after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from uptake import registry
from uptake.accounts.grants import content_type_of
from uptake.accounts.models import Grant, GrantReason, Role, RoleAssignment, User
from uptake.audit.actions import record
from uptake.credentials import workflow
from uptake.credentials.access import (
    EDUCATOR_ROLES,
    is_author,
    is_educator,
)
from uptake.credentials.assignment import (
    eligible_assessors,
    policy_of,
    previous_reader,
    why_ineligible,
)
from uptake.credentials.models import (
    Award,
    Credential,
    Criterion,
    Item,
    Policy,
    Review,
    Round,
    Score,
    StipendEntry,
    Submission,
    Tier,
    Version,
)
from uptake.credentials.precheck import impact_rows, precheck, ready
from uptake.credentials.presets import PRESETS
from uptake.credentials.selection import label_of, selectable
from uptake.notifications.actions import notify
from uptake.rules import Conflict, Invalid, NotAllowed

if TYPE_CHECKING:
    from django.http import HttpRequest

    from uptake.learning.models import FrameworkElement
    from uptake.library.models import Practice

AUDIT_KINDS = {
    "credential_created": "Micro-credential created",
    "credential_changed": "Micro-credential draft changed",
    "credential_published": "Micro-credential published",
    "credential_retired": "Micro-credential retired or offered again",
    "credential_policy_changed": "Micro-credential policy changed",
    "submission_submitted": "Micro-credential work submitted",
    "submission_withdrawn": "Micro-credential work withdrawn",
    "review_assigned": "Assessor assigned to micro-credential work",
    "review_released": "Assessor taken off micro-credential work",
    "review_decided": "Assessor's decision on micro-credential work",
    "submission_awarded": "Micro-credential tier awarded",
    "submission_returned": "Micro-credential work returned with feedback",
    "credential_earned": "Micro-credential earned",
    "submission_read": "Micro-credential work read by an assessor",
    "stipends_exported": "Stipend payroll exported",
    "transcript_exported": "CEU transcript exported",
}

TITLE_MAX = 200
TEXT_MAX = 8000
REFLECTION_MAX = 30000
NOTE_MAX = 500
LEVELS_MIN, LEVELS_MAX = 2, 6
LEVEL_MAX = 60
DESCRIPTOR_MAX = 600
COMMENT_MAX = 4000
VERSION_FIELDS = ("title", "competency", "key_method", "research_basis", "image_alt")
TIER_FIELDS = ("name", "kind", "description", "min_sources", "min_research_sources",
               "min_artifacts", "min_links", "needs_lesson_plan", "needs_goal", "impact_rule",
               "impact_min_change", "reflection_min_words", "reflection_max_words",
               "accepts_video", "video_min_seconds", "video_max_seconds", "stipend",
               "ceus")
POLICY_FIELDS = ("exclude_coaches", "second_reader", "contact_hours_per_ceu",
                 "count_learning_hours", "accept_self_directed", "accept_social_media")


# ------------------------------------------------------------------------ helpers

def _must_author(actor: User, district_id: int) -> None:
    if not is_author(actor) or actor.district_id != district_id:
        raise NotAllowed("Only the district's coordinators write its micro-credentials.")


def _must_be_draft(version: Version) -> None:
    if not version.is_draft:
        raise Conflict("A published version is frozen; start a new version to change it.")


def _text(value: Any, field: str, *, required: str = "", limit: int = TEXT_MAX) -> str:
    text = ("" if value is None else str(value)).strip()
    if required and not text:
        raise Invalid(required, field=field)
    if len(text) > limit:
        raise Invalid(f"At most {limit:,} characters; this has {len(text):,}.", field=field)
    return text


def _decimal(value: Any, field: str, *, lo: Decimal = Decimal("0"),
             hi: Decimal = Decimal("100000"), optional: bool = False) -> Decimal | None:
    if value in (None, "") and optional:
        return None
    try:
        number = Decimal(str(value).strip().lstrip("$").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise Invalid(f"Not a number: {value!r}.", field=field) from None
    if not number.is_finite() or number < lo or number > hi:
        raise Invalid(f"Give a number from {lo} to {hi}.", field=field)
    return number.quantize(Decimal("0.01"))


def _whole(value: Any, field: str, *, optional: bool = False, hi: int = 100000) -> int | None:
    if value in (None, "") and optional:
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise Invalid(f"Not a whole number: {value!r}.", field=field) from None
    if number < 0 or number > hi:
        raise Invalid(f"Give a whole number from 0 to {hi:,}.", field=field)
    return number


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "on", "yes"}


def _touch(version: Version) -> None:
    version.updated_at = timezone.now()
    version.save(update_fields=["updated_at"])


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


# ------------------------------------------------------------------------ authoring

def do_create_credential(*, actor: User, title: str, competency: str = "",
                         preset: str = "", request: HttpRequest | None = None) -> Version:
    """A new credential, its first version a draft (copied from ``preset`` when named)."""
    if actor.district_id is None:
        raise NotAllowed("Only the district's coordinators write its micro-credentials.")
    _must_author(actor, actor.district_id)
    shape = PRESETS.get(preset) if preset else None
    if preset and shape is None:
        raise Invalid(f"Unknown preset: {preset!r}.", field="preset")
    title = _text(title or (shape.title if shape else ""), "title",
                  required="Give the credential a title.", limit=TITLE_MAX)
    competency = _text(competency or (shape.competency if shape else ""), "competency")
    with transaction.atomic():
        credential = Credential.objects.create(district_id=actor.district_id,
                                               created_by=actor)
        version = Version.objects.create(
            credential=credential, number=1, title=title, competency=competency,
            key_method=shape.key_method if shape else "",
            research_basis=shape.research_basis if shape else "",
            preset=shape.key if shape else "", created_by=actor)
        if shape is not None:
            for order, t in enumerate(shape.tiers, start=1):
                tier = Tier.objects.create(
                    version=version, order=order, name=t.name, kind=t.kind,
                    description=t.description, min_sources=t.min_sources,
                    min_research_sources=t.min_research_sources,
                    min_artifacts=t.min_artifacts, min_links=t.min_links,
                    needs_lesson_plan=t.needs_lesson_plan, needs_goal=t.needs_goal,
                    impact_rule=t.impact_rule, reflection_min_words=t.reflection_min_words,
                    reflection_max_words=t.reflection_max_words, accepts_video=t.accepts_video,
                    video_min_seconds=t.video_min_seconds,
                    video_max_seconds=t.video_max_seconds, stipend=t.stipend,
                    ceus=t.ceus, levels=list(t.levels),
                    passing_level=len(t.levels) - 1)
                for n, c in enumerate(t.criteria, start=1):
                    Criterion.objects.create(tier=tier, order=n, text=c.text,
                                             descriptors=c.descriptors)
        record("credential_created", actor=actor, request=request, obj=credential,
               summary=f"Created the micro-credential “{title}”"
                       + (f" from the preset “{shape.label}”" if shape else ""))
    return version


def do_update_version(version: Version, *, actor: User, request: HttpRequest | None = None,
                      **fields: Any) -> Version:
    """Change a draft's words (``VERSION_FIELDS``)."""
    _must_author(actor, version.credential.district_id)
    _must_be_draft(version)
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise Invalid(f"Unknown field: {sorted(unknown)[0]}.", field=sorted(unknown)[0])
    for name, value in fields.items():
        if name == "title":
            value = _text(value, name, required="Give the credential a title.",
                          limit=TITLE_MAX)
        elif name == "image_alt":
            value = _text(value, name, limit=200)
        else:
            value = _text(value, name)
        setattr(version, name, value)
    with transaction.atomic():
        version.updated_at = timezone.now()
        version.save()
        record("credential_changed", actor=actor, request=request, obj=version.credential,
               summary=f"Changed the draft of “{version.title}”",
               details={"fields": sorted(fields), "version": version.number})
    return version


def do_set_links(version: Version, *, actor: User, request: HttpRequest | None = None,
                 elements: Iterable[FrameworkElement] | None = None,
                 requires: Iterable[Credential] | None = None,
                 exemplars: Iterable[Practice] | None = None) -> Version:
    """A draft's standards alignment, the credentials it stacks on, and its exemplars
    (each given replaces what was there). All must belong to the credential's district;
    exemplars must be published in the library; a stack may not loop back to itself."""
    district_id = version.credential.district_id
    _must_author(actor, district_id)
    _must_be_draft(version)
    with transaction.atomic():
        if elements is not None:
            chosen = list(elements)
            if any(e.framework.district_id != district_id for e in chosen):
                raise Invalid("Align only to your district's frameworks.", field="elements")
            version.elements.set(chosen)
        if requires is not None:
            needed = list(requires)
            if any(c.district_id != district_id for c in needed):
                raise Invalid("Stack only your district's credentials.", field="requires")
            if any(_stacks_on(c, version.credential) for c in needed):
                raise Invalid("A credential cannot require itself, directly or through "
                              "another credential.", field="requires")
            version.requires.set(needed)
        if exemplars is not None:
            shown = list(exemplars)
            if any(p.district_id != district_id or p.status != "published" for p in shown):
                raise Invalid("Choose exemplars among practices published in your "
                              "district's library.", field="exemplars")
            version.exemplars.set(shown)
        _touch(version)
        record("credential_changed", actor=actor, request=request, obj=version.credential,
               summary=f"Changed the alignment, stack or exemplars of “{version.title}”")
    return version


def _stacks_on(candidate: Credential, target: Credential, seen: set[int] | None = None
               ) -> bool:
    """Whether ``candidate`` is ``target`` or requires it through any published or draft
    version (so adding it to ``target``'s stack would make a loop)."""
    if candidate.pk == target.pk:
        return True
    seen = seen if seen is not None else set()
    if candidate.pk in seen:
        return False
    seen.add(candidate.pk)
    for version in candidate.versions.exclude(status=Version.Status.SUPERSEDED):
        if any(_stacks_on(c, target, seen) for c in version.requires.all()):
            return True
    return False


def do_save_tier(version: Version, *, actor: User, tier: Tier | None = None,
                 request: HttpRequest | None = None, **fields: Any) -> Tier:
    """Add a tier to a draft (``tier`` None, at the end) or change one of its tiers."""
    _must_author(actor, version.credential.district_id)
    _must_be_draft(version)
    if tier is not None and tier.version_id != version.pk:
        raise NotAllowed("That tier belongs to another credential.")
    unknown = set(fields) - set(TIER_FIELDS)
    if unknown:
        raise Invalid(f"Unknown field: {sorted(unknown)[0]}.", field=sorted(unknown)[0])
    target = tier or Tier(version=version)
    for name, value in fields.items():
        if name == "name":
            value = _text(value, name, required="Give the tier a name.", limit=100)
        elif name == "description":
            value = _text(value, name)
        elif name == "kind":
            if value not in Tier.Kind.values:
                raise Invalid("Choose a kind of tier.", field=name)
        elif name == "impact_rule":
            value = value or ""
            if value not in Tier.Impact.values:
                raise Invalid("Choose what counts as impact.", field=name)
        elif name in ("stipend", "ceus"):
            value = _decimal(value, name, hi=Decimal("100000") if name == "stipend"
                             else Decimal("1000"))
        elif name == "impact_min_change":
            value = _decimal(value, name, lo=Decimal("-100000"), optional=True)
        elif name in ("needs_lesson_plan", "needs_goal", "accepts_video"):
            value = _flag(value)
        elif name in ("reflection_min_words", "reflection_max_words", "video_min_seconds",
                      "video_max_seconds"):
            value = _whole(value, name, optional=True)
        else:
            value = _whole(value, name, hi=50)
        setattr(target, name, value)
    _check_tier(target)
    with transaction.atomic():
        if tier is None:
            top = version.tiers.aggregate(m=Max("order"))["m"] or 0
            target.order = top + 1
        target.save()
        _touch(version)
        record("credential_changed", actor=actor, request=request, obj=version.credential,
               summary=f"{'Changed' if tier else 'Added'} the tier “{target.name}” of "
                       f"“{version.title}”")
    return target


def _check_tier(tier: Tier) -> None:
    if not tier.name:
        raise Invalid("Give the tier a name.", field="name")
    if tier.min_research_sources > tier.min_sources:
        raise Invalid("Research-based sources are among the sources: ask for at least as "
                      "many sources.", field="min_research_sources")
    for lo, hi, what in (("reflection_min_words", "reflection_max_words", "words"),
                         ("video_min_seconds", "video_max_seconds", "seconds")):
        a, b = getattr(tier, lo), getattr(tier, hi)
        if a is not None and b is not None and a > b:
            raise Invalid(f"The shortest length ({a} {what}) is longer than the longest "
                          f"({b} {what}).", field=hi)
    if tier.impact_rule == Tier.Impact.MIN_PAIRED_CHANGE and tier.impact_min_change is None:
        raise Invalid("Say the smallest paired change that counts.",
                      field="impact_min_change")


def do_delete_tier(tier: Tier, *, actor: User, request: HttpRequest | None = None) -> None:
    version = tier.version
    _must_author(actor, version.credential.district_id)
    _must_be_draft(version)
    with transaction.atomic():
        name = tier.name
        tier.delete()
        for n, t in enumerate(version.tiers.order_by("order", "pk"), start=1):
            if t.order != n:
                Tier.objects.filter(pk=t.pk).update(order=n)
        _touch(version)
        record("credential_changed", actor=actor, request=request, obj=version.credential,
               summary=f"Removed the tier “{name}” of “{version.title}”")


def do_move_tier(tier: Tier, *, actor: User, up: bool,
                 request: HttpRequest | None = None) -> None:
    """Swap a draft's tier with the one before (``up``) or after it."""
    version = tier.version
    _must_author(actor, version.credential.district_id)
    _must_be_draft(version)
    tiers = list(version.tiers.order_by("order", "pk"))
    i = next(n for n, t in enumerate(tiers) if t.pk == tier.pk)
    j = i - 1 if up else i + 1
    if not 0 <= j < len(tiers):
        return
    with transaction.atomic():
        a, b = tiers[i], tiers[j]
        Tier.objects.filter(pk=a.pk).update(order=10000)
        Tier.objects.filter(pk=b.pk).update(order=a.order)
        Tier.objects.filter(pk=a.pk).update(order=b.order)
        _touch(version)


def do_set_levels(tier: Tier, *, actor: User, levels: Sequence[str], passing_level: int,
                  request: HttpRequest | None = None) -> Tier:
    """A tier's scoring levels, lowest first, and the lowest that counts as meeting a
    criterion. Criteria keep their descriptors by position; new levels start empty."""
    version = tier.version
    _must_author(actor, version.credential.district_id)
    _must_be_draft(version)
    names = [_text(n, "levels", limit=LEVEL_MAX) for n in levels]
    names = [n for n in names if n]
    if not LEVELS_MIN <= len(names) <= LEVELS_MAX:
        raise Invalid(f"A scoring guide has {LEVELS_MIN} to {LEVELS_MAX} levels.",
                      field="levels")
    if len(set(n.casefold() for n in names)) != len(names):
        raise Invalid("Each level needs its own name.", field="levels")
    if not 0 < passing_level < len(names):
        raise Invalid("The passing level must be above the lowest level.",
                      field="passing_level")
    with transaction.atomic():
        tier.levels, tier.passing_level = names, passing_level
        tier.save(update_fields=["levels", "passing_level"])
        for c in tier.criteria.all():
            c.descriptors = (list(c.descriptors) + [""] * len(names))[:len(names)]
            c.save(update_fields=["descriptors"])
        _touch(version)
        record("credential_changed", actor=actor, request=request, obj=version.credential,
               summary=f"Changed the levels of the tier “{tier.name}” of “{version.title}”")
    return tier


def do_save_criterion(tier: Tier, *, actor: User, text: str, descriptors: Sequence[str],
                      criterion: Criterion | None = None,
                      request: HttpRequest | None = None) -> Criterion:
    """Add a criterion to a draft's tier, or change one: what is judged, and a descriptor
    for each of the tier's levels."""
    version = tier.version
    _must_author(actor, version.credential.district_id)
    _must_be_draft(version)
    if criterion is not None and criterion.tier_id != tier.pk:
        raise NotAllowed("That criterion belongs to another tier.")
    text = _text(text, "text", required="Say what the assessor judges.", limit=300)
    cells = [_text(d, "descriptors", limit=DESCRIPTOR_MAX) for d in descriptors]
    if len(cells) != len(tier.levels):
        raise Invalid(f"Give one descriptor for each of the {len(tier.levels)} levels.",
                      field="descriptors")
    with transaction.atomic():
        target = criterion or Criterion(tier=tier, order=(
            tier.criteria.aggregate(m=Max("order"))["m"] or 0) + 1)
        target.text, target.descriptors = text, cells
        target.save()
        _touch(version)
        record("credential_changed", actor=actor, request=request, obj=version.credential,
               summary=f"{'Changed' if criterion else 'Added'} a criterion of “{tier.name}”")
    return target


def do_delete_criterion(criterion: Criterion, *, actor: User,
                        request: HttpRequest | None = None) -> None:
    version = criterion.tier.version
    _must_author(actor, version.credential.district_id)
    _must_be_draft(version)
    with transaction.atomic():
        criterion.delete()
        _touch(version)
        record("credential_changed", actor=actor, request=request, obj=version.credential,
               summary=f"Removed a criterion of “{criterion.tier.name}”")


def publish_problems(version: Version) -> list[str]:
    """What stops a draft from being published (empty: nothing)."""
    problems = []
    if not version.title.strip():
        problems.append("Give the credential a title.")
    if not version.competency.strip():
        problems.append("Write the competency statement: what an educator who earns it "
                        "can do.")
    tiers = list(version.tiers.prefetch_related("criteria"))
    if not tiers:
        problems.append("Add at least one tier.")
    for tier in tiers:
        criteria = list(tier.criteria.all())
        if not criteria:
            problems.append(f"“{tier.name}”: add at least one criterion to its scoring "
                            "guide.")
        for c in criteria:
            if len(c.descriptors) != len(tier.levels) or not all(
                    str(d).strip() for d in c.descriptors):
                problems.append(f"“{tier.name}”, “{c.text}”: describe every level.")
        try:
            _check_tier(tier)
        except Invalid as exc:
            problems.append(f"“{tier.name}”: {exc.message}")
    return problems


def do_publish(version: Version, *, actor: User, request: HttpRequest | None = None
               ) -> Version:
    """Publish a draft: it is frozen, offered in the catalog, and the version before it
    (if any) is superseded; work already begun stays on its own version."""
    _must_author(actor, version.credential.district_id)
    with transaction.atomic():
        version = Version.objects.select_for_update().get(pk=version.pk)
        _must_be_draft(version)
        problems = publish_problems(version)
        if problems:
            raise Invalid("Not ready to publish: " + " ".join(problems))
        Version.objects.filter(credential=version.credential,
                               status=Version.Status.PUBLISHED).update(
            status=Version.Status.SUPERSEDED)
        version.status = Version.Status.PUBLISHED
        version.published_at = timezone.now()
        version.published_by = actor
        version.save(update_fields=["status", "published_at", "published_by"])
        record("credential_published", actor=actor, request=request, obj=version.credential,
               summary=f"Published version {version.number} of “{version.title}”")
    return version


def do_start_revision(credential: Credential, *, actor: User,
                      request: HttpRequest | None = None) -> Version:
    """The credential's draft: the one being written, or a new one copied from the
    published version (numbered next)."""
    _must_author(actor, credential.district_id)
    with transaction.atomic():
        Credential.objects.select_for_update().filter(pk=credential.pk).first()
        draft = credential.versions.filter(status=Version.Status.DRAFT).first()
        if draft is not None:
            return draft
        base = credential.versions.order_by("-number").first()
        assert base is not None
        copy = Version.objects.create(
            credential=credential, number=base.number + 1, title=base.title,
            competency=base.competency, key_method=base.key_method,
            research_basis=base.research_basis, preset=base.preset, image=base.image,
            image_alt=base.image_alt, created_by=actor)
        copy.elements.set(base.elements.all())
        copy.requires.set(base.requires.all())
        copy.exemplars.set(base.exemplars.all())
        for tier in base.tiers.prefetch_related("criteria"):
            criteria = list(tier.criteria.all())
            tier.pk, tier.version = None, copy
            tier.save()
            for c in criteria:
                c.pk, c.tier = None, tier
                c.save()
        record("credential_changed", actor=actor, request=request, obj=credential,
               summary=f"Started version {copy.number} of “{copy.title}”")
    return copy


def do_discard_draft(version: Version, *, actor: User, request: HttpRequest | None = None
                     ) -> None:
    """Throw a draft away; a credential never published goes with it."""
    credential = version.credential
    _must_author(actor, credential.district_id)
    _must_be_draft(version)
    with transaction.atomic():
        title = version.title
        version.delete()
        if not credential.versions.exists():
            credential.delete()
            record("credential_changed", actor=actor, request=request,
                   summary=f"Deleted the unpublished micro-credential “{title}”")
            return
        record("credential_changed", actor=actor, request=request, obj=credential,
               summary=f"Discarded the draft of “{title}”")


def do_set_retired(credential: Credential, *, actor: User, retired: bool,
                   request: HttpRequest | None = None) -> Credential:
    """Stop offering a credential for new work (awards and work in flight stay), or offer
    it again."""
    _must_author(actor, credential.district_id)
    with transaction.atomic():
        credential.retired_at = timezone.now() if retired else None
        credential.save(update_fields=["retired_at"])
        record("credential_retired", actor=actor, request=request, obj=credential,
               summary=f"{'Retired' if retired else 'Offered again'} “{credential}”")
    return credential


IMAGE_TYPES = ("image/png", "image/jpeg")


def do_set_image(version: Version, *, actor: User, alt: str, upload: Any = None,
                 remove: bool = False, request: HttpRequest | None = None) -> Version:
    """A draft's image (PNG or JPEG: checked and cleaned as evidence is, the content
    sniffed and its metadata stripped) and its text alternative, required with an image.
    ``upload`` None keeps the image (its words may change); ``remove`` takes it off.
    Nothing is stored when it is refused."""
    import uuid

    from django.core.files import File
    from django.core.files.storage import default_storage

    from uptake.evidence import uploads
    from uptake.evidence.models import Kind

    _must_author(actor, version.credential.district_id)
    _must_be_draft(version)
    alt = _text(alt, "image_alt", limit=200)
    pictured = upload is not None or (bool(version.image) and not remove)
    if pictured and not alt:
        raise Invalid("Describe the image in a few words for people who cannot see it.",
                      field="image_alt")
    stored = ""
    if upload is not None:
        try:
            with uploads.prepare(upload, Kind.PHOTO) as prepared:
                if prepared.content_type not in IMAGE_TYPES:
                    raise Invalid(f"{prepared.original_name} is a "
                                  f"{uploads.ALLOWED[prepared.content_type].label}; a "
                                  "credential's image is a PNG or JPEG.", field="image")
                name = (f"credentials/{version.credential.district_id}/"
                        f"{uuid.uuid4().hex}.{prepared.extension}")
                with prepared.path.open("rb") as handle:
                    stored = default_storage.save(name, File(handle, name=name))
        except uploads.Refused as refused:
            raise Invalid(refused.message, field="image") from None
    old = version.image.name if version.image else ""
    try:
        with transaction.atomic():
            version.image = stored or ("" if remove else old)
            version.image_alt = alt if pictured else ""
            version.updated_at = timezone.now()
            version.save(update_fields=["image", "image_alt", "updated_at"])
            record("credential_changed", actor=actor, request=request,
                   obj=version.credential,
                   summary=f"{'Removed' if remove and not stored else 'Changed'} the image "
                           f"of “{version.title}”")
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    if old and old != version.image.name and not Version.objects.filter(image=old).exists():
        # Earlier versions share the file they were copied with; only an orphan goes.
        transaction.on_commit(lambda: default_storage.delete(old))
    return version


def do_update_policy(*, actor: User, request: HttpRequest | None = None, **fields: Any
                     ) -> Policy:
    """Change the district's micro-credential policy (``POLICY_FIELDS``)."""
    if actor.district_id is None:
        raise NotAllowed("Only the district's coordinators set its policy.")
    _must_author(actor, actor.district_id)
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise Invalid(f"Unknown field: {sorted(unknown)[0]}.", field=sorted(unknown)[0])
    policy = policy_of(actor.district_id)
    for name, value in fields.items():
        if name == "second_reader":
            if value not in Policy.SecondReader.values:
                raise Invalid("Choose when a second assessor reads.", field=name)
        elif name == "contact_hours_per_ceu":
            value = _decimal(value, name, lo=Decimal("0.5"), hi=Decimal("100"))
        else:
            value = _flag(value)
        setattr(policy, name, value)
    with transaction.atomic():
        policy.updated_at, policy.updated_by = timezone.now(), actor
        policy.save()
        record("credential_policy_changed", actor=actor, request=request, obj=policy,
               summary="Changed the micro-credential policy", details={
                   "fields": sorted(fields)})
    return policy


# ----------------------------------------------------------------------- submissions

def version_for(educator: User, credential: Credential) -> Version | None:
    """The version her work on this credential is on: the one she began on, else the
    published one (None when it is not offered)."""
    began = (Submission.objects.filter(educator=educator, tier__version__credential=credential)
             .exclude(state=Submission.State.WITHDRAWN).select_related("tier__version")
             .order_by("created_at").first())
    if began is not None:
        return began.tier.version
    if credential.retired_at is not None:
        return None
    return credential.versions.filter(status=Version.Status.PUBLISHED).first()


def do_start_submission(tier: Tier, *, actor: User, request: HttpRequest | None = None
                        ) -> Submission:
    """Her draft for this tier (the one she has, or a new one). Tiers may be taken in any
    order and at any time; all of a credential's tiers are on one version."""
    if not is_educator(actor):
        raise NotAllowed("Only educators of the district submit work for a credential.")
    credential = tier.version.credential
    if credential.district_id != actor.district_id:
        raise NotAllowed("That credential is another district's.")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()
        existing = (Submission.objects.filter(educator=actor, tier=tier)
                    .exclude(state=Submission.State.WITHDRAWN).first())
        if existing is not None:
            return existing
        if version_for(actor, credential) != tier.version:
            raise Conflict("This version of the credential is not the one offered to you; "
                           "open the credential from the catalog.")
        return Submission.objects.create(district_id=actor.district_id, educator=actor,
                                         tier=tier)


def _must_own(submission: Submission, actor: User) -> None:
    if submission.educator_id != actor.pk:
        raise NotAllowed("Only the educator who wrote it changes her submission.")


def _edit(submission: Submission, actor: User) -> None:
    _must_own(submission, actor)
    if not workflow.allowed("edit", submission.state):
        raise Conflict(workflow.why_not("edit", submission.state))


def do_update_submission(submission: Submission, *, actor: User,
                         reflection: str | None = None,
                         reflection_video: Any = "unchanged",
                         request: HttpRequest | None = None) -> Submission:
    """Save her reflection (and the video she chose instead, an artifact of hers; None
    clears it). Drafts save as she writes."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        _edit(submission, actor)
        if reflection is not None:
            submission.reflection = _text(reflection, "reflection", limit=REFLECTION_MAX)
        if reflection_video != "unchanged":
            if reflection_video is None:
                submission.reflection_video = None
            else:
                video = selectable(actor, Item.Kind.ARTIFACT).filter(
                    pk=getattr(reflection_video, "pk", reflection_video)).first()
                if video is None or video.kind != "video":
                    raise Invalid("Choose one of your video artifacts.",
                                  field="reflection_video")
                if not submission.tier.accepts_video:
                    raise Invalid("This tier asks for a written reflection.",
                                  field="reflection_video")
                submission.reflection_video = video
        submission.updated_at = timezone.now()
        submission.save()
    return submission


def do_add_item(submission: Submission, *, actor: User, kind: str, record_id: Any,
                note: str = "", request: HttpRequest | None = None) -> Item:
    """Select one of her records for the submission (once: selecting it again keeps the
    one there, with the new note)."""
    if kind not in Item.Kind.values:
        raise Invalid("Choose what kind of record to add.", field="kind")
    note = _text(note, "note", limit=NOTE_MAX)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        _edit(submission, actor)
        try:
            target = selectable(actor, kind).filter(pk=int(record_id)).first()
        except (TypeError, ValueError):
            target = None
        if target is None:
            raise Invalid("That is not one of your records.", field="record_id")
        item, created = Item.objects.get_or_create(
            submission=submission, kind=kind, **{kind: target},
            defaults={"label": label_of(kind, target), "note": note})
        if not created and note != item.note:
            item.note = note
            item.save(update_fields=["note"])
        submission.updated_at = timezone.now()
        submission.save(update_fields=["updated_at"])
    return item


def do_remove_item(item: Item, *, actor: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=item.submission_id)
        _edit(submission, actor)
        item.delete()
        submission.updated_at = timezone.now()
        submission.save(update_fields=["updated_at"])


def _grant(submission: Submission, assessor: User, actor: User | None) -> None:
    Grant.objects.get_or_create(
        content_type=content_type_of(Submission), object_id=submission.pk, grantee=assessor,
        withdrawn_at__isnull=True,
        defaults={"district_id": submission.district_id, "reason": GrantReason.ASSESSMENT,
                  "granted_by": actor})


def _ungrant(submission: Submission, assessors: Iterable[int] | None = None,
             actor: User | None = None) -> None:
    grants = Grant.objects.filter(content_type=content_type_of(Submission),
                                  object_id=submission.pk, withdrawn_at__isnull=True)
    if assessors is not None:
        grants = grants.filter(grantee_id__in=list(assessors))
    grants.update(withdrawn_at=timezone.now(), withdrawn_by=actor)


def _open_round(submission: Submission) -> Round | None:
    return submission.rounds.filter(outcome="").first()


def _review_url(review: Review) -> str:
    return _url("credentials:review", review.pk)


def _submission_url(submission: Submission) -> str:
    return _url("credentials:submission", submission.pk)


def _add_reader(submission: Submission, rnd: Round, reader: str, *,
                actor: User | None, assessor: User | None = None,
                request: HttpRequest | None = None) -> Review | None:
    """Give the round to one more reader (``assessor``, or the least busy eligible one);
    None when nobody is eligible (coordinators are told)."""
    taken = set(rnd.reviews.filter(released_at__isnull=True).values_list("assessor_id",
                                                                         flat=True))
    if assessor is None:
        assessor = eligible_assessors(submission, exclude=taken).first()
        if assessor is None:
            _tell_coordinators(submission, f"No assessor can read “{submission.tier}” by "
                                           f"{submission.educator.display_name}",
                               "Every assessor is the submitter, her coach, or already "
                               "reading it. Assign one from the submissions page.")
            return None
    else:
        why = why_ineligible(submission, assessor)
        if why:
            raise Invalid(why, field="assessor")
        if assessor.pk in taken:
            raise Conflict(f"{assessor.display_name} is already reading this round.")
    review = Review.objects.create(round=rnd, assessor=assessor, reader=reader,
                                   assigned_by=actor)
    _grant(submission, assessor, actor)
    workflow.move(submission, "assign")
    submission.save(update_fields=["state"])
    record("review_assigned", actor=actor, district=submission.district, request=request,
           obj=submission,
           summary=f"{review.get_reader_display()}: {assessor.display_name} reads "
                   f"“{submission.tier}” by {submission.educator.display_name}")
    notify(assessor, kind="review_assigned",
           subject=f"Micro-credential work to review: {submission.tier.version.title}, "
                   f"{submission.tier.name}",
           body=f"{submission.educator.display_name} submitted “{submission.tier.name}” of "
                f"“{submission.tier.version.title}”. It is in your review queue.",
           url=_review_url(review))
    return review


def _tell_coordinators(submission: Submission, subject: str, body: str) -> None:
    coordinators = User.objects.filter(
        pk__in=RoleAssignment.objects.filter(district_id=submission.district_id,
                                             role=Role.COORDINATOR).values("user_id"),
        is_active=True)
    for person in coordinators:
        notify(person, kind="assessor_needed", subject=subject, body=body,
               url=_url("credentials:oversight"))


def do_submit(submission: Submission, *, actor: User, request: HttpRequest | None = None
              ) -> Submission:
    """Send her work: only when every pre-check passes. A round freezes what was sent,
    and an assessor (two, when the district's policy says so) is assigned at once when
    one is eligible; a resubmission goes back to the last round's reader if she can."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().select_related(
            "tier", "tier__version", "educator").get(pk=submission.pk)
        _must_own(submission, actor)
        if not is_educator(actor):
            raise NotAllowed("Only educators of the district submit work for a credential.")
        if not workflow.allowed("submit", submission.state):
            raise Conflict(workflow.why_not("submit", submission.state))
        rows = impact_rows(submission)
        checks = precheck(submission, rows=rows)
        if not ready(checks):
            missing = [f"{c.label}: {c.detail}" for c in checks if not c.ok]
            raise Invalid("Not ready to submit. " + " ".join(missing))
        number = (submission.rounds.aggregate(m=Max("number"))["m"] or 0) + 1
        rnd = Round.objects.create(
            submission=submission, number=number, reflection=submission.reflection,
            items=[{"kind": i.kind, "id": getattr(i, f"{i.kind}_id"), "label": i.label,
                    "note": i.note} for i in submission.items.all()],
            checks=[c.as_dict() for c in checks], impact=[r.as_dict() for r in rows])
        workflow.move(submission, "submit")
        submission.submitted_at = timezone.now()
        submission.updated_at = submission.submitted_at
        submission.save()
        record("submission_submitted", actor=actor, request=request, obj=submission,
               summary=f"Submitted “{submission.tier.name}” of “{submission.tier.version.title}”"
                       + (f" (round {number})" if number > 1 else ""))
        previous = previous_reader(submission) if number > 1 else None
        first = None
        if previous is not None and not why_ineligible(submission, previous):
            first = _add_reader(submission, rnd, Review.Reader.FIRST, actor=None,
                                assessor=previous, request=request)
        if first is None:
            first = _add_reader(submission, rnd, Review.Reader.FIRST, actor=None,
                                request=request)
        if first is not None and policy_of(submission.district_id).second_reader == \
                Policy.SecondReader.ALWAYS:
            _add_reader(submission, rnd, Review.Reader.SECOND, actor=None, request=request)
    return submission


def do_withdraw(submission: Submission, *, actor: User, request: HttpRequest | None = None
                ) -> Submission:
    """She takes her work back (before it is awarded). Readers lose access at once; the
    rounds stay as history. She may start the tier again later."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        _must_own(submission, actor)
        workflow.move(submission, "withdraw")
        now = timezone.now()
        rnd = _open_round(submission)
        if rnd is not None:
            rnd.reviews.filter(decided_at__isnull=True, released_at__isnull=True).update(
                released_at=now, released_reason="The educator withdrew the work.")
            rnd.outcome, rnd.decided_at = Round.Outcome.WITHDRAWN, now
            rnd.save(update_fields=["outcome", "decided_at"])
        _ungrant(submission, actor=actor)
        submission.updated_at = now
        submission.save()
        record("submission_withdrawn", actor=actor, request=request, obj=submission,
               summary=f"Withdrew “{submission.tier.name}” of "
                       f"“{submission.tier.version.title}”")
    return submission


# ------------------------------------------------------------------------ review

def do_assign(submission: Submission, assessor: User, *, actor: User,
              replace: Review | None = None, request: HttpRequest | None = None) -> Review:
    """A coordinator gives the open round to ``assessor``: as its first reader when it has
    none, or in place of ``replace`` (an open review of the round, which is released)."""
    _must_author(actor, submission.district_id)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().select_related(
            "tier", "tier__version", "educator").get(pk=submission.pk)
        rnd = _open_round(submission)
        if rnd is None or submission.state not in workflow.OPEN_FOR_REVIEW:
            raise Conflict("Only work waiting for or under review can be assigned.")
        reader: str = Review.Reader.FIRST
        if replace is not None:
            if replace.round_id != rnd.pk or not replace.open:
                raise Conflict("That reader has already decided or is no longer on it.")
            reader = replace.reader
            _release(replace, submission, actor=actor, request=request,
                     why=f"Reassigned by {actor.display_name}.")
        elif rnd.reviews.filter(released_at__isnull=True, decided_at__isnull=True).exists():
            raise Conflict("Someone is reading it; choose whom to replace.")
        else:
            decided = set(rnd.reviews.filter(decided_at__isnull=False)
                          .values_list("reader", flat=True))
            if Review.Reader.FIRST in decided:
                reader = (Review.Reader.DECIDING if Review.Reader.SECOND in decided
                          else Review.Reader.SECOND)
        review = _add_reader(submission, rnd, reader, actor=actor, assessor=assessor,
                             request=request)
        assert review is not None
    return review


def do_unassign(review: Review, *, actor: User, reason: str = "",
                request: HttpRequest | None = None) -> Submission:
    """A coordinator takes a reader off a round without naming another (she is away, or
    can no longer read it): her access ends at once, and when nobody else is reading or
    has read the round, the work waits for an assessor again."""
    with transaction.atomic():
        review = Review.objects.select_for_update().select_related(
            "round", "assessor").get(pk=review.pk)
        submission = Submission.objects.select_for_update().select_related(
            "tier", "educator").get(pk=review.round.submission_id)
        _must_author(actor, submission.district_id)
        if not review.open or review.round.outcome:
            raise Conflict("That reader has already decided or is no longer on it.")
        why = _text(reason, "reason", limit=150) or "Taken off by a coordinator."
        _release(review, submission, actor=actor, request=request,
                 why=f"{why} ({actor.display_name})")
        notify(review.assessor, kind="review_released",
               subject=f"You no longer read “{submission.tier}”",
               body=f"{actor.display_name} took you off this work: {why}")
    return submission


def _release(review: Review, submission: Submission, *, actor: User | None, why: str,
             request: HttpRequest | None = None) -> None:
    review.released_at, review.released_reason = timezone.now(), why[:200]
    review.save(update_fields=["released_at", "released_reason"])
    _ungrant(submission, [review.assessor_id], actor=actor)
    if not review.round.reviews.filter(released_at__isnull=True,
                                       decided_at__isnull=True).exists() and not \
            review.round.reviews.filter(decided_at__isnull=False).exists():
        workflow.move(submission, "unassign")
        submission.save(update_fields=["state"])
    record("review_released", actor=actor, district=submission.district, request=request,
           obj=submission, summary=f"{review.assessor.display_name} taken off "
                                   f"“{submission.tier}”: {why}")


def do_request_second_reader(review: Review, *, actor: User,
                             request: HttpRequest | None = None) -> Review | None:
    """The first reader asks a second assessor to read the round too (when the policy
    allows it); the decision then waits for both."""
    with transaction.atomic():
        review = Review.objects.select_for_update().select_related(
            "round", "round__submission").get(pk=review.pk)
        submission = review.round.submission
        if review.assessor_id != actor.pk:
            raise NotAllowed("Only the assessor reading it asks for a second reader.")
        if not review.open or review.reader != Review.Reader.FIRST:
            raise Conflict("Only the first reader asks for a second one, before deciding.")
        if review.round.reviews.filter(reader=Review.Reader.SECOND,
                                       released_at__isnull=True).exists():
            raise Conflict("A second reader is already reading it.")
        return _add_reader(submission, review.round, Review.Reader.SECOND, actor=actor,
                           request=request)


def do_decide(review: Review, *, actor: User, decision: str,
              scores: Mapping[int, tuple[int, str]], comment: str,
              request: HttpRequest | None = None) -> Review:
    """An assessor's decision on a round: a level (and comment) for every criterion, and
    award or return. To award, every criterion must reach the tier's passing level; to
    return, she writes feedback. One reader decides alone; with a second reader the two
    must agree, and when they do not, a deciding reader is assigned."""
    if decision not in (Review.Decision.AWARD, Review.Decision.RETURN):
        raise Invalid("Choose award or return.", field="decision")
    comment = _text(comment, "comment", limit=COMMENT_MAX)
    with transaction.atomic():
        review = Review.objects.select_for_update().select_related(
            "round", "round__submission", "round__submission__tier",
            "round__submission__educator").get(pk=review.pk)
        rnd = review.round
        submission = Submission.objects.select_for_update().get(pk=rnd.submission_id)
        if review.assessor_id != actor.pk:
            raise NotAllowed("Only the assessor assigned to it decides.")
        if not review.open or rnd.outcome:
            raise Conflict("This reading is over: decided, withdrawn or reassigned.")
        if why_ineligible(submission, actor):
            raise NotAllowed(why_ineligible(submission, actor))
        tier = submission.tier
        criteria = list(tier.criteria.all())
        given = {int(k): v for k, v in scores.items()}
        unknown = set(given) - {c.pk for c in criteria}
        if unknown:
            raise Invalid("A score names a criterion of another tier.", field="scores")
        problems = []
        for c in criteria:
            if c.pk not in given:
                problems.append(f"Choose a level for “{c.text}”.")
                continue
            level, _ = given[c.pk]
            if not isinstance(level, int) or not 0 <= level < len(tier.levels):
                problems.append(f"“{c.text}”: choose one of the levels.")
        if problems:
            raise Invalid(" ".join(problems), field="scores")
        below = [c.text for c in criteria if given[c.pk][0] < tier.passing_level]
        if decision == Review.Decision.AWARD and below:
            raise Invalid("To award, every criterion must be at least "
                          f"“{tier.passing_label}”; not yet: " + "; ".join(below) + ".",
                          field="decision")
        if decision == Review.Decision.RETURN and not comment:
            raise Invalid("Write the feedback she needs to resubmit.", field="comment")
        for c in criteria:
            level, note = given[c.pk]
            Score.objects.create(review=review, criterion=c, level=level,
                                 comment=_text(note, "scores", limit=COMMENT_MAX))
        review.decision, review.comment, review.decided_at = decision, comment, timezone.now()
        review.save(update_fields=["decision", "comment", "decided_at"])
        record("review_decided", actor=actor, request=request, obj=submission,
               summary=f"{review.get_reader_display()} {review.get_decision_display().lower()}"
                       f" “{tier.name}” of “{tier.version.title}” by "
                       f"{submission.educator.display_name}",
               details={"round": rnd.number, "levels": {str(k): v[0] for k, v in
                                                        given.items()}})
        _settle(submission, rnd, actor=actor, request=request)
    return review


def _settle(submission: Submission, rnd: Round, *, actor: User,
            request: HttpRequest | None) -> None:
    """Decide the round once its readers have: one reader alone; two who agree; the
    deciding reader when they did not."""
    reviews = list(rnd.reviews.filter(released_at__isnull=True))
    if any(r.open for r in reviews):
        return
    by_reader = {r.reader: r for r in reviews if r.decided_at is not None}
    deciding = by_reader.get(Review.Reader.DECIDING)
    if deciding is not None:
        outcome, readers = deciding.decision, [deciding]
    else:
        decisions = {r.decision for r in by_reader.values()}
        if len(decisions) > 1:
            # The deciding reader's notice says she was assigned; her page says why.
            _add_reader(submission, rnd, Review.Reader.DECIDING, actor=None, request=request)
            return
        outcome, readers = decisions.pop(), list(by_reader.values())
    now = timezone.now()
    rnd.outcome = Round.Outcome.AWARDED if outcome == Review.Decision.AWARD else \
        Round.Outcome.RETURNED
    rnd.decided_at = now
    rnd.feedback = "\n\n".join(r.comment for r in readers if r.comment)
    rnd.save(update_fields=["outcome", "decided_at", "feedback"])
    submission.decided_at = now
    workflow.move(submission, "award" if outcome == Review.Decision.AWARD else "return")
    submission.updated_at = now
    submission.save()
    _ungrant(submission, actor=actor)
    tier, educator = submission.tier, submission.educator
    if outcome == Review.Decision.RETURN:
        record("submission_returned", actor=actor, request=request, obj=submission,
               summary=f"Returned “{tier.name}” of “{tier.version.title}” to "
                       f"{educator.display_name} with feedback")
        notify(educator, kind="submission_returned",
               subject=f"Feedback on your {tier.version.title} work: {tier.name}",
               body="Your work came back with feedback. Read it, revise, and send it again "
                    "whenever you are ready.", url=_submission_url(submission))
        return
    _award_tier(submission, actor=actor, request=request)


def _award_tier(submission: Submission, *, actor: User, request: HttpRequest | None) -> None:
    tier, educator = submission.tier, submission.educator
    today = timezone.localdate()
    school_id = (RoleAssignment.objects.filter(user=educator, school__isnull=False,
                                               role__in=EDUCATOR_ROLES)
                 .order_by("granted_at", "pk").values_list("school_id", flat=True).first())
    StipendEntry.objects.create(
        district_id=submission.district_id, educator=educator, submission=submission,
        school_id=school_id, amount=tier.stipend, ceus=tier.ceus,
        awarded_on=today, period=f"{today:%Y-%m}")
    record("submission_awarded", actor=actor, request=request, obj=submission,
           summary=f"Awarded “{tier.name}” of “{tier.version.title}” to "
                   f"{educator.display_name}"
                   + (f" (stipend ${tier.stipend})" if tier.stipend else ""))
    notify(educator, kind="submission_awarded",
           subject=f"Awarded: {tier.version.title}, {tier.name}",
           body="Your work was awarded."
                + (f" A stipend of ${tier.stipend} is on its way to payroll."
                   if tier.stipend else ""), url=_submission_url(submission))
    version = tier.version
    tiers = set(version.tiers.values_list("pk", flat=True))
    done = set(Submission.objects.filter(educator=educator, tier__version=version,
                                         state=Submission.State.AWARDED)
               .values_list("tier_id", flat=True))
    if tiers <= done:
        try:
            with transaction.atomic():
                award = Award.objects.create(district_id=submission.district_id,
                                             educator=educator,
                                             credential_id=version.credential_id,
                                             version=version)
        except IntegrityError:
            return
        record("credential_earned", actor=actor, request=request, obj=award,
               summary=f"{educator.display_name} earned “{version.title}”")
        for hook in registry.award_hooks:
            hook.call(award, actor)
        notify(educator, kind="credential_earned",
               subject=f"You earned the micro-credential “{version.title}”",
               body="Every tier is awarded: the credential is yours.",
               url=_url("credentials:mine"))


def note_submission_read(submission: Submission, *, actor: User,
                         request: HttpRequest | None = None) -> None:
    """Audit an assessor's reading of a candidate's selected records."""
    record("submission_read", actor=actor, request=request, obj=submission,
           summary=f"Read “{submission.tier.name}” by {submission.educator.display_name} "
                   "for assessment")


def note_submission_file_opened(submission: Submission, artifact: Any, *, actor: User,
                                request: HttpRequest | None = None) -> None:
    """Audit an assessor's opening of an artifact's file sent in a submission."""
    record("submission_read", actor=actor, request=request, obj=submission,
           summary=f"Opened the file of “{artifact.title}” sent with “{submission.tier.name}” "
                   f"by {submission.educator.display_name} for assessment",
           details={"artifact": artifact.pk})
