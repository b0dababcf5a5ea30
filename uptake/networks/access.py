"""Who reaches network data (docs/networks.md, "Who sees what").

Network data names who learns from whom, so it is read on least privilege, checked
against the roles held now (a revoked role is no access at once):

- the whole network (every tie, every node's measures, the map, survey results, imports):
  the district's coordinators and researchers;
- a school leader: her own schools' **aggregate** only (counts, density, reciprocity,
  E-I index, changes logged), never who named whom;
- a teacher or coach: her own ego network (who she learns from, who learns from her) and
  the ties she names herself; never another person's ties;
- keeping the network (relations, contacts, imports): coordinators;
- the change log: a change is read by whoever recorded it or is named in its chain, the
  leaders of its school, and the district's coordinators and researchers;
- a community import: its owner only.

Never on a public page. Another district's object is the same 404 as a missing one.
"""

from __future__ import annotations

from django.http import Http404

from uptake.accounts.access import in_a_district, schools_led_by
from uptake.accounts.models import Role, User

WHOLE_NETWORK_ROLES = (Role.COORDINATOR, Role.RESEARCHER)
KEEPER_ROLES = (Role.COORDINATOR,)
EGO_ROLES = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER)
CHANGE_RECORDER_ROLES = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR)
COMMUNITY_ROLES = (Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER, Role.COORDINATOR,
                   Role.RESEARCHER)


def _active(user: User) -> bool:
    return in_a_district(user) and user.is_active


def may_see_whole_network(user: User) -> bool:
    return _active(user) and user.has_role(*WHOLE_NETWORK_ROLES)


def may_keep_network(user: User) -> bool:
    return _active(user) and user.has_role(*KEEPER_ROLES)


def may_have_ego_network(user: User) -> bool:
    """A person of the district who can learn from colleagues (and name whom)."""
    return _active(user) and user.has_role(*EGO_ROLES)


def aggregate_schools(user: User) -> list[int]:
    """The schools whose aggregate she reads without the whole network: a leader's own."""
    if not _active(user) or not user.has_role(Role.SCHOOL_LEADER):
        return []
    return schools_led_by(user)


def may_record_changes(user: User) -> bool:
    return _active(user) and user.has_role(*CHANGE_RECORDER_ROLES)


def may_import_community(user: User) -> bool:
    return _active(user) and user.has_role(*COMMUNITY_ROLES)


def not_found(what: str = "No such page.") -> Http404:
    return Http404(what)
