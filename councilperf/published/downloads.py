"""Downloads of a published year's statistics export (CSV, XLSX) and its data dictionary.

The files are exactly what ``manage.py export_statistics --year Y --format csv|xlsx`` writes
for the year's latest frozen revision (same columns, same writers), so a figure on the site
can always be traced to a row of a file anyone can download.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.urls import reverse

from councilperf.published import figures, places
from councilperf.published.place_filter import Place, PlaceFilter
from councilperf.schemes import SCHEME_COLUMNS, SCHEMES
from councilperf.statistics.export import to_csv, write_xlsx
from councilperf.statistics.figures import export_row
from councilperf.statistics.selectors import EXPORT_COLUMNS
from councilperf.years import ReportingYear

UNFILTERED = PlaceFilter()
NOWHERE = Place()

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    meaning: str


_RATE = "Fraction from 0 to 1, unrounded; blank where the denominator is 0."
DICTIONARY: tuple[Column, ...] = (
    Column("year", "text", 'The reporting year, 1 April to 31 March, e.g. "2019-20".'),
    Column("authority_code", "text", "The council's GSS code (E06, E07, E08, E09 or E10…)."),
    Column("authority_name", "text", "The council's official name."),
    Column(
        "comparison_group",
        "text",
        "Its group of similar authorities that year: county, district, metropolitan, "
        "unitary or london (the City of London counts with the London boroughs).",
    ),
    Column(
        "complaints_received",
        "whole number",
        "Complaints and enquiries about the council received in the year.",
    ),
    Column(
        "decisions_made",
        "whole number",
        "Decisions made in the year, whatever the outcome (invalid or incomplete, advice "
        "given, referred back for local resolution, closed after initial enquiries, not "
        "upheld, upheld).",
    ),
    Column(
        "detailed_investigations",
        "whole number",
        "Decisions upheld or not upheld: the complaints investigated in detail.",
    ),
    Column(
        "upheld",
        "whole number",
        "Decisions where fault was found, including where the council accepted fault "
        "before the ombudsman investigated.",
    ),
    Column("upheld_rate", "fraction", f"upheld ÷ detailed_investigations. {_RATE}"),
    Column(
        "upheld_rate_lower",
        "fraction",
        "Lower end of the 95% Wilson score interval of upheld_rate; blank with no "
        "detailed investigations.",
    ),
    Column("upheld_rate_upper", "fraction", "Upper end of the same interval."),
    Column(
        "peer_upheld_rate",
        "fraction",
        "The average upheld rate of the council's comparison group that year (see peer_method).",
    ),
    Column(
        "upheld_comparison",
        "text",
        "lower, similar or higher: whether the interval lies wholly below, around or wholly "
        "above the group average; not_compared when there are fewer detailed "
        "investigations than the small-number threshold.",
    ),
    Column(
        "upheld_with_satisfactory_remedy",
        "whole number",
        "Upheld decisions where the council had already put things right before the "
        "complaint came to the ombudsman, and the ombudsman agreed with how it did so.",
    ),
    Column(
        "satisfactory_remedy_rate",
        "fraction",
        f"upheld_with_satisfactory_remedy ÷ upheld. {_RATE}",
    ),
    Column(
        "peer_satisfactory_remedy_rate",
        "fraction",
        "The comparison group's average satisfactory remedy rate.",
    ),
    Column(
        "compliance_outcomes",
        "whole number",
        "Compliance outcomes recorded in the year (one per decision whose recommendations "
        "fell due).",
    ),
    Column("complied", "whole number", "Outcomes: recommendations complied with on time."),
    Column("complied_late", "whole number", "Outcomes: complied with, but late."),
    Column("not_complied", "whole number", "Outcomes: not complied with."),
    Column(
        "compliance_rate",
        "fraction",
        f"(complied + complied_late) ÷ compliance_outcomes. {_RATE}",
    ),
    Column("peer_compliance_rate", "fraction", "The comparison group's average compliance rate."),
    Column(
        "late_remedy_rate",
        "fraction",
        f"Remedies completed late: complied_late ÷ compliance_outcomes. {_RATE}",
    ),
    Column(
        "late_remedy_rate_lower",
        "fraction",
        "Lower end of the 95% Wilson score interval of late_remedy_rate.",
    ),
    Column("late_remedy_rate_upper", "fraction", "Upper end of the same interval."),
    Column(
        "peer_late_remedy_rate",
        "fraction",
        "The comparison group's average share of remedies completed late.",
    ),
    Column(
        "reporting_scheme",
        "text",
        "The categories the year reports its decisions in: classic (the six outcomes, until "
        "2023-24) or dealt_with (from 2024-25). Only the year's own columns below are filled.",
    ),
    *(
        Column(c.code, "whole number", f"{c.label}: decisions in the {s.code} scheme's category.")
        for s in SCHEMES
        for c in s.categories
        if c.code in SCHEME_COLUMNS
    ),
    Column(
        "service_improvements",
        "whole number",
        "Recommendations agreed in the year's decisions that change how the council works "
        "(procedures, policies, training…).",
    ),
    Column(
        "public_reports", "whole number", "Public reports about the council issued in the year."
    ),
    Column(
        "population",
        "whole number",
        "Residents (ONS mid-year estimate used for the year); blank when unknown.",
    ),
    Column(
        "upheld_per_100k",
        "decimal",
        "upheld × 100,000 ÷ population; blank without a population.",
    ),
    Column(
        "peer_upheld_per_100k",
        "decimal",
        "The comparison group's upheld decisions per 100,000 residents.",
    ),
    Column(
        "peer_method",
        "text",
        "How group averages were made: pooled (the group's summed numerators over its "
        "summed denominators) or mean (the mean of the councils' rates).",
    ),
    Column(
        "revision",
        "whole number",
        "The revision of the year's published figures (1, then one more for each correction).",
    ),
)


def links(year: ReportingYear, chosen: PlaceFilter = UNFILTERED) -> list[dict[str, str]]:
    """The year's download links, one per format (kept to ``chosen``'s region and county)."""
    where = PlaceFilter(region=chosen.region, county=chosen.county)
    return [
        {
            "format": fmt.upper(),
            "url": reverse("opendata:statistics", args=[year, fmt]) + where.query(),
            "name": file_name(year, fmt, where),
            "filtered": "yes" if where.active else "",
        }
        for fmt in FORMATS
    ]


def file_name(year: ReportingYear, fmt: str, chosen: PlaceFilter = UNFILTERED) -> str:
    part = "".join(f"-{value}" for _, value in chosen.pairs())
    return f"council-performance-statistics-{year}{part}.{fmt}"


def export_file(year: ReportingYear, fmt: str, chosen: PlaceFilter = UNFILTERED) -> bytes:
    """The year's export as a file (``year`` already checked to be published), its rows kept
    to ``chosen``'s region and county."""
    chosen = PlaceFilter(region=chosen.region, county=chosen.county)
    number = figures.revision(year)
    key = f"public:download:{year}:{number}:{fmt}{chosen.query()}"
    found: bytes | None = cache.get(key)
    if found is not None:
        return found
    every = figures.authorities(year)
    where = places.places(every) if chosen.active else {}
    rows = (
        export_row(found)
        for code, found in every.items()
        if not chosen.active or chosen.keeps(where.get(code, NOWHERE), "")
    )
    table = [{c: row[c] for c in EXPORT_COLUMNS} for row in rows]
    if fmt == "csv":
        found = to_csv(table).encode("utf-8")
    else:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / file_name(year, fmt)
            write_xlsx(table, path)
            found = path.read_bytes()
    cache.set(key, found, 3600)
    return found
