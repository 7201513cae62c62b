"""Years are ``ReportingYear`` from the address to the query: a parameter ``year: str`` is
allowed only at an edge where the year arrives as text, and each such edge is listed here.

A new ``year: str`` parameter anywhere else fails this test: take a ``ReportingYear``
(``councilperf.years``) and convert to the label only at the edge (URLs, files, JSON,
database columns), or add the function below with the reason it is an edge.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "councilperf"

# (module path under councilperf/, function name): why the year is text there.
EDGES: dict[tuple[str, str], str] = {
    # django-ninja reads path and query parameters as text, checked against the pattern
    # ^\d{4}-\d{2}$ in the OpenAPI description; each operation parses it once with
    # published.years.published_year.
    ("api/endpoints.py", "year"): "API path parameter",
    ("api/endpoints.py", "authorities"): "API query parameter (optional, may be empty)",
    ("api/endpoints.py", "year_figures"): "API path parameter",
    ("api/endpoints.py", "authority_figures"): "API path parameter",
    ("api/endpoints.py", "groups"): "API path parameter",
    ("api/endpoints.py", "decisions"): "API path parameter",
    ("api/endpoints.py", "improvements"): "API path parameter",
    ("api/endpoints.py", "letter"): "API path parameter",
    ("api/handling_endpoints.py", "complaint_handling"): "API path parameter",
    ("api/handling_endpoints.py", "replies"): "API path parameter",
    # The demonstration's national targets are a table keyed by label, read by the
    # calibration's label-keyed tallies.
    ("demo/targets.py", "targets_for"): "lookup in a table of labels",
}


def year_str_parameters(root: Path = ROOT) -> list[tuple[str, str, int]]:
    """(module path, function name, line) of every parameter ``year: str`` outside
    migrations."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            arguments = node.args
            for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                annotation = argument.annotation
                typed_str = annotation is not None and ast.unparse(annotation) == "str"
                if argument.arg == "year" and typed_str:
                    found.append((module, node.name, node.lineno))
    return found


def test_year_str_parameters_only_at_the_listed_edges() -> None:
    found = year_str_parameters()
    outside = [
        f"{module}:{line} {name}(year: str)"
        for module, name, line in found
        if (module, name) not in EDGES
    ]
    assert not outside, "year: str outside the edges (take a ReportingYear):\n" + "\n".join(outside)
    assert len(found) <= len(EDGES) < 15


def test_every_listed_edge_still_exists() -> None:
    """The allow-list shrinks with the code: an edge that is gone is taken off the list."""
    found = {(module, name) for module, name, _ in year_str_parameters()}
    assert set(EDGES) <= found, sorted(set(EDGES) - found)


def test_the_walk_finds_a_new_year_str_parameter(tmp_path: Path) -> None:
    (tmp_path / "pages.py").write_text(
        "def page(year: str) -> None: ...\n"
        "def other(*, year: ReportingYear, label: str) -> None: ...\n",
        encoding="utf-8",
    )
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001.py").write_text("def f(year: str): ...\n")
    assert year_str_parameters(tmp_path) == [("pages.py", "page", 1)]
