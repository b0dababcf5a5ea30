"""The ``uptake`` command: ``uptake COMMAND [ARGS]``.

Its sub-commands are Django management commands with dashes allowed
(``uptake import-roster`` runs ``import_roster``), plus everything ``manage.py`` offers.
``uptake analyze FILE`` runs without Django (see docs/analysis.md).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "analyze":
        # Pure statistics: no Django settings or database needed.
        from uptake.analysis.command import main as analyze

        raise SystemExit(analyze(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uptake.settings")
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["uptake", *args])


if __name__ == "__main__":
    main()
