"""The credentials app's examples for the project-wide access matrices (pages, lapses,
API), one module per side of the work (``examples_<part>.py``: authoring, the educator's
pages, review, money and credit, the API; notices live in the notifications app)."""

from __future__ import annotations

from tests.examples_support import gather

URL_EXAMPLES, API_EXAMPLES, LAPSE_EXAMPLES = gather(
    "uptake.credentials.tests", ("authoring", "educator", "review", "money", "api"))
