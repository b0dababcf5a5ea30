"""The networks app's imports examples for the project-wide access matrices."""

from __future__ import annotations

from typing import Any

URL_EXAMPLES: dict[str, Any] = {}
LAPSE_EXAMPLES: dict[str, Any] = {}
API_EXAMPLES: dict[str, Any] = {}
