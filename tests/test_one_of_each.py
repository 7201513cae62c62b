"""One of each: a thing the project does in one place is done only there. Each test reads the
source (as tests/test_structure.py does) and names the places that do it again.

    .venv/bin/pytest tests/test_one_of_each.py
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from councilperf.statistics.figures import COUNTS, GROUP_COUNTS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "councilperf"


def places(pattern: str, *, allowed: tuple[str, ...]) -> list[str]:
    """'file:line' of every line of the package matching ``pattern``, outside the files (or
    folders, ending in /) that ``allowed`` names and outside migrations."""
    found = []
    regex = re.compile(pattern)
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if "migrations" in path.parts or name in allowed or name.startswith(allowed):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if regex.search(line):
                found.append(f"{name}:{number}")
    return found


def test_places_finds_a_match_and_skips_what_is_allowed() -> None:
    assert [p.split(":")[0] for p in places(r"^def csv_cell", allowed=())] == ["tables.py"]
    assert places(r"^def csv_cell", allowed=("tables.py",)) == []


def test_csv_and_xlsx_are_written_by_councilperf_tables_only() -> None:
    """One writer neutralises formula-like cells once: no other module writes a CSV row or an
    XLSX workbook, nor neutralises a cell itself."""
    writers = r"csv\.(writer|DictWriter)\b|\bWorkbook\(|\bneutralise\("
    assert places(writers, allowed=("tables.py", "text.py")) == []


def test_review_years_are_created_in_statistics_only() -> None:
    """statistics.services.get_or_create_review_year is the one place a ReviewYear is made."""
    creates = r"ReviewYear\.objects\.(get_or_create|create|update_or_create|bulk_create)\("
    assert places(creates, allowed=("statistics/services.py",)) == []


def test_an_import_finds_or_makes_its_dataset_in_casework_services_only() -> None:
    """The admin upload and import_casework both call casework.services.dataset_for (the demo
    makes its own synthetic dataset)."""
    makes = r"Dataset\.objects\.(get_or_create|create)\(|\bDataset\(slug|def _dataset\b"
    assert places(makes, allowed=("casework/services.py", "demo/services.py")) == []


def test_a_file_with_an_etag_is_served_by_serving_http_only() -> None:
    """The letter and review PDFs go through serving.http.file_response: no page view answers
    a conditional request (304) itself; the page cache and the API object are the others."""
    conditional = r"get_conditional_response\("
    allowed = ("serving/http.py", "serving/pagecache.py", "api/http.py")
    assert places(conditional, allowed=allowed) == []


def count_lists() -> list[str]:
    """'file:line' of every module-level tuple or list of five or more count names, spelt out."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if not isinstance(value, ast.Tuple | ast.List) or len(value.elts) < 5:
                continue
            names = [e.value for e in value.elts if isinstance(e, ast.Constant)]
            if len(names) == len(value.elts) and set(names) <= set(COUNTS):
                found.append(f"{path.relative_to(PACKAGE).as_posix()}:{node.lineno}")
    return found


def test_the_count_names_are_listed_once() -> None:
    """statistics.figures.COUNTS is the one list of counts (the group rows' are drawn from
    it), schemes.OUTCOMES the one list of the outcomes among them."""
    lists = [place.split(":")[0] for place in count_lists()]
    assert lists == ["schemes.py", "statistics/figures.py"]  # the outcome codes, the counts
    assert set(GROUP_COUNTS) < set(COUNTS) and "upheld" in GROUP_COUNTS


def test_services_modules_write_and_do_not_render() -> None:
    """'services' means writes in every app: a letter's HTML is made in letters.rendering."""
    renders = r"\brender_to_string\b|\bmarkdown\.markdown\("
    rendered = [p for p in places(renders, allowed=()) if p.split(":")[0].endswith("services.py")]
    assert rendered == []


def test_a_name_means_one_thing() -> None:
    """One ``exact`` function and one ``Counts`` class in the package (the import's tallies are
    casework.planning.Tallies)."""
    assert len(places(r"^def exact\(|^def exact_measure\(", allowed=())) == 1
    assert [p.split(":")[0] for p in places(r"^class Counts\b", allowed=())] == [
        "statistics/models.py"
    ]
