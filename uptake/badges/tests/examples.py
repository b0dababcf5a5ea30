"""The badges app's examples for the project-wide access matrices (pages, lapses, API),
one module per side of the work (``examples_<part>.py``: the educator's and the public
pages, the API); a part not written yet is skipped."""

from __future__ import annotations

from tests.examples_support import gather

URL_EXAMPLES, API_EXAMPLES, LAPSE_EXAMPLES = gather(
    "uptake.badges.tests", ("educator", "share", "public", "pages", "api"))
