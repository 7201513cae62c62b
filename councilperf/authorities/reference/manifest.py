"""The reference manifest: which population and boundary files to read, with their vintages.

The manifest is a TOML file of the project's own (``config/reference.toml``; the setting
``REFERENCE_MANIFEST`` names another), so a new year of population estimates or a new
boundary vintage is a file dropped into the reference directory and a few lines here.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .files import ReferenceDataError

TIERS = ("lower", "upper")


@dataclass(frozen=True)
class PopulationFile:
    file: Path
    estimate_year: int
    tier: str


@dataclass(frozen=True)
class BoundaryFile:
    vintage: str
    file: Path
    tier: str
    year: int


@dataclass(frozen=True)
class Manifest:
    population: tuple[PopulationFile, ...]
    boundaries: tuple[BoundaryFile, ...]


def _field(path: Path, where: str, entry: dict[str, Any], name: str, kind: type) -> Any:
    value = entry.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ReferenceDataError(path, f"{where}: `{name}` must be a {kind.__name__}")
    return value


def _tier(path: Path, where: str, entry: dict[str, Any]) -> str:
    tier = _field(path, where, entry, "tier", str)
    if tier not in TIERS:
        raise ReferenceDataError(path, f"{where}: tier {tier!r} is not lower or upper")
    return str(tier)


def _relative(path: Path, where: str, entry: dict[str, Any]) -> Path:
    file = Path(_field(path, where, entry, "file", str))
    if file.is_absolute() or ".." in file.parts:
        raise ReferenceDataError(path, f"{where}: `file` must be inside the reference directory")
    return file


def read_manifest(path: Path) -> Manifest:
    """The manifest at ``path``, checked: every entry has its fields, no vintage twice."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ReferenceDataError(path, "manifest not found (set REFERENCE_MANIFEST)") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(path, f"is not a readable TOML manifest ({exc})") from exc
    population = tuple(
        PopulationFile(
            file=_relative(path, f"population {i}", entry),
            estimate_year=_field(path, f"population {i}", entry, "estimate_year", int),
            tier=_tier(path, f"population {i}", entry),
        )
        for i, entry in enumerate(data.get("population", []), start=1)
    )
    boundaries = tuple(
        BoundaryFile(
            vintage=_field(path, f"boundaries {i}", entry, "vintage", str),
            file=_relative(path, f"boundaries {i}", entry),
            tier=_tier(path, f"boundaries {i}", entry),
            year=_field(path, f"boundaries {i}", entry, "year", int),
        )
        for i, entry in enumerate(data.get("boundaries", []), start=1)
    )
    vintages = [b.vintage for b in boundaries]
    repeated = sorted({v for v in vintages if vintages.count(v) > 1})
    if repeated:
        raise ReferenceDataError(path, f"boundary vintage named twice: {', '.join(repeated)}")
    if not population or not boundaries:
        raise ReferenceDataError(path, "lists no population files or no boundary files")
    return Manifest(population=population, boundaries=boundaries)
