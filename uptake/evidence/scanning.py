"""The malware-scan hook for evidence uploads.

``settings.EVIDENCE_SCANNER`` names a callable taking the path of the file as received and
returning a :class:`Verdict`. A district plugs in its scanner (ClamAV through clamd, a
cloud scanning API) by pointing the setting at a small function; the default records that
nothing was scanned, so the artifact says so rather than implying it was checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Verdict:
    """A scanner's answer: ``clean`` False refuses the upload; ``label`` is stored/shown."""

    clean: bool
    label: str


Scanner = Callable[[Path], Verdict]


def not_scanned(path: Path) -> Verdict:
    """The default: no scanner configured. The artifact records "not scanned"."""
    return Verdict(clean=True, label="not scanned")


# The standard anti-virus test file (https://www.eicar.org/download-anti-malware-testfile/):
# harmless, and every scanner reports it, so the hook can be tested end to end.
EICAR = (rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")


def eicar_only(path: Path) -> Verdict:
    """A test scanner: rejects any file containing the EICAR test string."""
    data = Path(path).read_bytes()
    if EICAR in data:
        return Verdict(clean=False, label="infected: EICAR-Test-File")
    return Verdict(clean=True, label="clean (EICAR test scanner)")


def scanner() -> Scanner:
    found: Scanner = import_string(settings.EVIDENCE_SCANNER)
    return found
