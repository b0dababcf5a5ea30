"""Verifying an Open Badges 3.0 credential, the way 1EdTech's validator does, offline.

``verify`` takes what a person has: the credential's JSON, its VC-JWT (a compact JWS), or a
badge image (PNG or SVG) with the credential baked in. It runs the checks in the order of
1EdTech's validator (``digital-credentials-public-validator``) and reports each one:

``parse``, ``contexts``, ``type``, ``schema``, ``subject``, ``evidence``, ``issuer``,
``proof``, ``status``, ``expiry``.

Nothing is fetched here. The caller passes ``resolve_key`` (a DID or URL to its DID /
controller document; ``LookupError`` with a sentence when it cannot) and ``fetch_status``
(a status list URL to the list credential; any exception with a sentence when it cannot).

The verifier is stricter than the validator in one place: a JWT that carries its own key
(a ``jwk`` header) is refused, since nothing ties that key to the issuer.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from uptake.openbadges import jsonld, keys, proof, schema, status, vcjwt

PASSED, FAILED, WARNING, SKIPPED = "passed", "failed", "warning", "skipped"
CHECKS = ("parse", "contexts", "type", "schema", "subject", "evidence", "issuer", "proof",
          "status", "expiry")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
OB3_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"
CLR2_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/clr/v2p0/context"
BADGE_TYPES = ("OpenBadgeCredential", "AchievementCredential")
OTHER_TYPES = {"EndorsementCredential": "an Open Badges endorsement",
               "ClrCredential": "a Comprehensive Learner Record 2.0"}
SCHEMAS = {"OpenBadgeCredential": schema.ACHIEVEMENT_CREDENTIAL,
           "AchievementCredential": schema.ACHIEVEMENT_CREDENTIAL,
           "EndorsementCredential": "ob_v3p0_endorsementcredential_schema.json"}
JWT_CLAIMS = ("iss", "jti", "nbf", "exp", "sub", "iat", "aud")

ResolveKey = Callable[[str], dict[str, Any]]
FetchStatus = Callable[[str], dict[str, Any]]


@dataclass(frozen=True)
class Check:
    name: str
    outcome: str  # passed, failed, warning, skipped
    message: str


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None
    format: str = ""  # json, jwt, png, svg
    jwt: str = ""

    @property
    def verified(self) -> bool:
        return bool(self.checks) and not any(c.outcome == FAILED for c in self.checks)

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    @property
    def credential_id(self) -> str | None:
        found = (self.credential or {}).get("id")
        return found if isinstance(found, str) else None

    @property
    def issuer(self) -> dict[str, str] | None:
        found = (self.credential or {}).get("issuer")
        if isinstance(found, str):
            return {"id": found, "name": ""}
        if isinstance(found, dict):
            return {"id": _text(found.get("id")), "name": _text(found.get("name"))}
        return None

    @property
    def achievement(self) -> dict[str, str] | None:
        subject = _subject(self.credential or {})
        found = subject.get("achievement") if subject else None
        if isinstance(found, dict):
            return {"id": _text(found.get("id")), "name": _text(found.get("name"))}
        return None

    @property
    def awarded(self) -> str | None:
        """When the credential says it was awarded (awardedDate, else when it is valid
        from)."""
        credential = self.credential or {}
        for key in ("awardedDate", "validFrom", "issuanceDate"):
            if isinstance(credential.get(key), str):
                return str(credential[key])
        return None

    def as_dict(self) -> dict[str, Any]:
        return {"verified": self.verified, "credential_id": self.credential_id,
                "issuer": self.issuer, "achievement": self.achievement,
                "checks": [{"check": c.name, "outcome": c.outcome, "message": c.message}
                           for c in self.checks]}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(node: Any) -> list[str]:
    return [t for t in _as_list(node.get("type")) if isinstance(t, str)] \
        if isinstance(node, dict) else []


def _subject(credential: dict[str, Any]) -> dict[str, Any] | None:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    return subject if isinstance(subject, dict) else None


def _issuer_id(credential: dict[str, Any]) -> str:
    issuer = credential.get("issuer")
    return issuer if isinstance(issuer, str) else _text(
        issuer.get("id") if isinstance(issuer, dict) else None)


# ---------------------------------------------------------------------------- verify

def verify(data: bytes | str, *, resolve_key: ResolveKey, fetch_status: FetchStatus,
           now: datetime | None = None) -> Report:
    """Every check of the credential in ``data``; ``Report.verified`` when none failed."""
    report = Report()
    try:
        report.format, text = _unwrap(data)
        credential, report.jwt = _read(text)
    except ValueError as error:
        report.checks.append(Check("parse", FAILED, str(error)))
        report.checks += [Check(name, SKIPPED, "Not checked: the credential could not be read.")
                          for name in CHECKS[1:]]
        return report
    report.credential = credential
    kinds = {"json": "JSON", "jwt": "a VC-JWT", "png": "a baked PNG", "svg": "a baked SVG"}
    carried = " (as a VC-JWT)" if report.jwt and report.format != "jwt" else ""
    report.checks.append(Check("parse", PASSED, f"Read the credential from "
                                                f"{kinds[report.format]}{carried}."))
    moment = now or datetime.now(UTC)
    report.checks += [
        _contexts(credential), _type(credential), _schema(credential),
        _subject_check(credential), _evidence(credential), _issuer(credential),
        _jwt_proof(report.jwt, credential, resolve_key) if report.jwt
        else _embedded_proof(credential, resolve_key),
        _status(credential, resolve_key, fetch_status, moment),
        _expiry(credential, moment),
    ]
    return report


def _unwrap(data: bytes | str) -> tuple[str, str]:
    """The format and the credential's text (JSON or a compact JWS)."""
    from uptake.openbadges import baking

    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if raw.startswith(PNG_MAGIC):
        return "png", baking.extract(raw).strip()
    try:
        text = raw.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise ValueError("This is neither a credential (JSON or a VC-JWT) nor a PNG or SVG "
                         "badge image: it is not text and not a PNG.") from None
    if text.startswith("<"):
        return "svg", baking.extract(raw).strip()
    if text.startswith(("{", "[")):
        return "json", text
    if vcjwt.looks_like(text):
        return "jwt", text
    if not text:
        raise ValueError("There is nothing to verify: the input is empty.")
    raise ValueError("This is neither a credential's JSON, a VC-JWT, nor a PNG or SVG badge "
                     "image.")


def _read(text: str) -> tuple[dict[str, Any], str]:
    """The credential, and its compact JWS when it came as one."""
    if text.startswith(("{", "[")):
        try:
            found = json.loads(text)
        except ValueError as error:
            raise ValueError(f"The credential is not valid JSON ({error}).") from None
        if not isinstance(found, dict):
            raise ValueError("The JSON is not a credential: it is not an object.")
        return found, ""
    if not vcjwt.looks_like(text):
        raise ValueError("The badge carries neither a credential's JSON nor a VC-JWT.")
    claims = _jose_part(text, 1, "payload")
    if isinstance(claims.get("vc"), dict):  # VCDM 1.1: the credential is the vc claim
        return dict(claims["vc"]), text
    return {k: v for k, v in claims.items() if k not in JWT_CLAIMS}, text


def _jose_part(token: str, number: int, name: str) -> dict[str, Any]:
    """A compact JWS's header (0) or payload (1) as JSON, unverified: read here rather
    than by the JOSE library, which refuses headers over 512 bytes (one carrying a
    ``jwk``), so that such a token is reported by the proof check, not as unreadable."""
    part = token.strip().split(".")[number]
    try:
        found = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except ValueError:
        raise ValueError(f"The VC-JWT cannot be read: its {name} is not base64url "
                         "JSON.") from None
    if not isinstance(found, dict):
        raise ValueError(f"The VC-JWT cannot be read: its {name} is not a JSON object.")
    return found


# ----------------------------------------------------------------- structural checks

def _is_vcdm11(credential: dict[str, Any]) -> bool:
    found = jsonld.contexts_of(credential)
    return bool(found) and found[0] == jsonld.VC_V1


def _contexts(credential: dict[str, Any]) -> Check:
    found = jsonld.contexts_of(credential)
    if not found:
        return Check("contexts", FAILED, "The credential has no @context.")
    unknown = jsonld.unknown_contexts(credential)
    if unknown:
        return Check("contexts", FAILED, "Not a context Uptake knows (it checks offline, "
                     "with the published contexts only): " + ", ".join(unknown) + ".")
    if found[0] not in (jsonld.VC_V2, jsonld.VC_V1):
        return Check("contexts", FAILED, "The first @context must be the W3C Verifiable "
                     f"Credentials context ({jsonld.VC_V2}), not {found[0]!r}.")
    second = found[1] if len(found) > 1 else None
    if not (isinstance(second, str) and second.startswith((OB3_CONTEXT_PREFIX,
                                                           CLR2_CONTEXT_PREFIX))):
        return Check("contexts", FAILED, "The second @context must be an Open Badges 3.0 "
                     f"context ({jsonld.OB_V3}), not {second!r}.")
    try:
        undefined = jsonld.undefined_terms({k: v for k, v in credential.items()
                                            if k != "proof"})
    except ValueError as error:
        return Check("contexts", FAILED, str(error))
    if undefined:
        more = f" (and {len(undefined) - 5} more)" if len(undefined) > 5 else ""
        return Check("contexts", WARNING, "These fields are defined by no context, so no "
                     "signature covers them: " + "; ".join(undefined[:5]) + more + ".")
    ob = [c for c in found if isinstance(c, str) and c.startswith(OB3_CONTEXT_PREFIX)]
    if ob and jsonld.OB_V3 not in ob:
        return Check("contexts", WARNING, f"The Open Badges context is {ob[0]}; the current "
                     f"one is {jsonld.OB_V3}.")
    return Check("contexts", PASSED, "Every @context is a published one, in the right order, "
                 "and defines every field.")


def _type(credential: dict[str, Any]) -> Check:
    types = _types(credential)
    if "VerifiableCredential" not in types:
        return Check("type", FAILED, "The type must include VerifiableCredential.")
    for kind in BADGE_TYPES:
        if kind in types:
            return Check("type", PASSED, f"A VerifiableCredential and an {kind}.")
    for kind, label in OTHER_TYPES.items():
        if kind in types:
            return Check("type", PASSED, f"A VerifiableCredential and {label} ({kind}).")
    return Check("type", FAILED, "The type must include OpenBadgeCredential or "
                 "AchievementCredential.")


def _schema(credential: dict[str, Any]) -> Check:
    if _is_vcdm11(credential):
        return Check("schema", SKIPPED, "Not checked: the credential follows the older "
                     "VC Data Model 1.1, which the Open Badges 3.0 schema does not describe.")
    types = _types(credential)
    name = next((SCHEMAS[t] for t in types if t in SCHEMAS), None)
    if name is None:
        kind = next((t for t in types if t in OTHER_TYPES), "this kind of credential")
        return Check("schema", SKIPPED, f"Not checked: Uptake has no schema for {kind}.")
    single = isinstance(credential.get("proof"), dict)
    found = schema.problems({**credential, "proof": [credential["proof"]]} if single
                            else credential, name)
    if found:
        more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
        return Check("schema", FAILED, "The official schema does not accept it: "
                     + "; ".join(found[:3]) + more + ".")
    note = (" (its one proof object read as a list of one, as the VC Data Model 2.0 allows)"
            if single else "")
    return Check("schema", PASSED, f"The official 1EdTech schema ({name}) accepts it{note}.")


def _subject_check(credential: dict[str, Any]) -> Check:
    subject = _subject(credential)
    if subject is None:
        return Check("subject", FAILED, "The credential has no credentialSubject object.")
    types = _types(credential)
    if "EndorsementCredential" in types or "ClrCredential" in types:
        expected = "EndorsementSubject" if "EndorsementCredential" in types else "ClrSubject"
        if expected not in _types(subject):
            return Check("subject", FAILED, f"The credentialSubject's type must include "
                         f"{expected}.")
        if not subject.get("id"):
            return Check("subject", FAILED, "The credentialSubject has no id.")
        return Check("subject", PASSED, f"The subject is a {expected} with an id.")
    problems = []
    if "AchievementSubject" not in _types(subject):
        problems.append("its type must include AchievementSubject")
    if not subject.get("id") and not subject.get("identifier"):
        problems.append("it needs an id or an identifier to say who earned it")
    for item in _as_list(subject.get("identifier")):
        if "IdentityObject" not in _types(item):
            problems.append("every identifier must be an IdentityObject")
    for item in _as_list(subject.get("result")):
        if "Result" not in _types(item):
            problems.append("every result must be a Result")
    achievement = subject.get("achievement")
    if not isinstance(achievement, dict):
        problems.append("it has no achievement")
    else:
        if "Achievement" not in _types(achievement):
            problems.append("the achievement's type must include Achievement")
        for item in _as_list(achievement.get("resultDescription")):
            if "ResultDescription" not in _types(item):
                problems.append("every resultDescription must be a ResultDescription")
        criteria = achievement.get("criteria")
        if not isinstance(criteria, dict) or not (criteria.get("id") or
                                                  criteria.get("narrative")):
            problems.append("the achievement's criteria need an id or a narrative")
    if problems:
        return Check("subject", FAILED, "The credentialSubject: " + "; ".join(problems) + ".")
    return Check("subject", PASSED, "The subject names who earned it and a complete "
                 "achievement.")


def _evidence(credential: dict[str, Any]) -> Check:
    items = _as_list(credential.get("evidence"))
    if not items:
        return Check("evidence", SKIPPED, "The credential lists no evidence.")
    wrong = [i + 1 for i, item in enumerate(items) if "Evidence" not in _types(item)]
    if wrong:
        return Check("evidence", FAILED, "Evidence item(s) " + ", ".join(map(str, wrong))
                     + " must have the type Evidence.")
    return Check("evidence", PASSED, f"{len(items)} evidence item(s), each typed Evidence.")


def _issuer(credential: dict[str, Any]) -> Check:
    issuer = credential.get("issuer")
    if not isinstance(issuer, dict):
        return Check("issuer", FAILED, "The issuer must be a Profile object with an id, not "
                     "just an identifier.")
    if "Profile" not in _types(issuer):
        return Check("issuer", FAILED, "The issuer's type must include Profile.")
    if not issuer.get("id"):
        return Check("issuer", FAILED, "The issuer has no id.")
    return Check("issuer", PASSED, f"Issued by {issuer.get('name') or issuer['id']}.")


# ---------------------------------------------------------------------------- proofs

class KeyProblem(Exception):
    """The proof's key cannot be found or is not the issuer's; the message says why."""


def _document(resolve_key: ResolveKey, ref: str) -> dict[str, Any]:
    try:
        found = resolve_key(ref)
    except LookupError as error:
        raise KeyProblem(f"The key's document could not be read: {error}") from None
    if not isinstance(found, dict):
        raise KeyProblem(f"The document for {ref} is not a JSON object.")
    return found


def _method_in(document: dict[str, Any], method: str) -> dict[str, Any] | None:
    base = _text(document.get("id"))

    def full(ref: str) -> str:
        return base + ref if ref.startswith("#") else ref

    listed = [full(m) if isinstance(m, str) else full(_text(m.get("id")))
              for m in _as_list(document.get("assertionMethod"))
              if isinstance(m, (str, dict))]
    if method not in listed:
        raise KeyProblem(f"{method} is not one of the assertion methods in the "
                         f"controller document of {base or 'its controller'}.")
    candidates = [*_as_list(document.get("verificationMethod")),
                  *_as_list(document.get("assertionMethod"))]
    for candidate in candidates:
        if isinstance(candidate, dict) and full(_text(candidate.get("id"))) == method:
            return candidate
    return None


def _is_multikey(value: str) -> bool:
    try:
        keys.ed25519_from_multikey(value)
    except ValueError:
        return False
    return True


def ed25519_key(method: str, issuer: str, resolve_key: ResolveKey) -> tuple[Any, str]:
    """The Ed25519 public key of a verification method, once it is found to be the
    issuer's, and a sentence naming it. Raises ``KeyProblem``."""
    base, _, fragment = method.partition("#")
    if fragment and _is_multikey(fragment):
        controller, multikey = base, fragment
    elif method.startswith("did:key:"):
        multikey = base[len("did:key:"):]
        if not _is_multikey(multikey):
            raise KeyProblem(f"{base} is not an Ed25519 did:key.")
        controller = base
        if issuer != controller and not issuer.startswith("urn:"):
            raise KeyProblem(f"The key {base} is not the issuer's ({issuer}).")
        if issuer != controller:
            return (keys.ed25519_from_multikey(multikey),
                    f"the did:key {base[:24]}…; the issuer's id ({issuer}) names no key, so "
                    "only that key vouches for it")
    elif method.startswith(("did:web:", "https://", "http://")):
        document = _document(resolve_key, base)
        found = (document if document.get("id") == method and "publicKeyMultibase" in document
                 else _method_in(document, method))
        if found is None:
            raise KeyProblem(f"The controller document lists {method} but does not "
                             "describe it.")
        controller = _text(found.get("controller")) or _text(document.get("id"))
        multikey = _text(found.get("publicKeyMultibase"))
        if not _is_multikey(multikey):
            raise KeyProblem(f"{method} is not an Ed25519 Multikey.")
    else:
        raise KeyProblem(f"Uptake cannot resolve the verification method {method!r} "
                         "(it knows did:key, did:web and https controller documents).")
    if controller != issuer:
        raise KeyProblem(f"The key's controller ({controller}) is not the issuer ({issuer}).")
    return keys.ed25519_from_multikey(multikey), method


def check_embedded(document: dict[str, Any], resolve_key: ResolveKey) -> tuple[bool, str]:
    """Whether one of the document's proofs is a valid eddsa-rdfc-2022 assertion by its
    issuer, and a sentence saying so or why not."""
    found = proof.proofs(document)
    if not found:
        return False, "The credential has no proof: nothing shows who issued it."
    ours = [p for p in found if proof.is_ours(p) and p.get("proofPurpose") == proof.PURPOSE]
    if not ours:
        kinds = ", ".join(sorted({_text(p.get("type")) or "untyped" for p in found}))
        return False, ("No DataIntegrityProof with the eddsa-rdfc-2022 cryptosuite for "
                       f"assertionMethod (found: {kinds}); Uptake checks that kind only.")
    issuer = _issuer_id(document)
    reasons = []
    for candidate in ours:
        method = _text(candidate.get("verificationMethod"))
        try:
            public, named = ed25519_key(method, issuer, resolve_key)
            valid = proof.verify(document, candidate, public)
        except KeyProblem as problem:
            reasons.append(str(problem))
            continue
        except ValueError as error:  # a context not bundled, JSON-LD that cannot be read
            reasons.append(f"The signed data cannot be computed: {error}")
            continue
        if valid:
            return True, f"The eddsa-rdfc-2022 signature verifies with {named}."
        reasons.append("The eddsa-rdfc-2022 signature does not match the credential: "
                       "it was changed after signing, or signed with another key.")
    return False, " ".join(dict.fromkeys(reasons))


def _embedded_proof(credential: dict[str, Any], resolve_key: ResolveKey) -> Check:
    ok, message = check_embedded(credential, resolve_key)
    return Check("proof", PASSED if ok else FAILED, message)


def _jwt_proof(token: str, credential: dict[str, Any], resolve_key: ResolveKey) -> Check:
    try:
        header = _jose_part(token, 0, "header")
    except ValueError as error:
        return Check("proof", FAILED, str(error))
    alg = header.get("alg")
    if alg not in vcjwt.ALGORITHMS:
        return Check("proof", FAILED, f"The JWT's algorithm {alg!r} is refused: only RS256 "
                     "and ES256 are accepted.")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        if "jwk" in header:
            return Check("proof", FAILED, "The JWT carries its own key (jwk) instead of "
                         "naming one of the issuer's (kid): nothing ties that key to the "
                         "issuer, so its signature proves nothing.")
        return Check("proof", FAILED, "The JWT names no key (kid) in the issuer's DID "
                     "document, so its signature cannot be tied to the issuer.")
    issuer = _issuer_id(credential)
    base = kid.partition("#")[0]
    try:
        document = _document(resolve_key, base)
        method = _method_in(document, kid)
    except KeyProblem as problem:
        return Check("proof", FAILED, str(problem))
    if method is None or not isinstance(method.get("publicKeyJwk"), dict):
        return Check("proof", FAILED, f"{kid} has no public JWK in its controller document.")
    controller = _text(method.get("controller")) or _text(document.get("id"))
    if controller != issuer:
        return Check("proof", FAILED, f"The key's controller ({controller}) is not the issuer "
                     f"({issuer}).")
    try:
        claims = vcjwt.verify(token, method["publicKeyJwk"])
    except ValueError as error:
        return Check("proof", FAILED, str(error))
    mismatched = _claim_problems(claims, credential)
    if mismatched:
        return Check("proof", FAILED, "The JWT's claims do not match the credential: "
                     + "; ".join(mismatched) + ".")
    return Check("proof", PASSED, f"The JWT's {alg} signature verifies with {kid}.")


def _claim_problems(claims: dict[str, Any], credential: dict[str, Any]) -> list[str]:
    found = []
    if claims.get("iss") != _issuer_id(credential):
        found.append(f"iss is {claims.get('iss')!r}, the issuer is {_issuer_id(credential)!r}")
    if "id" in credential and claims.get("jti") != credential["id"]:
        found.append(f"jti is {claims.get('jti')!r}, the credential's id "
                     f"{credential['id']!r}")
    start = credential.get("validFrom") or credential.get("issuanceDate")
    if isinstance(start, str):
        try:
            expected: int | None = vcjwt.numeric_date(start)
        except ValueError:
            expected = None
        if claims.get("nbf") != expected:
            found.append(f"nbf is {claims.get('nbf')!r}, validFrom is {start}")
    end = credential.get("validUntil") or credential.get("expirationDate")
    if isinstance(end, str) and "exp" in claims:
        try:
            if claims["exp"] != vcjwt.numeric_date(end):
                found.append(f"exp is {claims['exp']!r}, validUntil is {end}")
        except ValueError:
            found.append(f"validUntil ({end}) is not a date")
    return found


# ---------------------------------------------------------------------------- status

def _status(credential: dict[str, Any], resolve_key: ResolveKey, fetch_status: FetchStatus,
            now: datetime) -> Check:
    entries = [e for e in _as_list(credential.get("credentialStatus")) if isinstance(e, dict)]
    if not entries:
        return Check("status", SKIPPED, "The credential has no status list: it cannot be "
                     "revoked, so there is nothing to check.")
    results = [_status_entry(e, credential, resolve_key, fetch_status) for e in entries]
    for outcome in (FAILED, WARNING):
        if any(r.outcome == outcome for r in results):
            return Check("status", outcome, " ".join(r.message for r in results
                                                     if r.outcome == outcome))
    return Check("status", PASSED, " ".join(r.message for r in results))


def _status_entry(entry: dict[str, Any], credential: dict[str, Any], resolve_key: ResolveKey,
                  fetch_status: FetchStatus) -> Check:
    kind = _text(entry.get("type"))
    if kind == "1EdTechRevocationList":
        return Check("status", WARNING, "Not checked: the credential uses a 1EdTech "
                     "Revocation List, which Uptake does not check.")
    if kind != status.ENTRY_TYPE:
        return Check("status", WARNING, f"Not checked: Uptake does not know the status "
                     f"type {kind or '(none)'}.")
    url = _text(entry.get("statusListCredential"))
    purpose = _text(entry.get("statusPurpose"))
    try:
        index = int(str(entry.get("statusListIndex")))
    except ValueError:
        return Check("status", FAILED, "The statusListIndex is not a whole number.")
    if not url:
        return Check("status", FAILED, "The status entry names no statusListCredential.")
    try:
        listed = fetch_status(url)
    except Exception as error:  # any failure to get the list is reported, not raised
        return Check("status", WARNING, f"Revocation not checked: {error}")
    if not isinstance(listed, dict):
        return Check("status", FAILED, f"The status list at {url} is not a JSON object.")
    if status.CREDENTIAL_TYPE not in _types(listed):
        return Check("status", FAILED, f"{url} is not a BitstringStatusListCredential.")
    ok, message = check_embedded(listed, resolve_key)
    if not ok:
        return Check("status", FAILED, f"The status list's proof does not verify: {message}")
    subject = _subject(listed) or {}
    if subject.get("statusPurpose") != purpose:
        return Check("status", FAILED, f"The status list is for "
                     f"{subject.get('statusPurpose')!r}, the entry for {purpose!r}.")
    try:
        bits = status.decode(_text(subject.get("encodedList")))
    except (ValueError, OSError, EOFError) as error:
        return Check("status", FAILED, f"The status list's encodedList cannot be read "
                     f"({error}).")
    if len(bits) * 8 < status.MIN_ENTRIES:
        return Check("status", FAILED, f"The status list has {len(bits) * 8} entries, fewer "
                     f"than the {status.MIN_ENTRIES:,} that keep a credential among many.")
    if not 0 <= index < len(bits) * 8:
        return Check("status", FAILED, f"Index {index} is outside the status list.")
    if status.get(bits, index):
        word = "revoked" if purpose == "revocation" else f"marked for {purpose}"
        return Check("status", FAILED, f"{word.capitalize()}: the issuer's signed status list "
                     f"marks this credential as {word}.")
    if _issuer_id(listed) != _issuer_id(credential):
        return Check("status", WARNING, f"Not {purpose} on a signed list, but the list's "
                     f"issuer ({_issuer_id(listed)}) is not the credential's.")
    return Check("status", PASSED, f"Not {'revoked' if purpose == 'revocation' else purpose}"
                 ": the issuer's signed status list says so.")


# ---------------------------------------------------------------------------- expiry

def _moment(value: str) -> datetime:
    found = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if found.tzinfo is None:
        raise ValueError("no time zone")
    return found


def _expiry(credential: dict[str, Any], now: datetime) -> Check:
    start = credential.get("validFrom") or credential.get("issuanceDate")
    end = credential.get("validUntil") or credential.get("expirationDate")
    try:
        if isinstance(start, str) and _moment(start) > now:
            return Check("expiry", FAILED, f"Not valid yet: valid from {start}.")
        if isinstance(end, str) and _moment(end) <= now:
            return Check("expiry", FAILED, f"Expired: valid until {end}.")
    except ValueError:
        return Check("expiry", FAILED, "validFrom or validUntil is not a date and time with "
                     "a time zone.")
    if isinstance(end, str):
        return Check("expiry", PASSED, f"Valid now, until {end}.")
    return Check("expiry", PASSED, "Valid now; it does not expire.")
