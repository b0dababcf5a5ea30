"""Every district starts with the seven Standards for Professional Learning and a generic
teaching-practice framework: existing ones through the data migration, new ones when
they are created."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from uptake.accounts.models import District
from uptake.learning.actions import do_seed_frameworks
from uptake.learning.models import Framework, FrameworkElement

SEVEN_STANDARDS = ["Learning Communities", "Leadership", "Resources", "Data",
                   "Learning Designs", "Implementation", "Outcomes"]


def _standards(district: Any) -> list[str]:
    return list(FrameworkElement.objects.filter(
        framework__district=district, framework__kind=Framework.Kind.STANDARDS)
        .order_by("order").values_list("title", flat=True))


@pytest.mark.django_db(transaction=True)
def test_it_seeds_the_seven_standards_for_districts_that_existed_before_the_migration(
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("learning", "0001_initial")])
    old_apps = executor.loader.project_state([("learning", "0001_initial")]).apps
    old_district = old_apps.get_model("accounts", "District").objects.create(
        name="Existing District", slug="existing")  # a historical model sends no signal
    assert not Framework.objects.filter(district_id=old_district.pk).exists()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert _standards(old_district.pk) == SEVEN_STANDARDS
    practice = Framework.objects.get(district_id=old_district.pk,
                                     kind=Framework.Kind.PRACTICE)
    domains = practice.elements.filter(parent__isnull=True).order_by("order")
    assert [d.title for d in domains] == ["Planning and Preparation", "Classroom Environment",
                                          "Instruction", "Professional Responsibilities"]
    for domain in domains:
        assert 4 <= domain.children.count() <= 6
    assert all(FrameworkElement.objects.filter(framework__district_id=old_district.pk)
               .exclude(description="").filter(parent__isnull=True)
               .values_list("description", flat=True))


@pytest.mark.django_db
def test_it_seeds_a_new_district_when_it_is_created() -> None:
    district = District.objects.create(name="Brand New", slug="brand-new")
    assert _standards(district) == SEVEN_STANDARDS
    assert all(FrameworkElement.objects.filter(framework__district=district,
                                               framework__kind=Framework.Kind.STANDARDS)
               .values_list("description", flat=True))


@pytest.mark.django_db
def test_it_seeds_districts_the_roster_creates() -> None:
    from uptake.accounts.actions import do_ensure_district

    district = do_ensure_district("seeded-by-roster", name="Seeded by Roster")
    assert _standards(district) == SEVEN_STANDARDS


@pytest.mark.django_db
def test_it_does_not_seed_twice_even_after_a_coordinator_renames_a_framework() -> None:
    district = District.objects.create(name="Brand New", slug="brand-new")
    standards = Framework.objects.get(district=district, kind=Framework.Kind.STANDARDS)
    standards.name = "Our standards"
    standards.save(update_fields=["name"])

    assert do_seed_frameworks(district) == []
    assert Framework.objects.filter(district=district).count() == 2
    assert len(_standards(district)) == 7
