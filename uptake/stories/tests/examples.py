"""The stories app's examples for the project-wide access matrices (pages, lapses, API).

Each part of the app keeps its own in a module of its own (``examples_<part>.py``: the
builder's pages, the share view, the PDF, the API); this gathers them under the names the
matrices read."""

from __future__ import annotations

from tests.examples_support import gather

URL_EXAMPLES, API_EXAMPLES, LAPSE_EXAMPLES = gather(
    "uptake.stories.tests", ("builder", "share", "pdf", "api"))
