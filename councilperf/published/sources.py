"""Which population estimates and boundaries each published year used, in words and rows.

The estimates are those the published revision's figures were computed with (stored with
each council's row); the boundaries are those the year is drawn with. Titles and caveats
come from the reference manifest (``config/reference.toml``), which names every file; a file
the manifest no longer names is shown by its path.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from councilperf.authorities.models import AuthorityYear
from councilperf.authorities.reference.files import ReferenceDataError
from councilperf.authorities.reference.manifest import Manifest, read_manifest
from councilperf.groups import TIER_GROUPS
from councilperf.statistics.populations import estimates_used, sources_by_authority
from councilperf.years import ReportingYear

from . import figures


def _councils(n: int) -> str:
    return f"{n} council{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Estimate:
    estimate_year: int | None
    file: str
    title: str
    councils: int

    def label(self) -> str:
        name = self.title or self.file or "file not recorded"
        which = f"mid-{self.estimate_year}" if self.estimate_year else "no estimate"
        return f"{which}: {name} ({_councils(self.councils)})"


@dataclass(frozen=True)
class Boundaries:
    tier: str
    vintage: str
    title: str
    councils: int

    def label(self) -> str:
        return f"{self.title or self.vintage} ({_councils(self.councils)}, {self.tier} tier)"


@dataclass(frozen=True)
class YearSources:
    year: ReportingYear
    revision: int | None
    estimates: tuple[Estimate, ...]
    boundaries: tuple[Boundaries, ...]
    notes: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "estimates": [
                {
                    "estimate_year": e.estimate_year,
                    "file": e.file,
                    "title": e.title,
                    "councils": e.councils,
                }
                for e in self.estimates
            ],
            "boundaries": [
                {"tier": b.tier, "vintage": b.vintage, "title": b.title, "councils": b.councils}
                for b in self.boundaries
            ],
            "notes": list(self.notes),
        }


def _manifest() -> Manifest | None:
    try:
        return read_manifest(Path(settings.REFERENCE_MANIFEST))
    except ReferenceDataError:
        return None


def _boundaries(year: ReportingYear, titles: dict[str, str]) -> tuple[Boundaries, ...]:
    counts: Counter[tuple[str, str]] = Counter()
    rows = AuthorityYear.objects.filter(year=year.label).values_list(
        "group", "upper_boundary__vintage", "lower_boundary__vintage"
    )
    for group, upper, lower in rows:
        if upper and group in TIER_GROUPS["upper"]:
            counts[("upper", upper)] += 1
        if lower and group in TIER_GROUPS["lower"]:
            counts[("lower", lower)] += 1
    return tuple(
        Boundaries(tier, vintage, titles.get(vintage, ""), n)
        for (tier, vintage), n in sorted(counts.items(), key=lambda i: (i[0][0], -i[1]))
    )


def year_sources(year: ReportingYear, revision: int | None = None) -> YearSources:
    """The estimates and boundaries of ``year``'s revision (default: the published one)."""
    revision = revision if revision is not None else figures.revision(year)
    manifest = _manifest()
    files = {str(p.file): p for p in manifest.population} if manifest else {}
    estimates = tuple(
        Estimate(
            e.estimate_year, e.file, files[e.file].title if e.file in files else "", e.councils
        )
        for e in estimates_used(year, revision)
    )
    notes = tuple(
        dict.fromkeys(
            files[e.file].note for e in estimates if e.file in files and files[e.file].note
        )
    )
    titles = {b.vintage: b.title for b in manifest.boundaries} if manifest else {}
    return YearSources(year, revision, estimates, _boundaries(year, titles), notes)


def published_sources() -> list[YearSources]:
    """Every published year's sources, oldest first."""
    return [year_sources(year) for year in figures.published_years()]


def council_sources(year: ReportingYear) -> dict[str, tuple[int | None, str]]:
    """Each council's population source in a published year's figures, by GSS code: the ONS
    mid-year estimate (its year) and the reference file; {} for a year not published."""
    revision = figures.revision(year)
    return {} if revision is None else sources_by_authority(year, revision)
