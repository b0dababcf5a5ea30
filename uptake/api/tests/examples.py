"""The token and integration pages for the access matrix and the access-lapse walk
(tests/test_access_matrix.py, tests/test_access_lapses.py)."""

from __future__ import annotations

from typing import Any


def teacher_token(w: Any) -> Any:
    """A live token of Jamie's (Maple Valley)."""
    from uptake.api.actions import create_token

    return create_token(w.people["teacher"], name="Gradebook sync",
                        scopes=["inquiry:read"]).token


def maple_integration(w: Any) -> Any:
    """An integration of Maple Valley, registered by its coordinator."""
    from uptake.api.oauth import create_integration

    return create_integration(w.people["coordinator"], name="SIS roster sync",
                              role="coordinator", scopes=["roster:read"]).integration


def _token(w: Any) -> dict[str, Any]:
    return {"token_id": teacher_token(w).pk}


def _integration(w: Any) -> dict[str, Any]:
    return {"integration_id": maple_integration(w).pk}


URL_EXAMPLES = {
    # The page of a token just made: its owner only (the secret is hers, and once).
    "api_tokens:token_made": (_token, {"teacher"}),
    # Revoking: the owner, and a coordinator of her district (never another district's).
    "api_tokens:token_revoke": (_token, {"teacher", "coordinator"}),
    "api_tokens:integration": (_integration, {"coordinator"}),
    "api_tokens:integration_rotate": (_integration, {"coordinator"}),
    "api_tokens:integration_revoke": (_integration, {"coordinator"}),
}

LAPSE_EXAMPLES = {
    # A token is its owner's for as long as she has an account (a deactivated account's
    # tokens open nothing: uptake/api/auth.py); an integration is the district's, reached
    # through the coordinator role (uptake/api/tests/test_tokens_pages.py walks the lapse).
    "not_objects": {frozenset({"token_id"}), frozenset({"integration_id"})},
}
