"""The installed code's digest: the version of every cached part of a page.

Cached parts are keyed by what they are drawn from, plus hand-kept versions
(``district.figures.FIGURES_VERSION``, ``networks.figures.CACHE_VERSION``) and, for the
study, a list of the files that draw it. Those miss a change somebody forgot to bump, and a
shared Redis keeps the old parts across a deploy. So the page cache's ``VERSION`` (and the
map's shared slots, ``networks.precompute``) is a digest of the code itself: the path and
content of every Python module, template and compiled translation under ``uptake/``. Other
code, another version; the same code on two hosts or two processes, the same version.

Reading ~1,100 files takes some 40 ms, once, when settings are imported. ``RELEASE_ID``
(e.g. the deployed commit) replaces the digest when the installed tree is not the one that
runs, or to skip the reads.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SUFFIXES = (".py", ".html", ".mo")


def code_digest(root: Path) -> str:
    """sha256 over (relative path, content) of every code file under ``root``, in path
    order (so every process of the same code agrees)."""
    digest = hashlib.sha256()
    files = sorted(p for p in root.rglob("*")
                   if p.suffix in SUFFIXES and "__pycache__" not in p.parts and p.is_file())
    for path in files:
        name = path.relative_to(root).as_posix().encode()
        content = path.read_bytes()
        digest.update(b"%d:%s%d:" % (len(name), name, len(content)))
        digest.update(content)
    return digest.hexdigest()


def cache_version(release_id: str, root: Path) -> int:
    """The cache ``VERSION`` for this code: from ``release_id`` when given, else from the
    code's digest (a positive integer, as Django's cache versions are)."""
    text = release_id.strip() or code_digest(root)
    return int(hashlib.sha256(text.encode()).hexdigest()[:15], 16)
