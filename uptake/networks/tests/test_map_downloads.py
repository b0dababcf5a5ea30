"""Downloading the network: the nodes table and the edge list, as CSV and XLSX, for
coordinators and researchers only, each download in the audit log."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from uptake.audit.models import AuditEvent
from uptake.networks.models import Contact
from uptake.networks.tests.examples_map import scene, tie

pytestmark = pytest.mark.django_db
URL = reverse("networks:map_download")


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_edge_list_has_every_tie_flowing_source_to_target(world: Any, login: Any) -> None:
    scene(world)
    response = login(world.people["coordinator"]).get(URL + "?table=edges&format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="network-edges.csv"'
    rows = _csv(response)
    assert rows[0] == ["Source key", "Source", "Target key", "Target", "Relation", "Layer",
                       "Weight", "Observed on"]
    pairs = {(r[1], r[3], r[4], r[6]) for r in rows[1:]}
    assert pairs == {("Asha Patel", "Jamie Nguyen", "advice", "5"),
                     ("Pat Podcast (Teaching Podcast)", "Jamie Nguyen", "information", "3"),
                     ("Cora Coach", "Asha Patel", "advice", "4"),
                     ("Jamie Nguyen", "Miguel Garcia", "collaboration", "2")}
    event = AuditEvent.objects.get(action="network_downloaded")
    assert event.actor == world.people["coordinator"]
    assert event.details["table"] == "edges" and event.details["rows"] == 4


def test_the_nodes_table_follows_the_filters(world: Any, login: Any) -> None:
    scene(world)
    response = login(world.people["researcher"]).get(
        URL + "?table=nodes&format=csv&relation=advice")
    rows = _csv(response)
    assert rows[0][:4] == ["Key", "Name", "School", "Outside the district"]
    by_name = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert "Pat Podcast (Teaching Podcast)" not in by_name  # only in an information tie
    assert by_name["Jamie Nguyen"]["In-degree"] == "1"
    assert by_name["Asha Patel"]["Out-degree"] == "1"
    assert by_name["Cora Coach"]["Formal role"] == "True"


def test_a_name_that_looks_like_a_formula_is_made_safe(world: Any, login: Any) -> None:
    sly = Contact.objects.create(district=world.district, name="=HYPERLINK(\"x\")")
    tie(world, sly, world.people["teacher"])
    client = login(world.people["coordinator"])
    rows = _csv(client.get(URL + "?table=edges&format=csv"))
    assert rows[1][1] == "'=HYPERLINK(\"x\")"
    xlsx = client.get(URL + "?table=nodes&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"x\")" in names


@pytest.mark.parametrize("persona", ["teacher", "coach", "leader", "assessor"])
def test_nobody_else_downloads_the_network(world: Any, login: Any, persona: str) -> None:
    scene(world)
    response = login(world.people[persona]).get(URL + "?table=edges&format=csv")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="network_downloaded").exists()


def test_another_districts_coordinator_downloads_only_her_own(world: Any, login: Any) -> None:
    scene(world)
    rows = _csv(login(world.people["other_coordinator"]).get(URL + "?table=edges&format=csv"))
    assert rows[1:] == []


def test_an_unknown_table_is_not_found(world: Any, login: Any) -> None:
    response = login(world.people["coordinator"]).get(URL + "?table=secrets&format=csv")
    assert response.status_code == 404
