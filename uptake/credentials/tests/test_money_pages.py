"""The money pages: what a coordinator reads on the stipend ledger and the district totals,
what an educator reads on her transcript, and who reaches them (another's transcript is
the same 404 as a missing person; access ends with the role, the account, or the educator
leaving the district)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from uptake.credentials.tests import money_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world: Any) -> Any:
    return money_scenario.build(world)


def _text(response: Any) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_ledger_totals_each_school_and_month(scene: Any, login: Any) -> None:
    page = _text(login(scene.people["coordinator"]).get(reverse("credentials:stipends")))
    assert "3 stipends, $225.00" in page
    assert "Birch Middle 1 $75.00 Cedar Elementary 2 $150.00 Total 3 $225.00" in page
    assert "November 2026 1 $75.00 October 2026 2 $150.00 Total 3 $225.00" in page
    assert "Asha Patel" in page and "Miguel Garcia" in page


def test_the_ledger_filters_by_month_and_school(scene: Any, login: Any) -> None:
    client = login(scene.people["coordinator"])
    page = _text(client.get(reverse("credentials:stipends"),
                            {"month": "2026-10", "school": scene.cedar.pk}))
    assert "1 stipend, $75.00 for 2026-10, Cedar Elementary" in page
    assert "Jamie Nguyen" in page and "Miguel Garcia" not in page
    link = reverse("credentials:stipends_csv") + f"?month=2026-10&amp;school={scene.cedar.pk}"
    assert link in client.get(reverse("credentials:stipends"),
                              {"month": "2026-10", "school": scene.cedar.pk}
                              ).content.decode()


def test_a_bad_filter_says_what_is_wrong_and_shows_nothing(scene: Any, login: Any) -> None:
    response = login(scene.people["coordinator"]).get(
        reverse("credentials:stipends"), {"month": "2026-10", "year": "2025"})
    assert response.status_code == 400
    page = _text(response)
    assert "October 2026 is not in the school year 2025-26: choose a month of that year" \
        in page
    assert "Download for payroll" not in page


def test_the_district_totals_count_credit_money_and_work_in_flight(
        scene: Any, login: Any) -> None:
    client = login(scene.people["coordinator"])
    page = _text(client.get(reverse("credentials:totals")))
    assert "0 credentials earned 3 tiers awarded 3 educators awarded a tier $225.00 in " \
           "stipends 1.5 CEUs awarded" in page
    assert "Academic conversations 0 3" in page
    assert "Waiting for an assessor 0 Being reviewed 0 Returned with feedback 0 Total 0" \
        in page
    assert "Birch Middle 1 $75.00 Cedar Elementary 2 $150.00" in page
    last_year = _text(client.get(reverse("credentials:totals"), {"year": "2025"}))
    assert "School year 2025-26" in last_year and "0 tiers awarded" in last_year


def test_her_transcript_page_says_her_credit_and_the_rule(scene: Any, login: Any) -> None:
    jamie = scene.people["teacher"]
    page = _text(login(jamie).get(reverse("credentials:transcript", args=[jamie.pk]),
                                  {"start_year": "2026", "end_year": "2026"}))
    assert "Your CEU transcript" in page
    assert "1.25 CEUs in all" in page and "0.5 from 1 micro-credential tier" in page
    assert "0.75 from 7.5 hours of logged learning" in page
    assert "10 contact hours = 1 CEU" in page
    assert "2 hours from 1 source: Professional-network and social-media threads are " \
           "not accepted for CEUs." in page
    assert money_scenario.THREAD not in page


def test_a_coordinator_finds_an_educator_and_opens_her_transcript(
        scene: Any, login: Any) -> None:
    client = login(scene.people["coordinator"])
    page = client.get(reverse("credentials:transcripts"), {"q": "nguyen"}).content.decode()
    assert reverse("credentials:transcript", args=[scene.people["teacher"].pk]) in page
    assert "Asha" not in page
    other = _text(client.get(reverse("credentials:transcript",
                                     args=[scene.people["teacher"].pk])))
    assert "CEU transcript of Jamie Nguyen" in other and "1.25 CEUs in all" not in other
    assert "1.44 CEUs in all" not in other  # all years at 10 hours: 0.5 + 0.75 + 0.2
    assert "1.45 CEUs in all" in other


@pytest.mark.parametrize("persona", ["colleague", "coach", "leader", "assessor",
                                     "researcher", "other_coordinator"])
def test_nobody_else_reads_her_transcript(scene: Any, login: Any, persona: str) -> None:
    jamie = scene.people["teacher"]
    client = login(scene.people[persona])
    for name in ("credentials:transcript", "credentials:transcript_csv",
                 "credentials:transcript_pdf"):
        assert client.get(reverse(name, args=[jamie.pk])).status_code == 404
        assert client.get(reverse(name, args=[99999])).status_code == 404


def test_a_coordinator_who_loses_the_role_loses_every_money_page(
        scene: Any, login: Any) -> None:
    from uptake.accounts.models import RoleAssignment

    renata, jamie = scene.people["coordinator"], scene.people["teacher"]
    client = login(renata)
    urls = [reverse(n) for n in ("credentials:stipends", "credentials:stipends_csv",
                                 "credentials:totals", "credentials:transcripts")]
    urls += [reverse(n, args=[jamie.pk]) for n in (
        "credentials:transcript", "credentials:transcript_csv", "credentials:transcript_pdf")]
    assert [client.get(u).status_code for u in urls] == [200] * len(urls)
    RoleAssignment.objects.filter(user=renata).delete()
    assert [client.get(u).status_code for u in urls] == [404] * len(urls)


def test_an_educator_who_leaves_the_district_leaves_its_coordinators_reach(
        scene: Any, login: Any) -> None:
    jamie = scene.people["teacher"]
    client = login(scene.people["coordinator"])
    url = reverse("credentials:transcript", args=[jamie.pk])
    assert client.get(url).status_code == 200
    jamie.district = scene.other_district
    jamie.save(update_fields=["district"])
    assert client.get(url).status_code == 404
    assert login(scene.people["other_coordinator"]).get(url).status_code == 200


def test_a_deactivated_account_is_sent_to_sign_in(scene: Any, login: Any) -> None:
    jamie = scene.people["teacher"]
    client = login(jamie)
    url = reverse("credentials:transcript", args=[jamie.pk])
    assert client.get(url).status_code == 200
    jamie.is_active = False
    jamie.save(update_fields=["is_active"])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
