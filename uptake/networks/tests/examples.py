"""The networks app's examples for the project-wide access matrices (pages, lapses, API),
one module per side of the work (``examples_<part>.py``)."""

from __future__ import annotations

from tests.examples_support import gather

URL_EXAMPLES, API_EXAMPLES, LAPSE_EXAMPLES = gather(
    "uptake.networks.tests", ("ties", "imports", "map", "changes", "community"))
