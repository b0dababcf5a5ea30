"""The knowledge-mobilisation log: record, edit and delete a change."""

from __future__ import annotations
