"""The code's shape, checked: pure modules import no Django, public views import no writer,
and no module or function grows past the size a reader can hold in mind.

    .venv/bin/pytest tests/test_structure.py -s    # also prints the largest modules and functions
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "councilperf"

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# Modules documented as pure (plain functions on plain data, no Django, no I/O).
PURE = (
    "councilperf.years",
    "councilperf.text",
    "councilperf.tables",
    "councilperf.groups",
    "councilperf.statistics.core",
    "councilperf.statistics.core.compute",
    "councilperf.statistics.core.counts",
    "councilperf.statistics.core.tails",
    "councilperf.statistics.core.intervals",
    "councilperf.statistics.core.rounding",
    "councilperf.statistics.measures",
    "councilperf.published.place_filter",
    "councilperf.statistics.figures",
    "councilperf.authorities.reference.plan",
    "councilperf.authorities.reference.neighbours",
    "councilperf.casework.codes",
    "councilperf.casework.records",
    "councilperf.casework.problems",
    "councilperf.casework.rules",
    "councilperf.casework.cells",
    "councilperf.casework.case_checks",
    "councilperf.casework.facts",
    "councilperf.casework.validation",
    "councilperf.letters.wording",
    "councilperf.letters.categories",
    "councilperf.letters.late",
    "councilperf.letters.yearcheck",
    "councilperf.letters.defaults.years",
    "councilperf.statistics.dates",
    "councilperf.schemes",
    "councilperf.statistics.format",
    "councilperf.statistics.cards",
    "councilperf.site.presentation.funnel",
    "councilperf.site.presentation.charts",
    "councilperf.site.presentation.colours",
    "councilperf.statistics.words",
    "councilperf.site.presentation.difference",
    "councilperf.site.presentation.citation",
    "councilperf.published.matching",
    "councilperf.demo.generator",
    "councilperf.demo.text",
    "councilperf.demo.calibration",
    "councilperf.demo.targets",
    "councilperf.api.shape",
    "councilperf.portal.replytext",
    "councilperf.portal.status",
    "councilperf.portal.returncheck",
    "councilperf.portal.code",
    "councilperf.portal.handling",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def documented_pure() -> set[str]:
    """Modules whose docstring says they are pure ("Pure: no Django…")."""
    found = set()
    for path in source_files():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if "no Django" in doc and "Pure" in doc:
            found.add(module_name(path))
    return found


def test_every_module_documented_as_pure_is_listed() -> None:
    assert documented_pure() <= set(PURE), sorted(documented_pure() - set(PURE))


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_import_no_django(module: str) -> None:
    """Imported alone in a fresh interpreter, the module (and all it imports) loads no Django."""
    check = (
        f"import sys, {module}\n"
        "found = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(found[:5]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"


# ── public views import no writer ──────────────────────────────────────────────────────────

FORBIDDEN = ("councilperf.letters.batch", "councilperf.statistics.models")


def writes(module: str) -> bool:
    """A writing module: a service, the letter batch, the casework writer, a build step."""
    last = module.rsplit(".", 1)[-1]
    return (
        module in FORBIDDEN
        or last in ("services", "batch", "writing", "builds")
        or module.endswith(".management.commands")
    )


def imports_of(path: Path) -> set[str]:
    """Every councilperf module a file imports (absolute or relative, at any depth)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m.startswith("councilperf")}


def path_of(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


# No exception: the public letter pages serve letters stored before publication (issue 12).
ALLOWED: set[tuple[str, str]] = set()


def test_public_views_import_no_writer() -> None:
    """Walk every module of the public site reachable from its views and URLs: none imports
    the letter batch, the statistics models or any writing service."""
    start = ["councilperf.site.views", "councilperf.site.urls", "councilperf.api.urls"]
    seen: set[str] = set()
    problems: set[tuple[str, str]] = set()
    while start:
        module = start.pop()
        if module in seen:
            continue
        seen.add(module)
        path = path_of(module)
        if path is None:
            continue
        for imported in imports_of(path):
            if writes(imported):
                problems.add((module, imported))
            elif (
                imported.startswith(
                    ("councilperf.site", "councilperf.api", "councilperf.published")
                )
                and imported not in seen
            ):
                start.append(imported)
    assert {"councilperf.site.pages.council", "councilperf.api.records"} <= seen
    assert problems - ALLOWED == set(), sorted(problems - ALLOWED)
    assert problems >= ALLOWED, f"no longer needed, remove it from ALLOWED: {ALLOWED - problems}"


def test_the_import_walk_sees_a_writer() -> None:
    """The walk's own check: the review PDF's build step is a writer the views must not reach."""
    assert writes("councilperf.site.builds")
    assert writes("councilperf.letters.batch") and writes("councilperf.statistics.models")
    assert "councilperf.site.builds" in imports_of(
        PACKAGE / "site" / "management" / "commands" / "build_review_pdfs.py"
    )


# ── sizes ──────────────────────────────────────────────────────────────────────────────────


def sizes() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(lines, module) and (lines, module:function), largest first (migrations aside)."""
    modules, functions = [], []
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        relative = str(path.relative_to(ROOT))
        modules.append((len(text.splitlines()), relative))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                functions.append((node.end_lineno - start + 1, f"{relative}:{node.name}"))
    return sorted(modules, reverse=True), sorted(functions, reverse=True)


def test_no_module_or_function_is_too_long() -> None:
    modules, functions = sizes()
    print("\nLargest modules:", *(f"  {n:4} {m}" for n, m in modules[:5]), sep="\n")
    print("Largest functions:", *(f"  {n:4} {f}" for n, f in functions[:5]), sep="\n")
    assert [m for m in modules if m[0] > MAX_MODULE_LINES] == []
    assert [f for f in functions if f[0] > MAX_FUNCTION_LINES] == []
