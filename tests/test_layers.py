"""The data flow, checked: every import runs with it, and no two apps import each other.

The layers, lowest first (docs/architecture.md draws them). A module may import its own app,
any app of a lower layer, and the root modules; never an app above it nor a sibling of its own
layer. The project's wiring (settings, urls, wsgi, asgi) sits above everything.

    .venv/bin/pytest tests/test_layers.py
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "councilperf"

# Root modules: pure helpers every app may use (converters registers the URL converters).
BASE = frozenset(
    {"years", "groups", "schemes", "text", "tables", "writelock", "diskspace"}
    | {"converters", "middleware"}
)
LAYERS: tuple[frozenset[str], ...] = (
    BASE,
    frozenset({"authorities"}),
    frozenset({"casework"}),
    frozenset({"statistics"}),
    frozenset({"letters"}),
    frozenset({"distribution"}),
    frozenset({"portal"}),  # councils' accounts, returns, replies and their pages
    frozenset({"published"}),  # what is public and what it says
    frozenset({"serving"}),  # page cache, warm, headers, backup: wraps the published site
    frozenset({"site", "api", "demo", "alerts"}),  # siblings: none imports another
    frozenset({"publishing"}),  # the publication job: calls the site's and the API's builders
)
WIRING = frozenset({"settings", "urls", "wsgi", "asgi", "__init__", "__main__"})


def unit_of(path: Path, package: Path) -> str:
    """The app (first folder under the package) or root module a file belongs to."""
    parts = path.relative_to(package).parts
    return parts[0] if len(parts) > 1 else Path(parts[0]).stem


def imported_units(path: Path, package: Path) -> set[tuple[str, int]]:
    """(unit, line) of every import of another part of the package, at any depth of the file
    (imports inside functions count too)."""
    name = package.name
    rel = path.relative_to(package).with_suffix("").parts
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                here = list(rel[:-1]) if rel[-1] != "__init__" else list(rel)
                base = here[: len(here) - node.level + 1]
                dotted = ".".join([name, *base, *([node.module] if node.module else [])])
                names = [f"{dotted}.{a.name}" for a in node.names] if not node.module else []
                modules = [dotted, *names]
            elif node.module:
                modules = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        for module in modules:
            parts = module.split(".")
            if parts[0] == name and len(parts) > 1:
                found.add((parts[1], getattr(node, "lineno", 0)))
    return found


def layer_of(unit: str, layers: tuple[frozenset[str], ...]) -> int | None:
    for number, members in enumerate(layers):
        if unit in members:
            return number
    return None


def violations(package: Path, layers: tuple[frozenset[str], ...] = LAYERS) -> list[str]:
    """Every import against the layers, every unit no layer names, as 'file:line a -> b'."""
    found: list[str] = []
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        unit = unit_of(path, package)
        if unit in WIRING:
            continue
        mine = layer_of(unit, layers)
        if mine is None:
            found.append(f"{path.relative_to(package)}: {unit} is in no layer")
            continue
        for other, line in sorted(imported_units(path, package)):
            if other == unit or (other in WIRING and other == "__init__"):
                continue
            theirs = layer_of(other, layers)
            if theirs is None or other in WIRING:
                found.append(f"{path.relative_to(package)}:{line} {unit} -> {other} (no layer)")
            elif theirs > mine or (theirs == mine and mine != 0):
                found.append(f"{path.relative_to(package)}:{line} {unit} -> {other}")
    return found


def test_every_import_runs_with_the_flow() -> None:
    assert violations(PACKAGE) == []


def test_every_app_is_in_a_layer() -> None:
    apps = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    roots = {p.stem for p in PACKAGE.glob("*.py")} - WIRING
    placed = set().union(*LAYERS)
    assert apps | roots <= placed, sorted((apps | roots) - placed)


def _plant(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "councilperf"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # upward: the letters reaching the site's formatter (issue 25's first arrow)
        ("letters/wording.py", "from councilperf.site import format\n", "letters -> site"),
        # upward from inside a function
        ("statistics/x.py", "def f():\n    import councilperf.letters.batch\n", "-> letters"),
        # siblings of the top layer importing each other
        ("site/views.py", "from councilperf.api import files\n", "site -> api"),
        # a relative import that climbs out of its app
        ("distribution/pages.py", "from ..published import cards\n", "distribution -> published"),
        # a new app nobody placed
        ("engagement/views.py", "x = 1\n", "engagement is in no layer"),
    ],
)
def test_a_planted_import_against_the_flow_is_found(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    package = _plant(tmp_path, {"__init__.py": "", name: text})
    found = violations(package)
    assert any(expected in problem for problem in found), found


def test_imports_with_the_flow_are_allowed(tmp_path: Path) -> None:
    package = _plant(
        tmp_path,
        {
            "site/pages.py": "from councilperf.published import figures\nfrom . import x\n",
            "published/figures.py": "from councilperf.statistics import format\n",
            "statistics/format.py": "from councilperf import years\n",
            "years.py": "import councilperf.groups\n",
        },
    )
    assert violations(package) == []
