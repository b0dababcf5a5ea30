"""Bringing ties in: a network survey's roster answers and edge lists (CSV/XLSX)."""

from __future__ import annotations
