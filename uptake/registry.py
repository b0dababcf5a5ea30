"""Where a low place shows something that belongs to a higher app.

Dependencies point downhill (docs/architecture.md): the menu, the home page, the audit log,
"what deleting this takes with it", and the study page are low places that
must show things from apps above them. They never import those apps; each app registers what
it brings in its ``AppConfig.ready()`` and the low place iterates the registry::

    class CredentialsConfig(AppConfig):
        def ready(self) -> None:
            registry.menu.add(registry.MenuEntry(
                key="credentials", label="Credentials", url_name="credentials:list",
                order=60, shown_to=registry.any_of("teacher", "assessor")))
            registry.audit_kinds.add(registry.AuditKind("credential_issued",
                                                        "Credential issued"))

This module imports nothing of Uptake's apps, so every app may import it. Entries are keyed:
registering the same key again replaces the entry (``ready()`` may run again in tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def order(self) -> int: ...


class Registry[T: _Keyed]:
    """Entries registered by the apps, iterated in ``order`` (then key)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, T] = {}

    def add(self, entry: T) -> T:
        self._entries[entry.key] = entry
        return entry

    def remove(self, key: str) -> None:
        self._entries.pop(key, None)

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[T]:
        return iter(sorted(self._entries.values(), key=lambda e: (e.order, e.key)))

    def __len__(self) -> int:
        return len(self._entries)


def any_of(*roles: str, unless: tuple[str, ...] = ()) -> Callable[[frozenset[str]], bool]:
    """A ``shown_to`` test: the person holds at least one of these roles, and none of
    ``unless`` (whose holders have an entry of their own in that place).

    >>> any_of("coach", "coordinator", unless=("teacher",))(frozenset({"coach", "teacher"}))
    False
    """
    wanted, others = frozenset(roles), frozenset(unless)
    return lambda held: bool(held & wanted) and not held & others


# ---------------------------------------------------------------------------- the menu

@dataclass(frozen=True)
class MenuEntry:
    """One link of the main navigation.

    ``shown_to`` gets the set of roles the person holds (empty for someone with no role).
    The entry is marked as the current page when the URL's namespace is ``current_app``, or,
    when that is empty, when the URL's name is ``current_url`` (default: ``url_name`` without
    its namespace).
    """

    key: str
    label: str
    url_name: str
    order: int
    shown_to: Callable[[frozenset[str]], bool]
    current_app: str = ""
    current_url: str = ""
    # The key of the entry whose page lists this one instead of the main row (the
    # district view's pages: surveys, spending, make your case), so that the header keeps
    # one row of entries at 1280 px; "" for the main row.
    under: str = ""


# ------------------------------------------------------------------------ the home page

@dataclass(frozen=True)
class HomePanel:
    """A section of the home page: ``context(user)`` returns the template's context, or
    None when the panel has nothing for this person (it is then left out)."""

    key: str
    template: str
    order: int
    context: Callable[[Any], dict[str, Any] | None]


# --------------------------------------------------------------------------- the audit log

@dataclass(frozen=True)
class AuditKind:
    """An action the audit log accepts, with the label people read in the log."""

    key: str
    label: str
    order: int = 0


# ----------------------------------------------------------------------- deletion impacts

@dataclass(frozen=True)
class DeletionImpact:
    """What deleting an inquiry, measure or occasion (``of``) takes with it in another app.

    ``count(obj)`` counts it. ``goes`` says whether those objects are deleted (True) or stay
    with their link cut (False). ``label`` is a plural noun phrase for the confirmation page
    ("badge claims citing it"). ``name`` is unique among the impacts of one ``of``.
    """

    name: str
    of: str  # "inquiry", "measure" or "occasion"
    label: str
    count: Callable[[Any], int]
    goes: bool = True
    order: int = 0

    @property
    def key(self) -> str:
        return f"{self.of}.{self.name}"


# ------------------------------------------------------------------------ the study page

@dataclass(frozen=True)
class StudyEvents:
    """Dated events an app adds to an inquiry's study charts: ``events(inquiry)`` returns
    objects with ``learned_on`` (a date) and ``mark`` (the label on the chart)."""

    key: str
    events: Callable[[Any], list[Any]]
    order: int = 0


# ------------------------------------------------------------------------ the inquiry page

@dataclass(frozen=True)
class InquirySection:
    """A section another app adds to an inquiry's page (its evidence, the plan goals it
    pursues): ``context(inquiry, reader)`` returns what the template shows this reader, or
    None to leave the section out. The app applies its own access rules inside it."""

    key: str
    template: str
    order: int
    context: Callable[[Any, Any], dict[str, Any] | None]


# ------------------------------------------------------------------- the evidence ladder

@dataclass(frozen=True)
class EvidenceKind:
    """A kind of evidence an app holds about an inquiry, at one of Guskey's five levels of
    professional-learning evaluation (1 reactions, 2 participants' learning, 3 organisation
    support and change, 4 use of new knowledge and skills, 5 student learning outcomes).

    ``count(inquiry)`` counts the inquiry's pieces of it; ``label`` is a plural noun phrase
    ("peer observations"). A level is evidenced only by its own kind of data, so each kind
    names exactly one level; a story's ladder shows all five, empty ones included.
    """

    key: str
    level: int
    label: str
    count: Callable[[Any], int]
    order: int = 0


# ---------------------------------------------------------------------------- the API

@dataclass(frozen=True)
class ApiArea:
    """An app's part of the JSON API (``/api/v1/``): its django-ninja router and the area a
    token's scopes name (``"<area>:read"``, ``"<area>:write"``).

    ``router`` is the dotted path of the app's ``Router`` (``"uptake.inquiry.api.router"``),
    imported once when the API is assembled (``uptake/api/urls.py``), never by ``ready()``.
    ``prefix`` is where its paths start (``"/inquiries"``; ``""`` for the root). ``label``
    and ``description`` are shown where a person picks a token's scopes; ``for_roles``
    offers the area there only to holders of those roles (empty: to everyone), and an area
    with ``every_token`` (``/me``) is no scope at all: every credential may read it.
    """

    key: str
    router: str
    prefix: str
    label: str
    description: str
    order: int = 0
    writes: bool = True
    for_roles: tuple[str, ...] = ()
    every_token: bool = False


# ------------------------------------------------------------------------- awards

@dataclass(frozen=True)
class AwardHook:
    """Something an app does when a micro-credential is earned: ``call(award, actor)`` runs
    inside the transaction that records the ``credentials.Award`` (the badges app signs it
    as an Open Badge). A hook must not let its own failure undo the award."""

    key: str
    call: Callable[[Any, Any], None]
    order: int = 0


menu: Registry[MenuEntry] = Registry("menu")
home_panels: Registry[HomePanel] = Registry("home panels")
audit_kinds: Registry[AuditKind] = Registry("audit kinds")
deletion_impacts: Registry[DeletionImpact] = Registry("deletion impacts")
study_events: Registry[StudyEvents] = Registry("study events")
inquiry_sections: Registry[InquirySection] = Registry("inquiry page sections")
api_areas: Registry[ApiArea] = Registry("API areas")
evidence_kinds: Registry[EvidenceKind] = Registry("kinds of evidence")
# Links on the person's own account page (Settings), shown as the menu's are.
account_links: Registry[MenuEntry] = Registry("account page links")
award_hooks: Registry[AwardHook] = Registry("award hooks")
