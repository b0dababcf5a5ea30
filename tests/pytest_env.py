"""Loaded with ``-p tests.pytest_env`` before pytest-django reads the settings.

Tests run with UPTAKE_TESTING=1: plain HTTP (no TLS redirect), plain static storage and
relaxed allauth rate limits, whatever the calling shell set.
"""

import os

os.environ["UPTAKE_TESTING"] = "1"
os.environ.setdefault("UPTAKE_VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "var", "test"))
