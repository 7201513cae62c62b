"""Turn reference records into what to store. Pure functions: no Django, no I/O."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from councilperf.groups import REGISTER_TYPE_GROUPS, TIER_GROUPS
from councilperf.years import ReportingYear

from .files import (
    ENGLISH_AUTHORITY_CODE,
    PopulationRow,
    ReferenceDataError,
    RegisterRow,
    ShapeRow,
)

FIRST_DAY = dt.date(2018, 4, 1)  # the first reporting year the product covers is 2018-19

GROUPS = REGISTER_TYPE_GROUPS
UPPER_GROUPS = TIER_GROUPS["upper"]
LOWER_GROUPS = TIER_GROUPS["lower"]


@dataclass(frozen=True)
class PlannedAuthority:
    gss_code: str
    register_code: str
    official_name: str
    short_name: str
    slug: str
    register_type: str
    group: str
    region: str
    start_date: dt.date | None
    end_date: dt.date | None
    county_code: str  # register code of the county, for a district
    successor_codes: tuple[str, ...]  # register codes

    def existed_in(self, year: ReportingYear) -> bool:
        return (self.start_date is None or self.start_date <= year.end) and (
            self.end_date is None or year.start <= self.end_date
        )


@dataclass(frozen=True)
class PlannedYear:
    gss_code: str
    year: str
    group: str
    population: int | None
    population_estimate: int | None
    population_source: str
    population_file: str
    upper_vintage: str | None
    lower_vintage: str | None


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def plan_authorities(
    rows: Iterable[RegisterRow], *, first_day: dt.date = FIRST_DAY
) -> list[PlannedAuthority]:
    """English councils of the five groups that existed on or after ``first_day``.

    The register writes an end date either as the last day (2020-03-31) or as the successor's
    first day (2021-04-01); both become the last day of existence.
    """
    english = [r for r in rows if r.nation == "England" and r.register_type in GROUPS]
    starts = {r.register_code: r.start_date for r in english}
    by_code = {r.register_code: r for r in english}
    planned: list[PlannedAuthority] = []
    used_slugs: set[str] = set()
    for row in sorted(english, key=lambda r: (r.start_date or dt.date.min, r.register_code)):
        end = row.end_date
        if end is not None and (
            any(starts.get(code) == end for code in row.replaced_by)
            or (end.month, end.day) == (4, 1)
        ):
            end -= dt.timedelta(days=1)
        if end is not None and end < first_day:
            continue
        region = row.region or next(
            (by_code[c].region for c in row.replaced_by if c in by_code and by_code[c].region),
            "",
        )
        slug = slugify(row.short_name) or slugify(row.official_name)
        if slug in used_slugs:  # e.g. North Yorkshire (county) and North Yorkshire Council
            slug = slugify(row.official_name)
        if slug in used_slugs:
            slug = f"{slug}-{row.register_code.lower()}"
        used_slugs.add(slug)
        planned.append(
            PlannedAuthority(
                gss_code=row.gss_code,
                register_code=row.register_code,
                official_name=row.official_name,
                short_name=row.short_name,
                slug=slug,
                register_type=row.register_type,
                group=GROUPS[row.register_type],
                region=region,
                start_date=row.start_date,
                end_date=end,
                county_code=row.county_code if GROUPS[row.register_type] == "district" else "",
                successor_codes=row.replaced_by,
            )
        )
    return sorted(planned, key=lambda a: a.gss_code)


def check_codes(
    authorities: list[PlannedAuthority],
    populations: list[PopulationRow],
    shapes: list[ShapeRow],
) -> None:
    """Every English council code in a population or boundary file must be a known authority."""
    known = {a.gss_code for a in authorities}
    for source, code in [(p.source, p.gss_code) for p in populations] + [
        (s.vintage, s.gss_code) for s in shapes
    ]:
        if ENGLISH_AUTHORITY_CODE.match(code) and code not in known:
            raise ReferenceDataError(
                source, f"GSS code {code} matches no authority in the register"
            )


def check_priorities(populations: list[PopulationRow]) -> None:
    """Two files holding the same estimate year for a council with different figures must
    differ in ``priority`` (the manifest says which wins)."""
    top: dict[tuple[str, int, str], PopulationRow] = {}
    for row in populations:
        key = (row.gss_code, row.estimate_year, row.tier)
        other = top.get(key)
        if other is None or row.priority > other.priority:
            top[key] = row
        elif row.priority == other.priority and row.population != other.population:
            raise ReferenceDataError(
                row.source,
                f"{row.gss_code} mid-{row.estimate_year} is {row.population} here and "
                f"{other.population} in {other.source}: give one file a higher `priority`",
            )


def _best(rows: list[PopulationRow]) -> PopulationRow:
    """Of one estimate year's rows for a council, the one of the highest priority."""
    return max(rows, key=lambda r: r.priority)


def _choose_population(
    authority: PlannedAuthority,
    year: ReportingYear,
    estimates: dict[str, list[PopulationRow]],
    predecessors: list[PlannedAuthority],
) -> tuple[int | None, int | None, str, str]:
    """(population, estimate year, description, file(s)): the latest estimate not after the
    year's first year, else the earliest there is; of two files with that estimate year the
    one of the higher priority."""
    # Counties from the upper-tier files, districts from the lower-tier files.
    preferred_tier = {"county": "upper", "district": "lower"}.get(authority.group)
    own = [e for e in estimates.get(authority.gss_code, []) if preferred_tier in (None, e.tier)]
    wanted = year.start_year
    if own:
        earlier = [e for e in own if e.estimate_year <= wanted]
        if earlier:
            best = max(e.estimate_year for e in earlier)
        else:
            best = min(e.estimate_year for e in own)
        first = _best([e for e in own if e.estimate_year == best])
        note = ""
        if best < wanted:
            note = f" (no mid-{wanted} estimate for this council: the latest before it)"
        elif best > wanted:
            note = " (no estimate up to then for this council: the earliest there is)"
        source = f"ONS mid-{best} estimate, {first.source}{note}"
        return first.population, best, source, first.source
    # A council created after the last estimate: the sum of its lower-tier predecessors.
    parts = [p for p in predecessors if p.group != "county"]
    if not parts:
        return None, None, "", ""
    part_estimates = [estimates.get(p.gss_code, []) for p in parts]
    if any(not e for e in part_estimates):
        return None, None, "", ""
    common = set.intersection(*({e.estimate_year for e in es} for es in part_estimates))
    usable = [y for y in common if y <= wanted] or sorted(common)[:1]
    if not usable:
        return None, None, "", ""
    best = max(usable)
    total = 0
    files = set()
    for es in part_estimates:
        at_best = [e for e in es if e.estimate_year == best]
        chosen = _best([e for e in at_best if e.tier == "lower"] or at_best)
        total += chosen.population
        files.add(chosen.source)
    names = ", ".join(p.short_name for p in sorted(parts, key=lambda p: p.short_name))
    source = f"ONS mid-{best} estimates summed over predecessors ({names})"
    return total, best, source, ", ".join(sorted(files))


def _choose_vintage(
    code: str, year: ReportingYear, vintages: list[tuple[str, int]], available: set[tuple[str, str]]
) -> str | None:
    """The boundary vintage nearest the year that has this authority's shape."""
    order = sorted(vintages, key=lambda v: (abs(v[1] - year.start_year), v[1]))
    for vintage, _ in order:
        if (vintage, code) in available:
            return vintage
    return None


def plan_years(
    authorities: list[PlannedAuthority],
    populations: list[PopulationRow],
    shapes: list[ShapeRow],
    years: list[ReportingYear],
) -> list[PlannedYear]:
    estimates: dict[str, list[PopulationRow]] = defaultdict(list)
    for row in populations:
        estimates[row.gss_code].append(row)
    for rows in estimates.values():
        rows.sort(key=lambda r: (r.estimate_year, -r.priority, r.source))
    by_register = {a.register_code: a for a in authorities}
    predecessors: dict[str, list[PlannedAuthority]] = defaultdict(list)
    for authority in authorities:
        for code in authority.successor_codes:
            if code in by_register:
                predecessors[by_register[code].gss_code].append(authority)
    available = {(s.vintage, s.gss_code) for s in shapes}
    vintages: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for shape in shapes:
        if (shape.vintage, shape.vintage_year) not in vintages[shape.tier]:
            vintages[shape.tier].append((shape.vintage, shape.vintage_year))

    planned = []
    for year in years:
        for authority in authorities:
            if not authority.existed_in(year):
                continue
            population, estimate, source, file = _choose_population(
                authority, year, estimates, predecessors[authority.gss_code]
            )
            code = authority.gss_code
            upper = (
                _choose_vintage(code, year, vintages["upper"], available)
                if authority.group in UPPER_GROUPS
                else None
            )
            lower = (
                _choose_vintage(code, year, vintages["lower"], available)
                if authority.group in LOWER_GROUPS
                else None
            )
            planned.append(
                PlannedYear(
                    gss_code=code,
                    year=year.label,
                    group=authority.group,
                    population=population,
                    population_estimate=estimate,
                    population_source=source,
                    population_file=file,
                    upper_vintage=upper,
                    lower_vintage=lower,
                )
            )
    return planned
