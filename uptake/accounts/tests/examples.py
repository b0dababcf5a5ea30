"""The accounts app's URLs for the access matrix and the access-lapse walk
(tests/test_access_matrix.py, tests/test_access_lapses.py)."""

from __future__ import annotations

from typing import Any


def _district_sign_in(w: Any) -> dict[str, Any]:
    """Maple Valley signs in with SAML (no IdP is fetched to set it up from XML)."""
    from uptake.accounts.models import SignInMethod

    SignInMethod.objects.get_or_create(district=w.district, defaults={
        "kind": SignInMethod.Kind.SAML, "domains": "maple.test",
        "saml_entity_id": "https://idp.maple.test/", "saml_sso_url": "https://idp.maple.test/sso",
        "saml_x509cert": "MIIB"})
    return {"district_slug": w.district.slug}


EVERYONE = {"anonymous", "teacher", "colleague", "outsider", "coach", "assessor", "leader",
            "coordinator", "researcher", "other_coordinator"}

URL_EXAMPLES = {
    # A district's "Sign in with …" page is public: it is where its people start.
    "sso_start": (_district_sign_in, EVERYONE),
}

LAPSE_EXAMPLES = {
    # A district's sign-in page names no object anybody holds.
    "not_objects": {frozenset({"district_slug"})},
}


# ------------------------------------------------------- the API (district, schools, people)

def _person(persona: str) -> Any:
    return lambda w: {"person_id": w.people[persona].pk}


def _a_role_to_revoke(w: Any) -> dict[str, Any]:
    """Asha also coaches at Birch; the coordinator may take that role back."""
    from uptake.accounts.models import Role, RoleAssignment

    role, _ = RoleAssignment.objects.get_or_create(
        user=w.people["colleague"], district=w.district, school=w.birch, role=Role.COACH)
    return {"person_id": w.people["colleague"].pk, "role_id": role.pk}


# A new address for every request (the matrix sends a write once per allowed persona).
_addresses = iter(range(1_000_000))


COORDINATOR = {"coordinator"}
COORDINATORS = {"coordinator", "other_coordinator"}

API_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "GET /api/v1/districts": [
        {"label": "her own district", "params": lambda w: {}, "allowed": COORDINATORS},
    ],
    "GET /api/v1/districts/{district_id}": [
        {"label": "Maple Valley", "params": lambda w: {"district_id": w.district.pk},
         "allowed": COORDINATOR},
    ],
    "GET /api/v1/schools": [
        # A coordinator's district's schools; a coach's or leader's own (home page).
        {"label": "the schools one may list", "params": lambda w: {},
         "allowed": COORDINATORS | {"coach", "leader"}},
    ],
    "GET /api/v1/schools/{school_id}": [
        {"label": "Cedar", "params": lambda w: {"school_id": w.cedar.pk},
         "allowed": {"coordinator", "coach", "leader"}},
        {"label": "Birch", "params": lambda w: {"school_id": w.birch.pk},
         "allowed": COORDINATOR},
    ],
    "GET /api/v1/people": [
        {"label": "her district's people", "params": lambda w: {},
         "allowed": COORDINATORS},
    ],
    "POST /api/v1/people": [
        # Into her own district: a district-wide role names no school of anyone's.
        {"label": "a new researcher", "params": lambda w: {},
         "body": lambda w, params: {"first_name": "Noor", "last_name": "Haddad",
                                    "email": f"noor{next(_addresses)}@maple.test",
                                    "role": "researcher", "school_id": None},
         "allowed": COORDINATORS},
    ],
    "GET /api/v1/people/{person_id}": [
        {"label": "Jamie", "params": _person("teacher"), "allowed": COORDINATOR},
    ],
    "POST /api/v1/people/{person_id}/roles": [
        {"label": "Asha becomes Cedar's coach", "params": _person("colleague"),
         "body": lambda w, params: {"role": "coach", "school_id": w.cedar.pk},
         "allowed": COORDINATOR},
    ],
    "DELETE /api/v1/people/{person_id}/roles/{role_id}": [
        {"label": "Asha's coaching at Birch", "params": _a_role_to_revoke,
         "allowed": COORDINATOR},
    ],
    "POST /api/v1/people/{person_id}/deactivate": [
        {"label": "Asha", "params": _person("colleague"), "allowed": COORDINATOR},
    ],
    "POST /api/v1/people/{person_id}/reactivate": [
        {"label": "Asha", "params": _person("colleague"), "allowed": COORDINATOR},
    ],
}
