from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from uptake import registry
from uptake.accounts.models import Role


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str
    current: bool


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": frozenset(), "Role": Role, "menu": []}
    held = frozenset(user.role_set())
    return {"user_roles": held, "Role": Role, "menu": menu_for(request, held)}


def menu_for(request: HttpRequest, held: frozenset[str], *, under: str = "") -> list[MenuLink]:
    """The main navigation: the entries the apps registered (uptake/registry.py ``menu``)
    that this person's roles are shown, the page she is on marked; with ``under``, the
    entries listed on that entry's page instead."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    app_name = match.app_name if match else ""
    entries = [entry for entry in registry.menu
               if entry.under == under and entry.shown_to(held)]
    # An entry naming this very page (Teams, inside the inquiry app) wins over the entry
    # that claims the whole app, so that one link only is marked.
    exact = any(not e.current_app and view_name == (e.current_url or e.url_name)
                for e in entries)
    links = []
    for entry in entries:
        if entry.current_app:
            current = app_name == entry.current_app and not exact
        else:
            current = view_name == (entry.current_url or entry.url_name)
        links.append(MenuLink(entry.label, reverse(entry.url_name), current))
    return links
