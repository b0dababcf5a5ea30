"""A teacher names her own ties on the pages; she never sees another's; a coordinator keeps
the district's relations and contacts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from uptake.audit.models import AuditEvent
from uptake.networks.actions.ties import (
    ContactData,
    NamedTieData,
    do_add_contact,
    do_add_relation,
    do_name_tie,
)
from uptake.networks.models import Contact, Relation, Tie

pytestmark = pytest.mark.django_db


def _name(client: Any, **data: str) -> Any:
    return client.post(reverse("networks:tie_new"), {"direction": "from",
                                                     "relation": "advice",
                                                     "frequency": "weekly", **data})


def test_she_names_a_colleague_she_learns_from_stored_as_the_colleague_to_her(
        world: Any, login: Any) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    response = _name(login(jamie), person=str(asha.pk), note="Asks good questions")
    assert response.status_code == 302
    tie = Tie.objects.get()
    assert (tie.source_person, tie.target_person) == (asha, jamie)
    assert (tie.origin, tie.reported_by, tie.weight, tie.frequency) == (
        "reported", jamie, 3, "Weekly")
    page = login(jamie).get(reverse("networks:ties")).content.decode()
    assert "Asha Patel" in page and "Asks good questions" in page
    assert AuditEvent.objects.filter(action="network_tie_named", actor=jamie).exists()


def test_she_names_someone_new_outside_the_district_who_learns_from_her(
        world: Any, login: Any) -> None:
    jamie = world.people["teacher"]
    response = _name(login(jamie), direction="to", frequency="yearly",
                     contact_name="#ElemMathChat", contact_kind="community",
                     contact_platform="Bluesky")
    assert response.status_code == 302
    tie = Tie.objects.get()
    assert tie.source_person == jamie and str(tie.target_contact) == "#ElemMathChat (Bluesky)"
    assert tie.target_contact is not None and tie.target_contact.kind == "community"
    assert tie.weight == 1


def test_a_colleague_elsewhere_is_named_by_email_and_an_unknown_address_gets_one_answer(
        world: Any, login: Any) -> None:
    jamie, miguel = world.people["teacher"], world.people["outsider"]
    assert _name(login(jamie), email="MIGUEL@maple.test").status_code == 302
    assert Tie.objects.get().source_person == miguel
    for address in ("olive@oak.test", "nobody@maple.test"):
        response = _name(login(jamie), email=address, relation="information")
        assert response.status_code == 400
        assert "We cannot name a tie to that address" in response.content.decode()
    assert Tie.objects.count() == 1


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Choose one person"),
    ({"person": "ME", "email": "asha@maple.test"}, "Choose one person"),
    ({"person": "ME"}, "Select a valid choice"),
    ({"contact_name": "Pat", "frequency": "hourly"}, "Select a valid choice"),
    ({"contact_name": "Pat", "relation": "coaching"}, "Select a valid choice"),
])
def test_it_refuses_a_tie_it_cannot_use_and_saves_nothing(
        world: Any, login: Any, data: dict[str, str], message: str) -> None:
    jamie = world.people["teacher"]
    data = {k: (str(jamie.pk) if v == "ME" else v) for k, v in data.items()}
    response = _name(login(jamie), **data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Tie.objects.exists() and not Contact.objects.exists()


def test_a_tie_refused_to_someone_new_leaves_no_contact_and_no_audit_event(
        world: Any, login: Any) -> None:
    jamie = world.people["teacher"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = _name(login(jamie), contact_name="Pat Lee", contact_kind="person",
                     contact_platform="Bluesky", observed_on=tomorrow)
    assert response.status_code == 400
    assert "not one to come" in response.content.decode()
    assert not Tie.objects.exists() and not Contact.objects.exists()
    assert not AuditEvent.objects.filter(action="network_contact_added").exists()


def test_the_form_offers_only_the_contacts_she_added_or_named(
        world: Any, login: Any) -> None:
    jamie = world.people["teacher"]
    do_add_contact(world.people["coach"], ContactData("Coach's Podcast", "community", "Web"))
    _name(login(jamie), contact_name="Dr. Liu", contact_kind="person",
          contact_platform="Bluesky")
    form = login(jamie).get(reverse("networks:tie_new")).content.decode()
    assert "Dr. Liu" in form and "Coach&#x27;s Podcast" not in form
    assert "Coach's Podcast" not in form
    # Typing the same name and platform matches the coach's contact silently.
    assert _name(login(jamie), relation="information", contact_name="coach's podcast",
                 contact_kind="community", contact_platform="web").status_code == 302
    assert Contact.objects.count() == 2


def test_naming_the_same_tie_twice_is_refused(world: Any, login: Any) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    _name(login(jamie), person=str(asha.pk))
    response = _name(login(jamie), person=str(asha.pk), frequency="daily")
    assert response.status_code == 400
    assert "You already named this tie" in response.content.decode()
    assert Tie.objects.get().weight == 3


def test_she_removes_a_tie_she_named(world: Any, login: Any) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    _name(login(jamie), person=str(asha.pk))
    tie = Tie.objects.get()
    url = reverse("networks:tie_remove", args=[tie.pk])
    assert "Remove this tie?" in login(jamie).get(url).content.decode()
    assert login(jamie).post(url).status_code == 302
    assert not Tie.objects.exists()
    assert AuditEvent.objects.filter(action="network_tie_removed").exists()


def test_a_teacher_never_sees_nor_removes_a_tie_another_named(world: Any, login: Any) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    tie = do_name_tie(asha, NamedTieData(direction="from", relation="advice",
                                         frequency="daily", person=jamie,
                                         note="Private note of Asha's"))
    # Asha named Jamie as someone she learns from: a tie with Jamie at one end.
    page = login(jamie).get(reverse("networks:ties")).content.decode()
    assert "Asha" not in page and "Private note" not in page
    for url in (reverse("networks:tie_remove", args=[tie.pk]),):
        assert login(jamie).get(url).status_code == 404
        assert login(jamie).post(url).status_code == 404
    assert Tie.objects.filter(pk=tie.pk).exists()


def test_a_coordinator_adds_renames_and_deletes_a_relation(world: Any, login: Any) -> None:
    renata = world.people["coordinator"]
    client = login(renata)
    response = client.post(reverse("networks:relations"),
                           {"label": "Assessment advice",
                            "question": "Whom do you go to about assessment?"})
    assert response.status_code == 302
    relation = Relation.objects.get()
    assert relation.key == "assessment_advice"
    client.post(reverse("networks:relation_edit", args=[relation.pk]),
                {"label": "Advice on assessment", "question": ""})
    relation.refresh_from_db()
    assert (relation.key, relation.label) == ("assessment_advice", "Advice on assessment")
    assert client.post(reverse("networks:relation_delete", args=[relation.pk])).status_code \
        == 302
    assert not Relation.objects.exists()
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="network_rel")
            .order_by("pk")] == ["network_relation_added", "network_relation_changed",
                                 "network_relation_deleted"]


def test_a_relation_in_use_cannot_be_deleted_and_the_page_says_how_many_ties(
        world: Any, login: Any) -> None:
    renata = world.people["coordinator"]
    relation = do_add_relation(renata, label="Assessment advice")
    for person in ("colleague", "outsider"):
        do_name_tie(world.people[person], NamedTieData(
            direction="from", relation=relation.key, frequency="monthly",
            person=world.people["teacher"]))
    url = reverse("networks:relation_delete", args=[relation.pk])
    assert "2 ties carry this relation" in login(renata).get(url).content.decode()
    response = login(renata).post(url, follow=True)
    assert "2 ties carry the relation “Assessment advice”" in response.content.decode()
    assert Relation.objects.filter(pk=relation.pk).exists()


def test_a_relation_named_like_a_built_in_one_is_refused(world: Any, login: Any) -> None:
    response = login(world.people["coordinator"]).post(reverse("networks:relations"),
                                                        {"label": "advice"})
    assert response.status_code == 400
    assert "already has a relation called" in response.content.decode()


def test_the_contacts_page_comes_in_pages_with_each_contacts_tie_counts(
        world: Any, login: Any) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    liu = do_add_contact(jamie, ContactData("Aaa Liu", "person", "Bluesky"))
    for who, way, relation in ((jamie, "from", "advice"), (asha, "from", "advice"),
                               (jamie, "to", "advice"), (jamie, "from", "information")):
        do_name_tie(who, NamedTieData(direction=way, relation=relation, frequency="weekly",
                                      contact=liu))
    Contact.objects.bulk_create([Contact(district=world.district, name=f"Zed {n:02d}")
                                 for n in range(50)])
    client = login(world.people["coordinator"])
    first = client.get(reverse("networks:contacts")).content.decode()
    # Three ties from Dr. Liu (to Jamie twice, to Asha), one to her.
    assert '<th scope="row" class="break-anywhere">Aaa Liu</th>' in first
    assert '<td class="num">3</td>\n    <td class="num">1</td>' in first
    assert "Page 1 of 2" in first and "Zed 48" in first and "Zed 49" not in first
    second = client.get(reverse("networks:contacts") + "?page=2").content.decode()
    assert "Zed 49" in second and "Aaa Liu" not in second


def test_deleting_a_contact_says_how_many_ties_go_with_it(world: Any, login: Any) -> None:
    renata, jamie = world.people["coordinator"], world.people["teacher"]
    contact = do_add_contact(jamie, ContactData("Dr. Liu", "person", "Bluesky"))
    do_name_tie(jamie, NamedTieData(direction="from", relation="advice", frequency="weekly",
                                    contact=contact))
    url = reverse("networks:contact_delete", args=[contact.pk])
    assert "1 tie goes with it" in login(renata).get(url).content.decode()
    response = login(renata).post(url, follow=True)
    assert "Contact deleted, with 1 tie." in response.content.decode()
    assert not Tie.objects.exists() and not Contact.objects.exists()
    event = AuditEvent.objects.get(action="network_contact_deleted")
    assert event.details["ties"] == 1


def test_merging_two_records_of_one_contact_keeps_their_ties(world: Any, login: Any) -> None:
    renata, jamie, asha = (world.people[p] for p in ("coordinator", "teacher", "colleague"))
    keep = do_add_contact(jamie, ContactData("Dr. Liu", "person", "Bluesky"))
    gone = do_add_contact(asha, ContactData("Dr Liu", "person", "Bluesky"))
    do_name_tie(jamie, NamedTieData(direction="from", relation="advice", frequency="weekly",
                                    contact=keep))
    do_name_tie(asha, NamedTieData(direction="from", relation="advice", frequency="daily",
                                   contact=gone))
    response = login(renata).post(reverse("networks:contact_merge", args=[keep.pk]),
                                  {"other": gone.pk})
    assert response.status_code == 302
    assert list(Contact.objects.all()) == [keep]
    assert set(Tie.objects.values_list("source_contact", flat=True)) == {keep.pk}


def test_renaming_a_contact_onto_another_is_refused_with_the_way_out(
        world: Any, login: Any) -> None:
    renata, jamie = world.people["coordinator"], world.people["teacher"]
    do_add_contact(jamie, ContactData("Dr. Liu", "person", "Bluesky"))
    other = do_add_contact(jamie, ContactData("Liu", "person", "Bluesky"))
    response = login(renata).post(reverse("networks:contact_edit", args=[other.pk]),
                                  {"name": "dr. liu", "kind": "person",
                                   "platform": "bluesky"})
    assert response.status_code == 400
    assert "merge the two instead" in response.content.decode()


def test_a_teacher_adding_a_contact_already_there_reuses_it(world: Any) -> None:
    jamie, asha = world.people["teacher"], world.people["colleague"]
    first = do_add_contact(jamie, ContactData("Dr. Liu", "person", "Bluesky"))
    assert do_add_contact(asha, ContactData("  dr.  liu ", "person", "BLUESKY")) == first
    assert Contact.objects.count() == 1
