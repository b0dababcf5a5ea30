"""Online-community imports: upload, the background read, coding the sample."""

from __future__ import annotations
