"""Relations, contacts, named ties and imports (network surveys, edge lists)."""

from __future__ import annotations
