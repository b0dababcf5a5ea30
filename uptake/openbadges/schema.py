"""Validation against 1EdTech's official JSON Schema for an AchievementCredential
(Open Badges 3.0, draft 2019-09), bundled in ``data/schemas``."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft201909Validator, FormatChecker

from uptake.openbadges.jsonld import DATA

ACHIEVEMENT_CREDENTIAL = "ob_v3p0_achievementcredential_schema.json"
OFFICIAL_URL = ("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
                "ob_v3p0_achievementcredential_schema.json")
CREDENTIAL_SCHEMA = {"id": OFFICIAL_URL, "type": "1EdTechJsonSchemaValidator2019"}


@cache
def _validator(name: str) -> Draft201909Validator:
    schema = json.loads((DATA / "schemas" / name).read_text(encoding="utf-8"))
    return Draft201909Validator(schema, format_checker=FormatChecker())


def problems(document: Any, name: str = ACHIEVEMENT_CREDENTIAL) -> list[str]:
    """One sentence per schema violation, naming where in the document it is."""
    found = []
    for error in sorted(_validator(name).iter_errors(document), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(the document)"
        found.append(f"{where}: {error.message}")
    return found
