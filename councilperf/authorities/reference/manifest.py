"""The reference manifest: which population and boundary files to read, with their vintages.

The manifest is a TOML file of the project's own (``config/reference.toml``; the setting
``REFERENCE_MANIFEST`` names another), so a new year of population estimates or a new
boundary vintage is a file dropped into the reference directory and a few lines here. Each
entry names its file's ``format``; a new file of a known format needs no code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .files import ReferenceDataError

TIERS = ("lower", "upper")
# "both": the file holds both tiers; a row's tier is taken from its code (E10 counties upper).
POPULATION_TIERS = (*TIERS, "both")
# demographr: `<tier><yy>_code,...,total_population` (one estimate year per file);
# mye2: ONS MYE2 sheet `Code,Name,Geography,All ages,...` (one estimate year, both tiers);
# nomis_long: `geography_code,geography_name,date,value,Measure` (many years, float values);
# nomis_api: raw Nomis API output, `GEOGRAPHY_CODE,DATE,C_AGE,OBS_VALUE,...` ("All Ages" rows).
POPULATION_FORMATS = ("demographr", "mye2", "nomis_long", "nomis_api")
# geographr: a `*_code` property; ons: the ONS `<AREA><yy>CD` property (e.g. CTYUA23CD);
# uk_topojson: `areacd`, optional inclusive `start`/`end` years (kept: start <= year <= end).
BOUNDARY_FORMATS = ("geographr", "ons", "uk_topojson")


@dataclass(frozen=True)
class PopulationFile:
    file: Path
    estimate_years: tuple[int, ...]
    tier: str
    format: str = "demographr"
    priority: int = 0
    title: str = ""  # what the file is, as the methods page and the data package name it
    note: str = ""  # a caveat stated beside every year that uses the file

    @property
    def estimate_year(self) -> int:
        """The estimate year of a single-year file (the latest of a multi-year one)."""
        return max(self.estimate_years)


@dataclass(frozen=True)
class BoundaryFile:
    vintage: str
    file: Path
    tier: str
    year: int
    format: str = "geographr"
    title: str = ""


@dataclass(frozen=True)
class Manifest:
    population: tuple[PopulationFile, ...]
    boundaries: tuple[BoundaryFile, ...]


def _field(path: Path, where: str, entry: dict[str, Any], name: str, kind: type) -> Any:
    value = entry.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ReferenceDataError(path, f"{where}: `{name}` must be a {kind.__name__}")
    return value


def _choice(
    path: Path, where: str, entry: dict[str, Any], name: str, choices: tuple[str, ...]
) -> str:
    value = entry.get(name, choices[0]) if name == "format" else entry.get(name)
    if not isinstance(value, str) or value not in choices:
        raise ReferenceDataError(path, f"{where}: {name} {value!r} is not {' or '.join(choices)}")
    return value


def _text(path: Path, where: str, entry: dict[str, Any], name: str) -> str:
    return str(_field(path, where, entry, name, str)) if name in entry else ""


def _relative(path: Path, where: str, entry: dict[str, Any]) -> Path:
    file = Path(_field(path, where, entry, "file", str))
    if file.is_absolute() or ".." in file.parts:
        raise ReferenceDataError(path, f"{where}: `file` must be inside the reference directory")
    return file


def _estimate_years(path: Path, where: str, entry: dict[str, Any]) -> tuple[int, ...]:
    if "estimate_years" in entry:
        years = entry["estimate_years"]
        if (
            not isinstance(years, list)
            or not years
            or any(not isinstance(y, int) or isinstance(y, bool) for y in years)
        ):
            raise ReferenceDataError(path, f"{where}: `estimate_years` must be a list of years")
        return tuple(sorted(set(years)))
    return (_field(path, where, entry, "estimate_year", int),)


def _population(path: Path, index: int, entry: dict[str, Any]) -> PopulationFile:
    where = f"population {index}"
    fmt = _choice(path, where, entry, "format", POPULATION_FORMATS)
    years = _estimate_years(path, where, entry)
    if len(years) > 1 and fmt in ("demographr", "mye2"):
        raise ReferenceDataError(path, f"{where}: a {fmt} file holds one estimate year")
    priority = entry.get("priority", 0)
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise ReferenceDataError(path, f"{where}: `priority` must be a int")
    return PopulationFile(
        file=_relative(path, where, entry),
        estimate_years=years,
        tier=_choice(path, where, entry, "tier", POPULATION_TIERS),
        format=fmt,
        priority=priority,
        title=_text(path, where, entry, "title"),
        note=_text(path, where, entry, "note"),
    )


def _boundary(path: Path, index: int, entry: dict[str, Any]) -> BoundaryFile:
    where = f"boundaries {index}"
    return BoundaryFile(
        vintage=_field(path, where, entry, "vintage", str),
        file=_relative(path, where, entry),
        tier=_choice(path, where, entry, "tier", TIERS),
        year=_field(path, where, entry, "year", int),
        format=_choice(path, where, entry, "format", BOUNDARY_FORMATS),
        title=_text(path, where, entry, "title"),
    )


def read_manifest(path: Path) -> Manifest:
    """The manifest at ``path``, checked: every entry has its fields, no vintage twice."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ReferenceDataError(path, "manifest not found (set REFERENCE_MANIFEST)") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(path, f"is not a readable TOML manifest ({exc})") from exc
    population = tuple(
        _population(path, i, entry) for i, entry in enumerate(data.get("population", []), start=1)
    )
    boundaries = tuple(
        _boundary(path, i, entry) for i, entry in enumerate(data.get("boundaries", []), start=1)
    )
    vintages = [b.vintage for b in boundaries]
    repeated = sorted({v for v in vintages if vintages.count(v) > 1})
    if repeated:
        raise ReferenceDataError(path, f"boundary vintage named twice: {', '.join(repeated)}")
    if not population or not boundaries:
        raise ReferenceDataError(path, "lists no population files or no boundary files")
    return Manifest(population=population, boundaries=boundaries)
