"""JSON-LD with the bundled contexts only: canonical N-Quads and the strict-term check.

PyLD fetches contexts over the network by default; here a document loader serves the
copies bundled in ``data/contexts`` and refuses every other URL, so canonicalisation is
offline and a credential naming an unknown context fails closed.

PyLD has no "safe mode": a JSON key no context defines is silently dropped from the
canonical form, so it would travel unsigned, and jsonld.js in safe mode (the Digital
Bazaar stack behind the DCC wallets) rejects such a document. ``undefined_terms`` finds
those keys, and relative IRIs, before anything is signed.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld

DATA = Path(__file__).resolve().parent / "data"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
OB_V2 = "https://w3id.org/openbadges/v2"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
JWK_V1 = "https://w3id.org/security/jwk/v1"

BUNDLED = {
    VC_V2: "credentials-v2.jsonld",
    VC_V1: "credentials-v1.jsonld",
    OB_V3: "ob_v3p0_context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob_v3p0_context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob_v3p0_context-3.0.1.json",
    OB_EXTENSIONS: "ob_v3p0_extensions.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": "clr_v2p0_context-2.0.1.json",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    JWK_V1: "jwk-v1.jsonld",
    DID_V1: "did-v1.jsonld",
    OB_V2: "ob_v2p0_context.json",
}

# A base no real document uses: an IRI that resolves against it was relative.
SENTINEL_BASE = "urn:uptake-relative:/"


class UnknownContext(ValueError):
    """A document names a context that is not bundled."""


@cache
def _context(url: str) -> Any:
    return json.loads((DATA / "contexts" / BUNDLED[url]).read_text(encoding="utf-8"))


def load_document(url: str, options: Any = None) -> dict[str, Any]:
    """PyLD's document loader: bundled contexts, or refusal."""
    if url not in BUNDLED:
        raise jsonld.JsonLdError(f"The context {url} is not one Uptake bundles.",
                                 "jsonld.LoadDocumentError", code="loading document failed")
    # PyLD may annotate what it is given; each caller gets its own copy.
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(_context(url))}


def _options(**extra: Any) -> dict[str, Any]:
    return {"documentLoader": load_document, **extra}


def canonical(document: dict[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads (PyLD's URDNA2015, which is the same algorithm).

    PyLD's default algorithm is the older URGNA2012, so it is named here."""
    try:
        return str(jsonld.normalize(document, _options(algorithm="URDNA2015",
                                                       format="application/n-quads")))
    except jsonld.JsonLdError as error:
        raise _explained(error) from error


def _explained(error: Any) -> Exception:
    cause: Any = error
    while cause is not None:
        if getattr(cause, "type", "") == "jsonld.LoadDocumentError":
            return UnknownContext(str(cause.args[0] if cause.args else cause))
        cause = getattr(cause, "cause", None)
    return ValueError(f"The JSON-LD could not be processed: {error}")


def contexts_of(document: dict[str, Any]) -> list[Any]:
    found = document.get("@context", [])
    return found if isinstance(found, list) else [found]


def unknown_contexts(document: dict[str, Any]) -> list[str]:
    return [c for c in contexts_of(document) if isinstance(c, str) and c not in BUNDLED]


def undefined_terms(document: dict[str, Any]) -> list[str]:
    """Paths of keys no context defines and of values that are relative IRIs.

    The document is expanded (keys without a definition vanish) with a sentinel base
    (relative IRIs show up under it) and compacted back; any key path present before and
    gone after, and any value carrying the sentinel, is reported."""
    try:
        expanded = jsonld.expand(document, _options(base=SENTINEL_BASE))
        compacted = jsonld.compact(expanded, {"@context": document.get("@context", [])},
                                   _options(base=SENTINEL_BASE))
    except jsonld.JsonLdError as error:
        raise _explained(error) from error
    problems = sorted(set(_paths(document)) - set(_paths(compacted)))
    problems += [f"{path} is a relative IRI ({value!r})"
                 for path, value in _values(expanded) if SENTINEL_BASE in value]
    return problems


def _paths(node: Any, prefix: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                continue
            path = f"{prefix}.{key}" if prefix else key
            found.append(path)
            found += _paths(value, path)
    elif isinstance(node, list):
        for item in node:
            found += _paths(item, prefix)
    return found


def _values(node: Any, prefix: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _values(value, f"{prefix}.{_short(key)}" if prefix else _short(key))
    elif isinstance(node, list):
        for item in node:
            found += _values(item, prefix)
    elif isinstance(node, str):
        found.append((prefix, node))
    return found


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if "://" in iri else iri
