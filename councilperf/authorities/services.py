"""Write the reference-data plan to the database: atomic, idempotent, with a summary."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from councilperf.years import ReportingYear

from .models import Authority, AuthoritySlug, AuthorityYear, Border, Boundary
from .reference.files import ShapeRow, read_register, read_shapes
from .reference.manifest import read_manifest
from .reference.neighbours import bordering_pairs
from .reference.plan import (
    FIRST_DAY,
    PlannedAuthority,
    PlannedYear,
    check_codes,
    check_priorities,
    plan_authorities,
    plan_years,
)
from .reference.populations import read_populations


@dataclass
class LoadSummary:
    added: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    per_year: dict[str, Counter[str]] = field(default_factory=dict)
    missing_population: dict[str, list[str]] = field(default_factory=dict)
    missing_boundary: dict[str, list[str]] = field(default_factory=dict)

    @property
    def nothing_changed(self) -> bool:
        return not (sum(self.added.values()) or sum(self.changed.values()) or self.removed)


def default_years(today: dt.date | None = None) -> list[ReportingYear]:
    """2018-19 up to the last complete reporting year."""
    last = ReportingYear.containing(today or dt.date.today()).previous
    return [ReportingYear(y) for y in range(FIRST_DAY.year, last.start_year + 1)]


def load_reference_data(
    *, directory: Path, years: list[ReportingYear] | None = None, manifest: Path | None = None
) -> LoadSummary:
    """Read every reference file the manifest names (default ``settings.REFERENCE_MANIFEST``),
    check it, then write authorities, years and boundaries.

    Raises ``ReferenceDataError`` before writing anything if a file is missing or malformed.
    """
    years = years or default_years()
    files = read_manifest(manifest or Path(settings.REFERENCE_MANIFEST))
    register = read_register(directory)
    populations = read_populations(directory, files.population)
    shapes = read_shapes(
        directory, [(b.vintage, b.file, b.tier, b.year, b.format) for b in files.boundaries]
    )
    authorities = plan_authorities(register)
    check_codes(authorities, populations, shapes)
    check_priorities(populations)
    known = {a.gss_code for a in authorities}
    shapes = [s for s in shapes if s.gss_code in known]
    planned_years = plan_years(authorities, populations, shapes, years)

    summary = LoadSummary()
    with transaction.atomic():
        by_gss = _write_authorities(authorities, summary)
        boundaries = _write_boundaries(shapes, by_gss, summary)
        _write_borders(shapes, by_gss, summary)
        _write_years(planned_years, by_gss, boundaries, summary)

    for row in planned_years:
        summary.per_year.setdefault(row.year, Counter())[row.group] += 1
        name = f"{by_gss[row.gss_code].short_name} ({row.gss_code})"
        if row.population is None:
            summary.missing_population.setdefault(row.year, []).append(name)
        if row.upper_vintage is None and row.lower_vintage is None:
            summary.missing_boundary.setdefault(row.year, []).append(name)
    return summary


def _write_authorities(
    planned: list[PlannedAuthority], summary: LoadSummary
) -> dict[str, Authority]:
    existing = {a.gss_code: a for a in Authority.objects.all()}
    fields = [
        "register_code",
        "official_name",
        "short_name",
        "slug",
        "register_type",
        "group",
        "region",
        "start_date",
        "end_date",
    ]
    for item in planned:
        values = {f: getattr(item, f) for f in fields}
        current = existing.get(item.gss_code)
        if current is None:
            existing[item.gss_code] = Authority.objects.create(gss_code=item.gss_code, **values)
            summary.added["authorities"] += 1
        elif any(getattr(current, f) != v for f, v in values.items()):
            if current.slug != item.slug:
                _retire_slug(current, summary)
            for f, v in values.items():
                setattr(current, f, v)
            current.save()
            summary.changed["authorities"] += 1
        else:
            summary.unchanged["authorities"] += 1
    # An address in use again (a council renamed back, or a new one taking the name) is
    # nobody's former address any more.
    AuthoritySlug.objects.filter(slug__in=[item.slug for item in planned]).delete()

    by_register = {a.register_code: a for a in existing.values()}
    for item in planned:
        authority = existing[item.gss_code]
        county = by_register.get(item.county_code) if item.county_code else None
        if authority.county_id != (county.pk if county else None):
            authority.county = county
            authority.save(update_fields=["county"])
            summary.changed["county links"] += 1
        wanted = {by_register[c].pk for c in item.successor_codes if c in by_register}
        have = set(authority.successors.values_list("pk", flat=True))
        if wanted != have:
            authority.successors.set(wanted)
            summary.changed["successor links"] += 1
    return existing


def _retire_slug(authority: Authority, summary: LoadSummary) -> None:
    """The register names ``authority`` differently now: its old address becomes a former
    one, so links to it keep working (``public.selectors.authorities.renamed``)."""
    AuthoritySlug.objects.update_or_create(
        slug=authority.slug,
        defaults={"authority": authority, "name": authority.short_name},
    )
    summary.added["former addresses"] += 1


def _write_boundaries(
    shapes: list[ShapeRow], by_gss: dict[str, Authority], summary: LoadSummary
) -> dict[tuple[str, str], Boundary]:
    existing = {
        (b.vintage, b.authority.gss_code): b for b in Boundary.objects.select_related("authority")
    }
    wanted = set()
    for shape in shapes:
        key = (shape.vintage, shape.gss_code)
        wanted.add(key)
        current = existing.get(key)
        if current is None:
            existing[key] = Boundary.objects.create(
                vintage=shape.vintage,
                tier=shape.tier,
                authority=by_gss[shape.gss_code],
                geometry=shape.geometry,
            )
            summary.added["boundaries"] += 1
        elif current.geometry != shape.geometry or current.tier != shape.tier:
            current.geometry = shape.geometry
            current.tier = shape.tier
            current.save()
            summary.changed["boundaries"] += 1
        else:
            summary.unchanged["boundaries"] += 1
    stale = [b.pk for key, b in existing.items() if key not in wanted]
    if stale:
        Boundary.objects.filter(pk__in=stale).delete()
        summary.removed["boundaries"] += len(stale)
    return {k: v for k, v in existing.items() if k in wanted}


def _write_years(
    planned: list[PlannedYear],
    by_gss: dict[str, Authority],
    boundaries: dict[tuple[str, str], Boundary],
    summary: LoadSummary,
) -> None:
    existing = {
        (row.authority.gss_code, row.year): row
        for row in AuthorityYear.objects.select_related("authority")
    }
    wanted = set()
    to_create = []
    changed: defaultdict[str, int] = defaultdict(int)
    for item in planned:
        key = (item.gss_code, item.year)
        wanted.add(key)
        values = {
            "group": item.group,
            "population": item.population,
            "population_estimate": item.population_estimate,
            "population_source": item.population_source,
            "population_file": item.population_file,
            "upper_boundary_id": (
                boundaries[(item.upper_vintage, item.gss_code)].pk if item.upper_vintage else None
            ),
            "lower_boundary_id": (
                boundaries[(item.lower_vintage, item.gss_code)].pk if item.lower_vintage else None
            ),
        }
        current = existing.get(key)
        if current is None:
            to_create.append(
                AuthorityYear(authority=by_gss[item.gss_code], year=item.year, **values)
            )
        elif any(getattr(current, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(current, f, v)
            current.save()
            changed["authority years"] += 1
        else:
            summary.unchanged["authority years"] += 1
    AuthorityYear.objects.bulk_create(to_create, batch_size=500)
    summary.added["authority years"] += len(to_create)
    summary.changed.update(changed)
    stale = [row.pk for key, row in existing.items() if key not in wanted]
    if stale:
        AuthorityYear.objects.filter(pk__in=stale).delete()
        summary.removed["authority years"] += len(stale)


def _write_borders(
    shapes: list[ShapeRow], by_gss: dict[str, Authority], summary: LoadSummary
) -> None:
    """Each vintage's bordering pairs, stored both ways round; only the difference is written.

    Skipped when no boundary changed and every vintage already has its pairs."""
    by_vintage: defaultdict[str, list[ShapeRow]] = defaultdict(list)
    for shape in shapes:
        by_vintage[shape.vintage].append(shape)
    moved = any(c["boundaries"] for c in (summary.added, summary.changed, summary.removed))
    stored = set(Border.objects.values_list("vintage", flat=True).distinct())
    if not moved and stored == set(by_vintage):
        return
    wanted: dict[tuple[str, int, int], str] = {}
    for vintage, rows in by_vintage.items():
        for a, b in bordering_pairs([(r.gss_code, r.geometry) for r in rows]):
            first, second = by_gss[a].pk, by_gss[b].pk
            wanted[(vintage, first, second)] = rows[0].tier
            wanted[(vintage, second, first)] = rows[0].tier
    existing = {
        (v, a, n): pk
        for pk, v, a, n in Border.objects.values_list("pk", "vintage", "authority", "neighbour")
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        Border.objects.filter(pk__in=stale).delete()
        summary.removed["bordering pairs"] += len(stale) // 2
    new = [
        Border(vintage=v, tier=tier, authority_id=a, neighbour_id=n)
        for (v, a, n), tier in wanted.items()
        if (v, a, n) not in existing
    ]
    Border.objects.bulk_create(new, batch_size=1000)
    summary.added["bordering pairs"] += len(new) // 2
    summary.unchanged["bordering pairs"] += (len(wanted) - len(new)) // 2


def border_counts() -> dict[tuple[str, str], int]:
    """Bordering pairs stored per (tier, vintage)."""
    counts: Counter[tuple[str, str]] = Counter()
    for tier, vintage in Border.objects.values_list("tier", "vintage"):
        counts[(tier, vintage)] += 1
    return {key: n // 2 for key, n in counts.items()}
