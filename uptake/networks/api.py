"""The networks app's part of the JSON API (uptake/api), three areas:

- ``networks`` (``/networks``): relations, contacts and ties (``api_ties``), imports
  (``api_imports``), the network's measures, brokers, survey results and ego networks
  (``api_map``);
- ``changes`` (``/changes``): the knowledge-mobilisation log (``api_changes``);
- ``communities`` (``/communities``): online-community imports (``api_community``).

The same access helpers (``uptake.networks.access``) and actions as the pages.
"""

from __future__ import annotations

from ninja import Router

from uptake.networks import api_imports, api_map, api_ties

router = Router(tags=["Networks"])
router.add_router("", api_ties.router)
router.add_router("", api_map.router)
router.add_router("", api_imports.router)
