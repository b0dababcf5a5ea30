"""A light check of a story's words for claims the data cannot make.

A story says what happened for students, never that the professional learning (or the
change) caused it: one teacher's classes, without a comparison group, cannot show cause.
``causal_claims(text)`` finds wording that claims cause or proof and suggests plainer words.
It warns; it never blocks (the teacher decides). Pure Python, no Django.

>>> [c.phrase for c in causal_claims("The PD caused higher scores.")]
['caused']
>>> causal_claims("More students explained their thinking after the change.")
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Claim:
    """Wording that claims cause or proof, as written, with what to say instead."""

    phrase: str
    suggestion: str


_AGENTS = r"(?:the\s+)?(?:pd|professional\s+(?:learning|development)|training|workshop|" \
          r"coaching|course|program(?:me)?|intervention|change|new\s+\w+|talk\s+moves?)"
_PATTERNS: list[tuple[str, str]] = [
    (r"\bcaus(?:e|es|ed|ing)\b",
     "Say what happened and when (“after we started talk moves, more students …”), "
     "not what caused it."),
    (r"\bbecause\s+of\s+" + _AGENTS + r"\b",
     "Say “after” or “since” instead of “because of”: the data show when, not why."),
    (r"\b(?:due\s+to|thanks\s+to|as\s+a\s+result\s+of)\s+" + _AGENTS + r"\b",
     "Say “after” or “since”: the data show what changed and when, not why."),
    (r"\bprov(?:e|es|ed|en|ing)\b|\bproof\b",
     "Data from one classroom suggest; they do not prove. Try “suggests” or “we saw”."),
    (r"\b(?:led|leads|lead)\s+to\b|\bresult(?:ed|s)?\s+in\b",
     "Say what happened after the change, not that the change led to it."),
    (r"\b(?:improved|raised|boosted|increased)\s+(?:student\s+|students'?\s+|their\s+)?"
     r"(?:scores|achievement|learning|results|outcomes)\b(?=[^.]*\b(?:pd|training|workshop|"
     r"coaching|talk\s+moves?|change)\b)",
     "Describe the students' results directly (“scores rose from … to …”) rather than "
     "crediting the change with them."),
    (r"\b(?:works|worked)\b(?=[^.]*\b(?:pd|training|workshop|strategy|approach|change)\b)"
     r"|\b(?:pd|training|workshop|strategy|approach|change)\b[^.]*\bworks?\b",
     "“It works” is a causal verdict; say what you saw for your students."),
]
_COMPILED = [(re.compile(p, re.IGNORECASE), s) for p, s in _PATTERNS]


def causal_claims(text: str) -> list[Claim]:
    """Each distinct wording in ``text`` that claims cause or proof, in order of appearance."""
    found: list[tuple[int, Claim]] = []
    seen: set[str] = set()
    for pattern, suggestion in _COMPILED:
        for match in pattern.finditer(text or ""):
            phrase = " ".join(match.group(0).split())
            if phrase.lower() in seen:
                continue
            seen.add(phrase.lower())
            found.append((match.start(), Claim(phrase, suggestion)))
    return [claim for _, claim in sorted(found, key=lambda pair: pair[0])]


def claims_by_field(fields: dict[str, str]) -> dict[str, list[Claim]]:
    """``causal_claims`` of each field that has any (field name -> its claims)."""
    return {name: claims for name, text in fields.items() if (claims := causal_claims(text))}
