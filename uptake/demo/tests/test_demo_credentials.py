"""The demo district's micro-credentials: work in every state, a credential earned with its
stipends and CEUs, a second reader, a version 2 beside work on version 1, a draft, and an
assessor whose queue holds work."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from uptake.accounts.models import District, User
from uptake.credentials.access import open_reviews
from uptake.credentials.credit import transcript
from uptake.credentials.models import Award, Review, StipendEntry, Submission, Version
from uptake.demo.actions import DEMO_SLUG, _demo_teacher_and_class
from uptake.demo.credentials import DATA, DRAFT, SOCIAL, TALK

pytestmark = pytest.mark.django_db


def test_the_demo_has_credentials_and_work_in_every_state() -> None:
    call_command("demo", stdout=StringIO())
    district = District.objects.get(slug=DEMO_SLUG)
    found = _demo_teacher_and_class(district)
    assert found is not None
    teacher = found[0]
    work = Submission.objects.filter(district=district)
    assert set(work.values_list("state", flat=True)) == set(Submission.State.values)

    # The three presets, version 2 of the four-tier one, and a draft.
    versions = {(v.title, v.number): v.status for v in
                Version.objects.filter(credential__district=district)}
    assert versions[(TALK, 1)] == "superseded" and versions[(TALK, 2)] == "published"
    assert versions[(DATA, 1)] == versions[(SOCIAL, 1)] == "published"
    assert versions[(DRAFT, 1)] == "draft"
    presets = set(Version.objects.filter(credential__district=district)
                  .values_list("preset", flat=True))
    assert {"four_tier", "data_use", "social_media"} <= presets
    # Her work stays on version 1; a newcomer's draft is on version 2.
    assert not work.filter(educator=teacher, tier__version__title=TALK,
                           tier__version__number=2).exists()
    assert work.filter(tier__version__title=TALK, tier__version__number=2,
                       state="draft").exists()

    # She earned the whole credential: every tier awarded, an award, the ledger, CEUs.
    award = Award.objects.get(educator=teacher)
    assert award.version.title == TALK and award.version.number == 1
    tiers = award.version.tiers.count()
    assert work.filter(educator=teacher, tier__version=award.version,
                       state="awarded").count() == tiers == 4
    assert StipendEntry.objects.filter(educator=teacher).count() >= tiers
    sheet = transcript(teacher)
    assert len(sheet.tiers) >= tiers and sheet.total_ceus > 0 and sheet.learning

    # Returned with feedback, then resubmitted (round 2 open); the impact tier rests on
    # her measure's verdict as her data gives it.
    again = work.get(tier__version__title=TALK, tier__kind="learning", state="in_review")
    assert [r.outcome for r in again.rounds.all()] == ["returned", ""]
    impact = work.get(educator=teacher, tier__version=award.version, tier__kind="impact")
    rows = impact.rounds.get().impact
    assert rows and {r["verdict"] for r in rows} & {"sustained_improvement"}
    assert work.filter(state="returned").exclude(rounds__feedback="").exists()

    # A second reader read the SMART goal with the first.
    readers = set(Review.objects.filter(round__submission__tier__version__title=DATA)
                  .values_list("reader", flat=True))
    assert "second" in readers

    # The demo assessor's home opens on her queue; the coordinators have work to assign.
    alex = User.objects.get(email="assessor@maple-valley.example.org")
    assert open_reviews(alex).exists()
    assert work.get(state="submitted").tier.version.title == SOCIAL


def test_loading_the_demo_again_adds_no_credential_work() -> None:
    call_command("demo", stdout=StringIO())
    before = (Submission.objects.count(), Version.objects.count(), Review.objects.count(),
              StipendEntry.objects.count())
    call_command("demo", stdout=StringIO())
    assert (Submission.objects.count(), Version.objects.count(), Review.objects.count(),
            StipendEntry.objects.count()) == before
