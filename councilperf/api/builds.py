"""Build a published year's open data files ahead (``manage.py build_open_data``).

For each published year, under ``BUILD_DIR/opendata/<year>/r<revision>/``: every resource of
``api.tables`` as CSV, XLSX and JSON, the Data Package descriptor ``datapackage.json`` and a
zip of the whole year; and for each earlier frozen revision its statistics (CSV, XLSX, JSON).
A ``manifest.json`` per year lists the files and their sizes. The site only serves these
files; nothing is written on a request.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from councilperf import tables as table_files
from councilperf.api import all_years, handling_rows, records, series, tables
from councilperf.authorities.models import AuthorityYear
from councilperf.diskspace import new_directory
from councilperf.published import cases, embargo, figures, sources
from councilperf.published import years as public
from councilperf.statistics import selectors as stats
from councilperf.statistics.export import to_csv
from councilperf.statistics.figures import export_row
from councilperf.years import ReportingYear

Row = dict[str, Any]


def root() -> Path:
    return Path(settings.BUILD_DIR) / "opendata"


def csv_text(resource: tables.Resource, rows: Iterable[Row]) -> str:
    if resource is tables.STATISTICS:
        return to_csv(list(rows))
    return table_files.csv_text(resource.columns, _values(resource, rows))


def _values(resource: tables.Resource, rows: Iterable[Row]) -> Iterator[list[Any]]:
    return ([row[column] for column in resource.columns] for row in rows)


def json_text(rows: Iterable[Row]) -> str:
    return json.dumps(list(rows), indent=1, ensure_ascii=False, default=str) + "\n"


def write_xlsx(resource: tables.Resource, rows: Iterable[Row], out: Path) -> None:
    table = itertools.chain([resource.columns], _values(resource, rows))
    table_files.write_xlsx(out, [(resource.name, table)])


def write_resource(folder: Path, resource: tables.Resource, rows: list[Row]) -> None:
    (folder / f"{resource.name}.csv").write_text(csv_text(resource, rows), encoding="utf-8")
    (folder / f"{resource.name}.json").write_text(json_text(rows), encoding="utf-8")
    write_xlsx(resource, rows, folder / f"{resource.name}.xlsx")


# ── the rows, from the public doorways ─────────────────────────────────────────────────────


def statistics_rows(year: ReportingYear, revision: int | None = None) -> list[Row]:
    found = (
        figures.authorities(year)
        if revision is None
        else stats.figures(year=year, revision=revision)[0]
    )
    columns = tables.STATISTICS.columns
    return [{c: row[c] for c in columns} for row in map(export_row, found.values())]


def authority_rows(year: ReportingYear) -> list[Row]:
    rows = AuthorityYear.objects.filter(year=year.label).select_related("authority")
    return [
        {
            "code": ay.authority.gss_code,
            "name": ay.authority.official_name,
            "short_name": ay.authority.short_name,
            "slug": ay.authority.slug,
            "comparison_group": ay.group,
            "region": ay.authority.region,
            "start_date": ay.authority.start_date,
            "end_date": ay.authority.end_date,
        }
        for ay in rows.order_by("authority__gss_code")
    ]


def decision_rows(year: ReportingYear) -> list[Row]:
    """Each decision of the year as the API shows it (one definition of the public fields)."""
    found = cases.cases_in_years([year]).order_by("decision_date", "reference")
    return [records.case_fields(c) for c in found]


def improvement_rows(year: ReportingYear) -> list[Row]:
    rows: list[Row] = []
    numbers: dict[str, int] = {}
    for r in cases.improvements_in_years([year]):
        reference = r.case.reference
        numbers[reference] = numbers.get(reference, 0) + 1
        fields = records.improvement_fields(r)
        # The API's fields, with the improvement's number within its case after the reference.
        rows.append({"case_reference": reference, "number": numbers[reference], **fields})
    return rows


def compliance_rows(year: ReportingYear) -> list[Row]:
    """Compliance outcomes of the year's decisions recorded by the embargo's cut-off."""
    found = (
        cases.cases_in_years([year])
        .filter(embargo.dated_by_cutoff("compliance__recorded_date"))
        .select_related("compliance")
        .order_by("decision_date", "reference")
    )
    return [
        {
            "case_reference": c.reference,
            "authority_code": c.authority.gss_code,
            "outcome": c.compliance.outcome,
            "recorded_date": c.compliance.recorded_date,
            "synthetic": c.dataset.synthetic,
        }
        for c in found
    ]


def method_note_rows(year: ReportingYear) -> list[Row]:
    """The year's method notes, numbered in the order they were recorded (the API's order)."""
    return [
        {"year": n.year, "number": number, "measure": n.measure, "group": n.group, "text": n.text}
        for number, n in enumerate(figures.method_notes([year]), start=1)
    ]


ROWS = {
    "authorities": authority_rows,
    "statistics": statistics_rows,
    "decisions": decision_rows,
    "service-improvements": improvement_rows,
    "compliance": compliance_rows,
    "method-notes": method_note_rows,
    "complaint-handling": handling_rows.handling_rows,
    "replies": handling_rows.reply_rows,
}


# ── a year ─────────────────────────────────────────────────────────────────────────────────


def licence() -> dict[str, str]:
    return dict(getattr(settings, "OPEN_DATA_LICENCE", tables.OGL))


def build_year(year: ReportingYear) -> dict[str, Any]:
    """Write a published year's files; return its manifest (also written as manifest.json).

    The year's directory is written whole beside the old one and then takes its place: a
    failure (a full disk: ``diskspace.DiskFull``, one sentence) leaves the old files as they
    were and nothing half-written."""
    with new_directory(root() / year.label, what=f"open data for {year}", replace=True) as base:
        return _write_year(year, base)


def _write_year(year: ReportingYear, base: Path) -> dict[str, Any]:
    published = figures.published()[year]
    folder = base / f"r{published.revision}"
    folder.mkdir(parents=True, exist_ok=True)
    rows = {resource.name: ROWS[resource.name](year) for resource in tables.RESOURCES}
    for resource in tables.RESOURCES:
        write_resource(folder, resource, rows[resource.name])
    descriptor = tables.package(
        year=year,
        revision=published.revision,
        synthetic=published.synthetic,
        licence=licence(),
        site=getattr(settings, "SITE_URL", ""),
        # The moment of publication (date and time, Europe/London) in UTC.
        published=published.published_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        method_notes=rows["method-notes"],
        reference=sources.year_sources(year, published.revision).as_dict(),
    )
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=1) + "\n")
    _zip(folder, year)
    earlier = [
        info.revision
        for info in stats.revisions(year=year)
        if info.revision is not None and info.revision < published.revision
    ]
    for number in earlier:
        old = base / f"r{number}"
        old.mkdir(parents=True, exist_ok=True)
        write_resource(old, tables.STATISTICS, statistics_rows(year, number))
    manifest = {
        "year": year.label,
        "revision": published.revision,
        "files": _sizes(folder),
        "revisions": {str(n): _sizes(base / f"r{n}") for n in earlier},
    }
    (base / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def zip_name(year: ReportingYear) -> str:
    return f"council-performance-{year}.zip"


def _zip(folder: Path, year: ReportingYear) -> None:
    target = folder / zip_name(year)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(_files(folder)):
            if path != target:
                archive.write(path, f"council-performance-{year}/{path.name}")


def _files(folder: Path) -> Iterator[Path]:
    return (p for p in folder.iterdir() if p.is_file())


def _sizes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in sorted(_files(folder))}


# ── every year in one file ─────────────────────────────────────────────────────────────────


def build_all_years() -> dict[str, Any]:
    """Write the all-years files (``api.all_years``) of the published state read now; return
    their manifest (also written as manifest.json: the years and revisions they hold)."""
    state = public.current()
    rows = [all_years.flat(row) for row in series.rows(series.Wanted())]
    synthetic = any(row["synthetic"] for row in rows)
    with new_directory(all_years.folder(), what="the all-years open data", replace=True) as base:
        write_resource(base, all_years.RESOURCE, rows)
        descriptor = all_years.descriptor(state.pairs, synthetic)
        text = json.dumps(descriptor, indent=1, ensure_ascii=False)
        (base / "datapackage.json").write_text(text + "\n", encoding="utf-8")
        manifest = {
            "published": [list(pair) for pair in state.pairs],
            "rows": len(rows),
            "files": _sizes(base),
        }
        (base / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest
