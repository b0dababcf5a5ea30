"""An integration's service account holds roles so that the same rules bound it, but it is
not one of the district's people: not listed, not managed, not counted as a coordinator."""

from __future__ import annotations

from typing import Any

import pytest

from uptake.accounts.actions import AccountRuleError, do_deactivate_person
from uptake.accounts.models import Role
from uptake.api.oauth import create_integration

pytestmark = pytest.mark.django_db


def _integration(world: Any) -> Any:
    create_integration(world.people["coordinator"], name="Warehouse sync",
                       role=Role.COORDINATOR, scopes=["roster:read"])
    from uptake.api.models import Integration

    return Integration.objects.get().service_account


def test_an_integration_cannot_remove_the_last_human_coordinator(world: Any) -> None:
    machine = _integration(world)
    with pytest.raises(AccountRuleError, match="last coordinator"):
        do_deactivate_person(actor=machine, person=world.people["coordinator"])
    world.people["coordinator"].refresh_from_db()
    assert world.people["coordinator"].is_active


def test_the_people_page_and_api_leave_service_accounts_out(world: Any, login: Any,
                                                            api: Any) -> None:
    machine = _integration(world)
    page = login(world.people["coordinator"]).get("/people/?status=all")
    assert page.status_code == 200 and machine.email not in page.content.decode()
    assert login(world.people["coordinator"]).get(f"/people/{machine.pk}/").status_code == 404
    listed = api(world.people["coordinator"]).get("/people", {"status": "all"}).json()
    assert machine.pk not in [p["id"] for p in listed["results"]]
    assert api(world.people["coordinator"]).get(f"/people/{machine.pk}").status_code == 404
