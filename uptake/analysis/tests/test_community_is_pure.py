"""The community core is pure: reading and measuring an export never loads Django."""

from __future__ import annotations

import subprocess
import sys


def test_it_never_imports_django() -> None:
    code = (
        "import io, sys\n"
        "from uptake.analysis.community import community_measures, read_contributions\n"
        "data = io.BytesIO(b'id,author,created_utc,body,parent_id\\np,a,1,x,\\nc,b,2,y,p\\n')\n"
        "community_measures(read_contributions(data, file_name='x.csv'), salt='s')\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
