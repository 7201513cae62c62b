"""Read the reference files into plain records, with one clear error per problem."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REGISTER_FILE = Path("la_register/uk_local_authorities_current.csv")
REGISTER_COLUMNS = (
    "local-authority-code",
    "official-name",
    "nice-name",
    "gss-code",
    "start-date",
    "end-date",
    "replaced-by",
    "nation",
    "region",
    "local-authority-type",
    "county-la",
    "gov-uk-slug",
)

# Which population and boundary files to read, with their vintages, is data: the reference
# manifest (``manifest.py``, ``config/reference.toml``).

# English local-authority GSS codes: unitary, district, metropolitan, London, county.
ENGLISH_AUTHORITY_CODE = re.compile(r"^E(06|07|08|09|10)\d{6}$")


class ReferenceDataError(Exception):
    """A reference file is missing, unreadable or not in the expected shape."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


@dataclass(frozen=True)
class RegisterRow:
    register_code: str
    official_name: str
    short_name: str
    gss_code: str
    start_date: dt.date | None
    end_date: dt.date | None
    replaced_by: tuple[str, ...]
    nation: str
    region: str
    register_type: str
    county_code: str
    slug: str


@dataclass(frozen=True)
class PopulationRow:
    gss_code: str
    population: int
    estimate_year: int
    tier: str
    source: str  # the file, relative to the reference directory
    priority: int = 0  # of two files with the same estimate year, the higher wins


@dataclass(frozen=True)
class ShapeRow:
    vintage: str
    tier: str
    vintage_year: int
    gss_code: str
    geometry: dict[str, Any]


def _existing_dir(directory: Path) -> Path:
    if not directory.exists():
        raise ReferenceDataError(directory, "directory not found (set REFERENCE_DATA_DIR)")
    if not directory.is_dir():
        raise ReferenceDataError(directory, "is not a directory (set REFERENCE_DATA_DIR)")
    try:
        next(directory.iterdir(), None)
    except OSError as exc:
        raise ReferenceDataError(directory, f"cannot be read ({exc.strerror})") from exc
    return directory


def csv_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise ReferenceDataError(path, "file not found") from exc
    except OSError as exc:
        raise ReferenceDataError(path, f"cannot be read ({exc.strerror})") from exc
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [name for name in required if name not in header]
            if missing:
                raise ReferenceDataError(
                    path, f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
                )
            yield from enumerate(reader, start=2)
        except UnicodeDecodeError as exc:
            raise ReferenceDataError(path, "is not UTF-8 text") from exc
        except csv.Error as exc:
            raise ReferenceDataError(path, f"is not valid CSV ({exc})") from exc


def _date(path: Path, line: int, column: str, value: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ReferenceDataError(
            path, f"line {line}, column {column}: {value!r} is not a date (YYYY-MM-DD)"
        ) from exc


def read_register(directory: Path) -> list[RegisterRow]:
    path = _existing_dir(directory) / REGISTER_FILE
    rows = []
    for line, row in csv_rows(path, REGISTER_COLUMNS):
        rows.append(
            RegisterRow(
                register_code=row["local-authority-code"].strip(),
                official_name=row["official-name"].strip(),
                short_name=row["nice-name"].strip(),
                gss_code=row["gss-code"].strip(),
                start_date=_date(path, line, "start-date", row["start-date"]),
                end_date=_date(path, line, "end-date", row["end-date"]),
                replaced_by=tuple(c.strip() for c in row["replaced-by"].split(",") if c.strip()),
                nation=row["nation"].strip(),
                region=row["region"].strip(),
                register_type=row["local-authority-type"].strip(),
                county_code=row["county-la"].strip(),
                slug=row["gov-uk-slug"].strip(),
            )
        )
    if not rows:
        raise ReferenceDataError(path, "has no rows")
    return rows


def _shape_code(properties: dict[str, Any], file_format: str) -> str | None:
    """The feature's GSS code: ``*_code`` (geographr), ``<AREA><yy>CD`` (ONS), ``areacd``."""
    if file_format == "uk_topojson":
        code = properties.get("areacd")
        return None if code is None else str(code)
    if file_format == "ons":
        codes = (str(v) for k, v in properties.items() if re.fullmatch(r"[A-Z]+\d\dCD", k))
        return next(codes, None)
    return next((str(v) for k, v in properties.items() if k.endswith("_code")), None)


def _in_year(path: Path, where: str, properties: dict[str, Any], year: int) -> bool:
    """A uk_topojson feature is drawn for ``year`` when start <= year <= end (missing:
    unbounded)."""
    start, end = properties.get("start"), properties.get("end")
    for name, value in (("start", start), ("end", end)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ReferenceDataError(path, f"{where}: `{name}` {value!r} is not a year")
    return (start is None or start <= year) and (end is None or year <= end)


def _feature_collection(path: Path) -> list[Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as exc:
        raise ReferenceDataError(path, "file not found") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(path, f"is not valid GeoJSON ({exc})") from exc
    except OSError as exc:
        raise ReferenceDataError(path, f"cannot be read ({exc.strerror})") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ReferenceDataError(path, "is not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise ReferenceDataError(path, "has no list of features")
    return features


def read_shapes(
    directory: Path, files: Sequence[tuple[str, Path, str, int, str]]
) -> list[ShapeRow]:
    """Every feature of ``files``: (vintage, file, tier, first reporting year it describes,
    format); of a file with start and end years, the features of that year."""
    rows = []
    for vintage, relative, tier, vintage_year, file_format in files:
        path = directory / relative
        for index, feature in enumerate(_feature_collection(path)):
            where = f"feature {index + 1}"
            properties = feature.get("properties") if isinstance(feature, dict) else None
            geometry = feature.get("geometry") if isinstance(feature, dict) else None
            if not isinstance(properties, dict):
                raise ReferenceDataError(path, f"{where} has no properties")
            code = _shape_code(properties, file_format)
            if code is None:
                wanted = {"uk_topojson": "areacd", "ons": "<AREA><yy>CD"}.get(file_format, "*_code")
                raise ReferenceDataError(path, f"{where} has no {wanted} property")
            if not _in_year(path, where, properties, vintage_year):
                continue
            if (
                not isinstance(geometry, dict)
                or geometry.get("type") not in ("Polygon", "MultiPolygon")
                or not isinstance(geometry.get("coordinates"), list)
            ):
                raise ReferenceDataError(path, f"{where} ({code}) has no polygon geometry")
            rows.append(ShapeRow(vintage, tier, vintage_year, code, geometry))
    return rows
