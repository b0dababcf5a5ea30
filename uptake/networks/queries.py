"""Plain read functions of the networks app, for its own views and for other apps (the
district view reads ``program_changes`` for Guskey's level 3)."""

from __future__ import annotations
