"""Dependencies point downhill (docs/architecture.md): no module of a lower app imports a
higher app, not even inside a function or under TYPE_CHECKING. Where a low place must show
something from above, the higher app registers it (uptake/registry.py).

The floors, from the ground up; an app not listed stands on the top floor of apps (it
gathers from many, like stories, credentials or reports would), so a new app needs no line
here unless something lower is to import it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UPTAKE = Path(__file__).resolve().parent.parent / "uptake"

FLOORS = {
    "analysis": 0,
    "openbadges": 0,  # Open Badges 3.0 signing, verifying and baking, pure like analysis
    "accounts": 1, "audit": 1, "operations": 1,  # operations: workers, middleware, checks
    "api": 1,  # the API's foundation: every app's api.py uses it
    "notifications": 1,  # notices in the product and by e-mail, for any app to send
    "roster": 2,
    "inquiry": 3,
    "evidence": 4, "observation": 4, "studentwork": 4, "learning": 4,
    # The district view reads programs, surveys, spending and every app below; the
    # reports (make your case, the research export) read the district view.
    "district": 6, "reports": 7,
    "demo": 9,
}
GATHERERS = 5
# Modules of the project package itself that every app may import: they import no app.
GROUND = ("rules", "registry", "views_support", "spreadsheets")


def _floor(app: str) -> int:
    return FLOORS.get(app, GATHERERS)


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    """Every module an import statement names, wherever it stands in the file."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # "from uptake import registry" names the module through its alias
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _sources(root: Path = UPTAKE) -> list[Path]:
    return sorted(p for p in root.rglob("*.py")
                  if "tests" not in p.relative_to(root).parts
                  and "migrations" not in p.relative_to(root).parts)


def upward_imports(root: Path = UPTAKE) -> list[str]:
    """One line per import statement that reaches up, naming the file, line and apps."""
    wrong: list[str] = []
    for path in _sources(root):
        parts = path.relative_to(root).parts
        here = parts[0] if len(parts) > 1 else path.stem
        seen = set()
        for line, module in _imported(ast.parse(path.read_text(), str(path))):
            names = module.split(".")
            if names[0] != "uptake" or len(names) < 2 or (line, names[1]) in seen:
                continue
            there = names[1]
            seen.add((line, there))
            if there == here or there in GROUND:
                continue
            if here in GROUND:
                wrong.append(f"{path.relative_to(root)}:{line} (ground) imports {module}")
            elif len(parts) > 1 and (root / there).is_dir() and _floor(there) > _floor(here):
                wrong.append(f"{path.relative_to(root)}:{line} ({here}, floor {_floor(here)}) "
                             f"imports {module} ({there}, floor {_floor(there)})")
    return wrong


def test_it_finds_no_import_from_a_lower_app_to_a_higher_one() -> None:
    assert upward_imports() == []


def test_it_reads_imports_inside_functions_too(tmp_path: Path) -> None:
    tree = ast.parse("def f():\n    from uptake.inquiry.home import inquiry_home\n")
    assert _imported(tree)[0] == (2, "uptake.inquiry.home")


@pytest.mark.parametrize(("app", "floor"), [("credentials", GATHERERS), ("accounts", 1)])
def test_it_puts_an_unlisted_app_on_the_top_floor_of_apps(app: str, floor: int) -> None:
    assert _floor(app) == floor
