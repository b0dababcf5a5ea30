"""The demo district's Open Badges: every award issued, the demo teacher's shared on its
public page, another educator's revoked with its reason, so a verifier sees both."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from uptake.accounts.models import District
from uptake.badges.models import Badge, IssueProblem
from uptake.credentials.models import Award
from uptake.demo.actions import DEMO_SLUG, _demo_teacher_and_class
from uptake.demo.badges import REVOKED_REASON
from uptake.demo.credentials import SOCIAL, TALK
from uptake.openbadges import status

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_shared_badge_and_a_revoked_one(client: Any) -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    district = District.objects.get(slug=DEMO_SLUG)
    found = _demo_teacher_and_class(district)
    assert found is not None
    teacher = found[0]

    awards = Award.objects.filter(district=district)
    assert awards.count() >= 2
    assert not awards.filter(badge__isnull=True).exists()
    assert not IssueProblem.objects.filter(award__district=district).exists()

    hers = Badge.objects.get(award__educator=teacher)
    assert hers.award.version.title == TALK
    assert hers.shared_at is not None and not hers.is_revoked
    page = client.get(f"/badges/{hers.uuid}/")
    assert page.status_code == 200

    revoked = Badge.objects.get(award__district=district, revoked_at__isnull=False)
    assert revoked.award.educator != teacher and revoked.award.version.title == SOCIAL
    assert revoked.revoked_reason == REVOKED_REASON
    served = client.get(f"/issuers/{revoked.issuer.uuid}/status/{revoked.status_list.number}")
    bits = status.decode(json.loads(served.content)["credentialSubject"]["encodedList"])
    assert status.get(bits, revoked.status_index)
    assert not status.get(bits, hers.status_index)

    said = out.getvalue()
    assert f"/badges/{hers.uuid}/" in said and str(revoked.uuid) in said

    # Loading again adds nothing and keeps both outcomes.
    before = list(Badge.objects.order_by("pk").values_list("pk", "shared_at", "revoked_at"))
    call_command("demo", stdout=StringIO())
    assert list(Badge.objects.order_by("pk").values_list("pk", "shared_at", "revoked_at")
                ) == before
