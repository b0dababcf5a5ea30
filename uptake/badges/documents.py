"""The JSON documents Uptake publishes for an issuer: its DID document, its Profile, its
status lists, and the OpenBadgeCredential built from an award (signed in ``actions``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from uptake.badges import keystore
from uptake.badges.models import Badge, Issuer, IssuerKey, StatusList
from uptake.credentials.models import Award, Criterion, Review, Round, Submission, Tier, Version
from uptake.learning.models import FrameworkElement
from uptake.openbadges import jsonld, proof, schema, status

DID_CONTEXTS = [jsonld.DID_V1, jsonld.MULTIKEY_V1, jsonld.JWK_V1]


def iso(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``, to the second (Open Badges' DateTimeZ)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def absolute(path: str) -> str:
    return keystore.base_url() + path


# ---------------------------------------------------------------------------- issuer

def did_document(issuer: Issuer) -> dict[str, Any]:
    """Every key the issuer ever had, retired ones included: a credential signed with an
    old key still verifies (keys are added, never removed)."""
    did = keystore.did(issuer)
    methods = []
    for key in issuer.keys.all():
        method: dict[str, Any] = {"id": keystore.verification_method(key), "controller": did}
        if key.kind == IssuerKey.Kind.ED25519:
            method |= {"type": "Multikey", "publicKeyMultibase": key.public}
        else:
            method |= {"type": "JsonWebKey", "publicKeyJwk": keystore.public_jwk(key)}
        methods.append(method)
    return {"@context": DID_CONTEXTS, "id": did, "verificationMethod": methods,
            "assertionMethod": [m["id"] for m in methods]}


def profile(issuer: Issuer) -> dict[str, Any]:
    district = issuer.district
    found: dict[str, Any] = {"id": keystore.did(issuer), "type": ["Profile"],
                             "name": district.name, "url": issuer.url or keystore.base_url()}
    if issuer.email:
        found["email"] = issuer.email
    if issuer.description:
        found["description"] = issuer.description
    return found


# ----------------------------------------------------------------------- status lists

def status_list_url(status_list: StatusList) -> str:
    return absolute(reverse("badges:status_list", args=[status_list.issuer.uuid,
                                                         status_list.number]))


def signed_status_list(status_list: StatusList, *, now: datetime | None = None) -> str:
    """The list credential, signed with the issuer's current Ed25519 key."""
    issuer = status_list.issuer
    key = keystore.signing_key(issuer, IssuerKey.Kind.ED25519)
    assert key is not None, "an issuer always has an Ed25519 signing key"
    moment = iso(now or timezone.now())
    unsigned = status.list_credential(status_list_url(status_list), keystore.did(issuer),
                                      bytes(status_list.bits), moment, status_list.purpose)
    signed = proof.sign(unsigned, keystore.ed25519_private(key),
                        keystore.verification_method(key), moment)
    return json.dumps(signed, indent=2, ensure_ascii=False)


# ------------------------------------------------------------------------ credentials

def achievement_url(version: Version) -> str:
    return absolute(reverse("badges:achievement", args=[version.pk]))


def achievement_image_url(version: Version) -> str:
    return absolute(reverse("badges:achievement_image", args=[version.pk]))


def _tiers(version: Version) -> list[Tier]:
    return list(version.tiers.prefetch_related("criteria").order_by("order", "pk"))


def credits(version: Version) -> float:
    """The CEUs of every tier of the version together."""
    return float(sum((tier.ceus for tier in version.tiers.all()), Decimal("0")))


def alignment_url(version: Version, element: FrameworkElement) -> str:
    """Uptake's frameworks have no public page: a target points into the achievement's
    definition, the element's code as fragment (the same in the 2.0 BadgeClass)."""
    return f"{achievement_url(version)}#{quote(element.code, safe='')}"


def alignments(version: Version) -> list[dict[str, Any]]:
    """The standards the version is aligned to (Open Badges ``Alignment``). The type is an
    extension: a district's framework element is not a CASE ``CFItem``."""
    found = []
    for element in version.elements.select_related("framework").order_by("framework__name",
                                                                          "order", "code"):
        target: dict[str, Any] = {
            "type": ["Alignment"], "targetName": element.title,
            "targetUrl": alignment_url(version, element),
            "targetFramework": element.framework.name, "targetCode": element.code,
            "targetType": "ext:FrameworkElement"}
        if element.description:
            target["targetDescription"] = element.description
        found.append(target)
    return found


def result_description_id(version: Version, tier: Tier, criterion: Criterion) -> str:
    return f"{achievement_url(version)}#tier-{tier.pk}-criterion-{criterion.pk}"


def level_id(version: Version, tier: Tier, criterion: Criterion, level: int) -> str:
    return f"{result_description_id(version, tier, criterion)}-level-{level}"


def result_descriptions(version: Version) -> list[dict[str, Any]]:
    """One rubric per tier and criterion: its levels low to high, named by the tier's
    level labels and described by the criterion's descriptors; ``requiredLevel`` is the
    tier's passing level."""
    found = []
    for tier in _tiers(version):
        for criterion in tier.criteria.all():
            levels = []
            for number, label in enumerate(tier.levels):
                level: dict[str, Any] = {
                    "id": level_id(version, tier, criterion, number),
                    "type": ["RubricCriterionLevel"], "name": label, "level": label}
                descriptors = criterion.descriptors or []
                if number < len(descriptors) and descriptors[number]:
                    level["description"] = descriptors[number]
                levels.append(level)
            rubric: dict[str, Any] = {
                "id": result_description_id(version, tier, criterion),
                "type": ["ResultDescription"],
                "name": f"{tier.name}: {criterion.text}",
                "resultType": "RubricCriterionLevel",
                "rubricCriterionLevel": levels,
            }
            if 0 <= tier.passing_level < len(tier.levels):
                rubric["requiredLevel"] = level_id(version, tier, criterion,
                                                   tier.passing_level)
            found.append(rubric)
    return found


def achievement(version: Version) -> dict[str, Any]:
    """The Achievement (the badge's definition) for a published version."""
    found: dict[str, Any] = {
        "id": achievement_url(version),
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": version.title,
        "description": version.competency,
        "criteria": {"id": achievement_url(version),
                     "narrative": criteria_narrative(version)},
        "version": str(version.number),
        "tag": ["micro-credential", "professional learning"],
    }
    if version.image:
        found["image"] = {"id": achievement_image_url(version), "type": "Image",
                          **({"caption": version.image_alt} if version.image_alt else {})}
    if targets := alignments(version):
        found["alignment"] = targets
    if rubrics := result_descriptions(version):
        found["resultDescription"] = rubrics
    if available := credits(version):
        found["creditsAvailable"] = available
    return found


def criteria_narrative(version: Version) -> str:
    lines = [f"Earned by completing every tier of “{version.title}”, each judged by a "
             "district assessor against its scoring guide:"]
    lines += [f"- **{tier.name}**: {tier.description}".rstrip(": ")
              for tier in version.tiers.all()]
    return "\n".join(lines)


def recipient(email: str, salt: str) -> dict[str, Any]:
    """A salted, hashed e-mail identifier. The address is trimmed and lower-cased first,
    so a verifier who knows it in any case finds the same hash."""
    import hashlib

    normalized = email.strip().lower()
    digest = hashlib.sha256((normalized + salt).encode("utf-8")).hexdigest()
    return {"type": "IdentityObject", "identityHash": f"sha256${digest}",
            "identityType": "emailAddress", "hashed": True, "salt": salt}


def _awarded_submissions(award: Award) -> list[Submission]:
    return list(Submission.objects.filter(educator=award.educator, tier__version=award.version,
                                          state=Submission.State.AWARDED)
                .select_related("tier").order_by("tier__order", "tier__pk"))


def _final_review(submission: Submission) -> Review | None:
    """The review that decided the awarding round: the deciding reader's when there was
    one, else the last reader who awarded it."""
    rnd = submission.rounds.filter(outcome=Round.Outcome.AWARDED).order_by("-number").first()
    if rnd is None:
        return None
    reviews = list(rnd.reviews.filter(released_at__isnull=True, decided_at__isnull=False,
                                      decision=Review.Decision.AWARD)
                   .order_by("decided_at", "pk"))
    deciding = [r for r in reviews if r.reader == Review.Reader.DECIDING]
    chosen = deciding or reviews
    return chosen[-1] if chosen else None


def results(award: Award, submissions: list[Submission]) -> list[dict[str, Any]]:
    """The level each criterion reached in the review that awarded its tier."""
    version = award.version
    found = []
    for submission in submissions:
        review = _final_review(submission)
        if review is None:
            continue
        tier = submission.tier
        for score in review.scores.select_related("criterion").order_by("criterion__order",
                                                                        "criterion__pk"):
            if not 0 <= score.level < len(tier.levels):
                continue
            found.append({
                "type": ["Result"],
                "resultDescription": result_description_id(version, tier, score.criterion),
                "achievedLevel": level_id(version, tier, score.criterion, score.level),
            })
    return found


def _sent_inquiries(submissions: list[Submission]) -> set[int]:
    """The inquiries she sent (as an inquiry, a cycle or a measure of one) in the rounds
    that were awarded."""
    from uptake.inquiry.models import Cycle, Measure

    sent: dict[str, set[int]] = {"inquiry": set(), "cycle": set(), "measure": set(),
                                 "practice": set()}
    for rnd in Round.objects.filter(submission__in=submissions,
                                    outcome=Round.Outcome.AWARDED):
        for item in rnd.items or []:
            kind, pk = item.get("kind"), item.get("id")
            if kind in sent and isinstance(pk, int):
                sent[kind].add(pk)
    inquiries = set(sent["inquiry"])
    inquiries |= set(Cycle.objects.filter(pk__in=sent["cycle"])
                     .values_list("inquiry_id", flat=True))
    inquiries |= set(Measure.objects.filter(pk__in=sent["measure"])
                     .values_list("inquiry_id", flat=True))
    return inquiries


def _sent_practices(submissions: list[Submission]) -> set[int]:
    found: set[int] = set()
    for rnd in Round.objects.filter(submission__in=submissions,
                                    outcome=Round.Outcome.AWARDED):
        found |= {item["id"] for item in rnd.items or []
                  if item.get("kind") == "practice" and isinstance(item.get("id"), int)}
    return found


def evidence(award: Award, submissions: list[Submission]) -> list[dict[str, Any]]:
    """Links to her practices published in the district's library (their author's consent
    to be read there) that came from the inquiries she sent for this award, or that she
    sent herself. Only what the library shows now, read through its own access rules:
    never a draft. Stories are not linked: a story opens only to its inquiry's people or
    through a share link's secret, and Uptake has no public story page."""
    from uptake.library.access import published_practices

    educator = award.educator
    inquiries, practices = _sent_inquiries(submissions), _sent_practices(submissions)
    if not inquiries and not practices:
        return []
    found = []
    for practice in (published_practices(educator)
                     .filter(author=educator, district_id=award.district_id)
                     .filter(Q(source_inquiry_id__in=inquiries) | Q(pk__in=practices))
                     .order_by("published_at", "pk")):
        item: dict[str, Any] = {
            "id": absolute(reverse("library:detail", args=[practice.pk])),
            "type": ["Evidence"], "name": practice.title,
            "genre": "Practice shared in the district's library",
            "audience": "Educators of the district",
        }
        if practice.overview.strip():
            item["narrative"] = practice.overview.strip()
        found.append(item)
    return found


def activity_start(submissions: list[Submission]) -> datetime | None:
    first = (Round.objects.filter(submission__in=submissions).order_by("submitted_at")
             .values_list("submitted_at", flat=True).first())
    return first


def unsigned_credential(badge: Badge, award: Award, *, now: datetime) -> dict[str, Any]:
    version = award.version
    submissions = _awarded_submissions(award)
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [recipient(award.educator.email, badge.salt)],
        "achievement": achievement(version),
    }
    if found := results(award, submissions):
        subject["result"] = found
    if earned := credits(version):
        subject["creditsEarned"] = earned
    if start := activity_start(submissions):
        subject["activityStartDate"] = iso(start)
    subject["activityEndDate"] = iso(award.awarded_at)
    credential: dict[str, Any] = {
        "@context": [jsonld.VC_V2, jsonld.OB_V3, jsonld.OB_EXTENSIONS],
        "id": badge.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": profile(badge.issuer),
        "validFrom": iso(now),
        "awardedDate": iso(award.awarded_at),
        "name": version.title,
        "description": version.competency,
        "credentialSubject": subject,
    }
    if links := evidence(award, submissions):
        credential["evidence"] = links
    credential["credentialSchema"] = [schema.CREDENTIAL_SCHEMA]
    credential["credentialStatus"] = status.entry(status_list_url(badge.status_list),
                                                  badge.status_index, badge.status_list.purpose)
    return credential


def problems(credential: dict[str, Any]) -> list[str]:
    """What stops a credential from being signed: the official schema's complaints and
    any key no context defines (it would travel unsigned)."""
    found = [f"Schema: {p}" for p in schema.problems(credential)]
    found += [f"Undefined term: {p}" for p in jsonld.undefined_terms(credential)]
    return found
