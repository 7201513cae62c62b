"""The built open data files of published years: where they are and how big (reads only)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import Http404

from councilperf.api import tables
from councilperf.published import figures
from councilperf.years import ReportingYear

TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


@dataclass(frozen=True)
class File:
    name: str
    url: str
    size: int
    title: str
    format: str


def _root() -> Path:
    return Path(settings.BUILD_DIR) / "opendata"


def manifest(year: ReportingYear) -> dict[str, object] | None:
    path = _root() / year.label / "manifest.json"
    if not path.is_file():
        return None
    found: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return found if found.get("revision") == figures.revision(year) else None


def _title(name: str) -> str:
    stem, _, fmt = name.rpartition(".")
    resource = tables.BY_NAME.get(stem)
    if resource is not None:
        return f"{resource.title} ({fmt.upper()})"
    return "Data Package (JSON)" if stem == "datapackage" else "Everything, zipped"


def year_files(year: ReportingYear) -> list[File]:
    """The latest revision's files of a published year ([] until built)."""
    found = manifest(year)
    sizes: dict[str, int] = dict(found["files"]) if found else {}  # type: ignore[call-overload]
    return [
        File(name, f"/downloads/{year}/{name}", size, _title(name), name.rpartition(".")[2])
        for name, size in sizes.items()
    ]


def revision_files(year: ReportingYear) -> dict[int, list[File]]:
    """Earlier revisions' statistics files of a published year."""
    found = manifest(year)
    revisions: dict[str, dict[str, int]] = dict(found["revisions"]) if found else {}  # type: ignore[call-overload]
    return {
        int(number): [
            File(
                name,
                f"/downloads/{year}/revisions/{number}/{name}",
                size,
                _title(name),
                name.rpartition(".")[2],
            )
            for name, size in sizes.items()
        ]
        for number, sizes in sorted(revisions.items(), key=lambda item: int(item[0]))
    }


def path_or_404(year: ReportingYear, name: str, revision: int | None = None) -> Path:
    """The built file of a published year (``year`` already checked), or 404."""
    found = manifest(year)
    if found is None:
        raise Http404("The open data files of this year have not been built yet")
    if revision is None:
        sizes = found["files"]
        folder = _root() / year.label / f"r{found['revision']}"
    else:
        sizes = found["revisions"].get(str(revision), {})  # type: ignore[attr-defined]
        folder = _root() / year.label / f"r{revision}"
    if name not in sizes:  # type: ignore[operator]
        raise Http404("No such file for this year")
    return folder / name


def page_context(years: list[ReportingYear]) -> dict[str, object]:
    """What the downloads page shows of the open data: each year's files and sizes, earlier
    revisions, and the data dictionary of every resource."""
    return {
        "open_data": [(y, year_files(y), revision_files(y)) for y in reversed(years)],
        "resources": [r for r in tables.RESOURCES if r is not tables.STATISTICS],
        "licence": dict(getattr(settings, "OPEN_DATA_LICENCE", tables.OGL)),
    }
