"""The analysis core is pure: importing and using it never loads Django."""

from __future__ import annotations

import subprocess
import sys


def test_it_never_imports_django() -> None:
    code = (
        "import sys\n"
        "import uptake.analysis as a\n"
        "from uptake.analysis import charts, command, control, runs, verdict\n"
        "a.verdict(list(range(20)), baseline_n=10)\n"
        "a.control_chart([1, 2, 3, 2, 1], chart='i')\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
