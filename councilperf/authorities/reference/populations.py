"""Read the population files the manifest names, each in its format, into plain records.

Every format gives one ``PopulationRow`` per (council code, estimate year) of the years the
manifest lists for the file; a code given twice in one file with the same figure (the raw
Nomis output lists each unitary as a district and as a county) is one row, and with two
different figures an error. Figures written as floats (``829413.0``) are rounded; a blank
figure in a Nomis extract is no estimate (Nomis leaves blank a year it has none for).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .files import PopulationRow, ReferenceDataError, csv_rows
from .manifest import PopulationFile

UPPER_ONLY_PREFIX = "E10"  # county councils: the upper tier only

# (line, code, estimate year or None for the manifest's one, figure as written)
_Raw = tuple[int, str, int | None, str]


def _demographr(path: Path, estimate_year: int, tier: str) -> Iterator[_Raw]:
    prefix = f"{tier[0]}tla{str(estimate_year)[2:]}"  # e.g. ltla19 (code column varies)
    code_column = ""
    for line, row in csv_rows(path, ("total_population",)):
        if not code_column:
            code_column = next((k for k in row if k.endswith("_code")), "")
            if not code_column:
                raise ReferenceDataError(path, f"missing column {prefix}_code (a *_code column)")
        yield line, (row[code_column] or "").strip(), None, row["total_population"]


def _mye2(path: Path) -> Iterator[_Raw]:
    for line, row in csv_rows(path, ("Code", "Geography", "All ages")):
        yield line, row["Code"].strip(), None, row["All ages"]


def _nomis_long(path: Path) -> Iterator[_Raw]:
    for line, row in csv_rows(path, ("geography_code", "date", "value")):
        if not row["value"].strip():
            continue  # no estimate published for the area that year (Scotland, mid-2023)
        yield line, row["geography_code"].strip(), _year(path, line, row["date"]), row["value"]


def _nomis_api(path: Path) -> Iterator[_Raw]:
    for line, row in csv_rows(path, ("GEOGRAPHY_CODE", "DATE", "C_AGE", "OBS_VALUE")):
        if row["C_AGE"].strip() != "200" or row.get("GENDER", "0").strip() not in ("0", ""):
            continue  # age bands and sexes: only "All Ages", persons
        yield line, row["GEOGRAPHY_CODE"].strip(), _year(path, line, row["DATE"]), row["OBS_VALUE"]


def _year(path: Path, line: int, value: str) -> int:
    try:
        return int(value.strip()[:4])
    except ValueError as exc:
        raise ReferenceDataError(path, f"line {line}: date {value!r} is not a year") from exc


def _number(path: Path, line: int, value: str) -> int:
    try:
        return round(float(value))
    except (TypeError, ValueError) as exc:
        problem = f"line {line}: population {value!r} is not a number"
        raise ReferenceDataError(path, problem) from exc


def _raw_rows(path: Path, entry: PopulationFile) -> Iterable[_Raw]:
    if entry.format == "mye2":
        return _mye2(path)
    if entry.format == "nomis_long":
        return _nomis_long(path)
    if entry.format == "nomis_api":
        return _nomis_api(path)
    tier = "upper" if entry.tier == "upper" else "lower"
    return _demographr(path, entry.estimate_year, tier)


def _row_tier(entry: PopulationFile, code: str) -> str:
    if entry.tier != "both":
        return entry.tier
    return "upper" if code.startswith(UPPER_ONLY_PREFIX) else "lower"


def read_population_file(directory: Path, entry: PopulationFile) -> list[PopulationRow]:
    """The rows of one manifest entry: its listed estimate years only, one row per code."""
    path = directory / entry.file
    wanted = set(entry.estimate_years)
    found: dict[tuple[str, int], PopulationRow] = {}
    for line, code, year, value in _raw_rows(path, entry):
        estimate_year = entry.estimate_year if year is None else year
        if estimate_year not in wanted or not code:
            continue
        row = PopulationRow(
            gss_code=code,
            population=_number(path, line, value),
            estimate_year=estimate_year,
            tier=_row_tier(entry, code),
            source=str(entry.file),
            priority=entry.priority,
        )
        before = found.setdefault((code, estimate_year), row)
        if before.population != row.population:
            raise ReferenceDataError(
                path,
                f"line {line}: {code} mid-{estimate_year} is {row.population}, "
                f"but {before.population} on an earlier line",
            )
    missing = sorted(wanted - {year for _, year in found})
    if missing:
        years = ", ".join(str(y) for y in missing)
        raise ReferenceDataError(path, f"holds no estimate for {years} (named in the manifest)")
    return list(found.values())


def read_populations(directory: Path, files: Sequence[PopulationFile]) -> list[PopulationRow]:
    """Every row of every population file the manifest names."""
    return [row for entry in files for row in read_population_file(directory, entry)]
