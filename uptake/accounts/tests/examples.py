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
