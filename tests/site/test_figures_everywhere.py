"""The same figure reads the same everywhere: council page, home table, map JSON, compare
table, national review, letter and the JSON API (its exact fractions), for every
authority-year of the demo data, and the side-by-side page for a sample of councils (every
figure on it); the open data files hold the export's statistics.

The expected strings are worked here from the CSV export's exact counts with the one
rounding rule written out in integers (half away from zero on the exact value), never
through the site's formatter, so a surface that rounds a float, rounds half to even or
formats by its own rule fails. Surfaces are read from their rendered HTML (and the map's
JSON), parsed; the letters' HTML is rendered without a PDF.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from councilperf.authorities.models import Authority, AuthorityYear
from councilperf.years import ReportingYear
from tests.factories import publish_year

YEARS = tuple(y.label for y in ReportingYear.span("2018-19:2024-25"))
RATES = (
    "upheld_rate",
    "compliance_rate",
    "satisfactory_remedy_rate",
    "upheld_per_100k",
    "late_remedy_rate",
)
# The council page's key statistic cards, in order (per 100,000 is a row of its own).
CARDS = ("upheld_rate", "compliance_rate", "satisfactory_remedy_rate", "late_remedy_rate")
PEERS = tuple(f"peer:{r}" for r in RATES)
NONE = "–"


# ── the one rounding rule, in integers ─────────────────────────────────────────────────────


def whole_percent(numerator: int, denominator: int) -> str:
    if not denominator:
        return NONE
    # floor(100 n / d + 1/2) for n, d ≥ 0
    return f"{(200 * numerator + denominator) // (2 * denominator)}%"


def tenths(value: Fraction | None) -> str:
    if value is None:
        return NONE
    rounded = (20 * value.numerator + value.denominator) // (2 * value.denominator)
    return f"{rounded // 10:,}.{rounded % 10}"


def test_the_rule_itself() -> None:
    assert whole_percent(57, 200) == "29%"
    assert whole_percent(1, 8) == "13%"
    assert whole_percent(89, 200) == "45%"
    assert whole_percent(0, 0) == NONE
    assert tenths(Fraction(9 * 100_000, 400_000)) == "2.3"
    assert tenths(Fraction(1 * 100_000, 2_000_000)) == "0.1"


# ── a tiny DOM ─────────────────────────────────────────────────────────────────────────────

VOID = {"br", "img", "input", "meta", "link", "hr", "source", "col", "wbr", "area", "base"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join("".join(parts).split())

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find(self, match: Callable[[Node], bool]) -> list[Node]:
        return [n for n in self.walk() if match(n)]

    def cells(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and c.tag in ("td", "th")]


class Tree(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def dom(html: str) -> Node:
    return Tree(html).root


def by_class(name: str) -> Callable[[Node], bool]:
    return lambda n: name in n.classes()


# ── what each surface shows ────────────────────────────────────────────────────────────────

Key = tuple[str, str, str]  # (year, GSS code, measure or "peer:<measure>")


@dataclass
class Shown:
    """Every figure string read off a surface; None where the surface shows none."""

    found: dict[str, dict[Key, str | None]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, surface: str, key: Key, text: str | None) -> None:
        previous = self.found[surface].get(key, text)
        assert previous == text, f"{surface} shows {key} as both {previous!r} and {text!r}"
        self.found[surface][key] = text


def council_page(shown: Shown, html: str, year: str, code: str, codes: dict[str, str]) -> None:
    page = dom(html)
    for stat, measure in zip(page.find(by_class("cp-stat")), CARDS, strict=True):
        big = stat.find(by_class("cp-stat__big"))
        shown.add("council page", (year, code, measure), big[0].text if big else None)
        peers = [
            p.find(lambda n: n.tag == "strong")[0].text
            for p in stat.find(by_class("cp-stat__text"))
            if p.text.startswith("Average of similar councils:")
        ]
        shown.add("council page", (year, code, f"peer:{measure}"), peers[0] if peers else None)
    rate = next(
        d
        for d in page.find(by_class("govuk-summary-list__row"))
        if d.find(lambda n: n.tag == "dt")[0].text == "Upheld decisions per 100,000 residents"
    ).find(lambda n: n.tag == "dd")[0]
    value = " ".join(str(rate.children[0]).split())
    meta = rate.find(by_class("cp-meta"))[0].text
    peer = meta.removeprefix("(similar councils: ").split(";")[0].removesuffix(")")
    shown.add("council page", (year, code, "upheld_per_100k"), value)
    shown.add("council page", (year, code, "peer:upheld_per_100k"), peer)
    # The trend table repeats every published year of the council and its predecessors.
    trend = [
        table
        for table in page.find(lambda n: n.tag == "table")
        if table.find(lambda n: n.tag == "caption")
        and table.find(lambda n: n.tag == "caption")[0].text.startswith("Key statistics by year")
    ]
    assert len(trend) == 1
    for row in trend[0].find(lambda n: n.tag == "tr")[1:]:
        if "cp-scheme-break" in row.classes():  # the line where the reporting scheme changes
            continue
        cells = [c.text for c in row.cells()]
        links = [a for a in row.find(lambda n: n.tag == "a") if a.attrs["href"][0] == "/"]
        owner = codes[links[0].attrs["href"].split("/")[2]] if links else code
        notes = row.find(lambda n: n.tag == "a" and "cp-note-mark" in n.classes())
        # The demo records the 2022-23 change of triage: its rows carry the note's marker.
        assert bool(notes) == cells[0].startswith("2022-23"), cells[0]
        key = (cells[0].split(" ")[0], owner)
        shown.add("council trend", (*key, "upheld_rate"), cells[2])
        shown.add("council trend", (*key, "peer:upheld_rate"), cells[3])
        shown.add("council trend", (*key, "compliance_rate"), cells[4])
        shown.add("council trend", (*key, "satisfactory_remedy_rate"), cells[5])
        shown.add("council trend", (*key, "upheld_per_100k"), cells[6])
        shown.add("council trend", (*key, "late_remedy_rate"), cells[7])


def home_table(shown: Shown, html: str, year: str, measure: str, codes: dict[str, str]) -> int:
    table = dom(html).find(lambda n: n.attrs.get("id") == "figures-table")[0]
    rows = table.find(lambda n: n.tag == "tr")[1:]
    for row in rows:
        slug = row.find(lambda n: n.tag == "a")[0].attrs["href"].split("/")[2]
        text = row.cells()[2].text.removesuffix(" too few")  # the small-number marker
        shown.add("home table", (year, codes[slug], measure), text)
    return len(rows)


def map_json(shown: Shown, data: dict[str, Any], year: str) -> None:
    for code, authority in data["authorities"].items():
        for measure in RATES:
            shown.add("map JSON", (year, code, measure), authority["display"][measure])


COMPARE_SECTIONS = {
    "upheld": "upheld_rate",
    "compliance": "compliance_rate",
    "satisfactory_remedy": "satisfactory_remedy_rate",
    "upheld_per_100k": "upheld_per_100k",
    "late_remedy": "late_remedy_rate",
}


def compare_page(shown: Shown, html: str, year: str) -> dict[str, str]:
    """The compare tables; returns each section's stated group average."""
    page = dom(html)
    averages = {}
    for section in page.find(by_class("cp-compare-section")):
        key = section.attrs["aria-labelledby"]
        measure = COMPARE_SECTIONS[key]
        averages[measure] = section.find(lambda n: n.tag == "strong")[0].text
        for row in section.find(lambda n: n.tag == "tr" and "data-code" in n.attrs):
            code = row.attrs["data-code"]
            shown.add("compare table", (year, code, measure), row.cells()[3].text)
            shown.add("compare table", (year, code, f"peer:{measure}"), averages[measure])
    # The one table of all measures: the council, then each measure's rate and label, in the
    # sections' order; each rate must read as its section's table does.
    (table,) = page.find(lambda n: n.tag == "table" and n.attrs.get("id") == "compare-all")
    for row in table.find(lambda n: n.tag == "tr" and "data-code" in n.attrs):
        cells = row.cells()
        assert len(cells) == 1 + 2 * len(COMPARE_SECTIONS)
        for i, measure in enumerate(COMPARE_SECTIONS.values()):
            shown.add(
                "compare table", (year, row.attrs["data-code"], measure), cells[1 + 2 * i].text
            )
    return averages


def review_groups(html: str) -> dict[tuple[str, str], str]:
    """The review's table by type of council: (group, measure) → string."""
    found = {}
    for cell in dom(html).find(lambda n: n.attrs.get("data-figure", "").startswith("group:")):
        _, group, measure = cell.attrs["data-figure"].split(":")
        found[(group, measure)] = cell.text
    return found


LETTER_BLOCKS = {
    "upheld": "upheld_rate",
    "compliance": "compliance_rate",
    "remedy": "satisfactory_remedy_rate",
    "upheld_per_100k": "upheld_per_100k",
    "late_remedy": "late_remedy_rate",
}


def letter(shown: Shown, html: str, year: str, code: str) -> None:
    for block in dom(html).find(lambda n: n.tag == "section" and by_class("stat-block")(n)):
        key = next(c[len("stat-") :] for c in block.classes() if c != "stat-block")
        if key == "categories":  # counts in the year's reporting categories, not a measure
            continue
        measure = LETTER_BLOCKS[key]
        headline = block.find(by_class("stat-headline"))
        comparison = block.find(by_class("stat-comparison"))
        value = headline[0].find(lambda n: n.tag == "strong")[0].text if headline else None
        peer = comparison[0].find(lambda n: n.tag == "strong")[0].text if comparison else None
        shown.add("letter", (year, code, measure), value)
        shown.add("letter", (year, code, f"peer:{measure}"), peer)


# The side-by-side page (/compare/?councils=…) for a sample of councils: North East
# Derbyshire with the councils it borders; and six of six types, among them Buckinghamshire
# Council (from 2020-21, so its predecessors' years) and North Yorkshire Council (2023-24).
SIDE_BY_SIDE = (
    ("E07000038", "E07000034", "E07000033"),
    ("E06000060", "E06000042", "E10000002", "E09000007", "E08000019", "E06000065"),
)
SIDE_MEASURES = ("upheld_rate", "compliance_rate", "satisfactory_remedy_rate", "upheld_per_100k")


def side_by_side(shown: Shown, html: str) -> int:
    """Every figure of the page, by the year and council it belongs to; how many."""
    figures = dom(html).find(by_class("cp-side-figure"))
    for span in figures:
        year, code, measure = span.attrs["data-figure"].split(":")
        value = span.find(by_class("cp-side-figure__value"))[0].text
        shown.add("side by side", (year, code, measure), value)
    return len(figures)


def check_side_by_side(client: Client, shown: Shown, slugs: dict[str, str]) -> None:
    for codes in SIDE_BY_SIDE:
        html = client.get("/compare/?councils=" + ",".join(slugs[c] for c in codes))
        assert html.status_code == 200, codes
        text = html.content.decode()
        found = side_by_side(shown, text)
        # Every figure string in the tables is one of those read (and so checked).
        assert text.count('class="govuk-table__cell govuk-table__cell--numeric"') == (
            len(YEARS) * len(SIDE_MEASURES) * len(codes)
        )
        assert found >= len(SIDE_MEASURES) * len(codes)
    # The council page's trend table and the side-by-side page show the same years of each
    # council and its predecessors (the council trend holds every page's rows).
    side = {(y, c) for y, c, _ in shown.found["side by side"]}
    assert side <= {(y, c) for y, c, _ in shown.found["council trend"]}
    assert {(y, "E07000038") for y in YEARS} <= side
    bucks_predecessors = {c for y, c in side if y == "2019-20"} - set(SIDE_BY_SIDE[1])
    assert len(bucks_predecessors) >= 5  # districts Buckinghamshire and North Yorkshire replaced


# ── expected, from the CSV export ──────────────────────────────────────────────────────────


def expected_from_csv(rows: list[dict[str, str]]) -> dict[Key, str]:
    def n(row: dict[str, str], name: str) -> int:
        return int(row[name] or 0)

    result: dict[Key, str] = {}
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        assert row["peer_method"] == "pooled"
        groups[row["comparison_group"]].append(row)
    peers: dict[tuple[str, str], str] = {}
    for group, members in groups.items():
        total = {k: sum(n(r, k) for r in members) for k in rows[0] if k in COUNTS}
        known = [r for r in members if r["population"]]
        peers[(group, "upheld_rate")] = whole_percent(
            total["upheld"], total["detailed_investigations"]
        )
        peers[(group, "compliance_rate")] = whole_percent(
            total["complied"] + total["complied_late"], total["compliance_outcomes"]
        )
        peers[(group, "satisfactory_remedy_rate")] = whole_percent(
            total["upheld_with_satisfactory_remedy"], total["upheld"]
        )
        peers[(group, "late_remedy_rate")] = whole_percent(
            total["complied_late"], total["compliance_outcomes"]
        )
        population = sum(n(r, "population") for r in known)
        peers[(group, "upheld_per_100k")] = tenths(
            Fraction(sum(n(r, "upheld") for r in known) * 100_000, population)
            if population
            else None
        )
    for row in rows:
        key = (row["year"], row["authority_code"])
        result[(*key, "upheld_rate")] = whole_percent(
            n(row, "upheld"), n(row, "detailed_investigations")
        )
        result[(*key, "compliance_rate")] = whole_percent(
            n(row, "complied") + n(row, "complied_late"), n(row, "compliance_outcomes")
        )
        result[(*key, "satisfactory_remedy_rate")] = whole_percent(
            n(row, "upheld_with_satisfactory_remedy"), n(row, "upheld")
        )
        result[(*key, "late_remedy_rate")] = whole_percent(
            n(row, "complied_late"), n(row, "compliance_outcomes")
        )
        population = n(row, "population")
        result[(*key, "upheld_per_100k")] = tenths(
            Fraction(n(row, "upheld") * 100_000, population) if population else None
        )
        for measure in RATES:
            result[(*key, f"peer:{measure}")] = peers[(row["comparison_group"], measure)]
    return result


COUNTS = {
    "detailed_investigations",
    "upheld",
    "upheld_with_satisfactory_remedy",
    "compliance_outcomes",
    "complied",
    "complied_late",
    "population",
}


def api_figures(shown: Shown, client: Client, year: str) -> None:
    """The JSON API's exact fractions, written with the one rule (never the site's formatter)."""
    url: str | None = f"/api/v1/years/{year}/figures?per_page=500"
    while url:
        page = client.get(url).json()
        for found in page["results"]:
            for m in found["measures"]:
                key = (year, found["authority_code"], m["code"])
                write = tenths if m["kind"] == "per_100k" else percent_of_fraction
                shown.add("API", key, write(_exact(m["rate_fraction"])))
                shown.add(
                    "API",
                    (*key[:2], f"peer:{m['code']}"),
                    write(_exact(m["peer_average_fraction"])),
                )
        url = page["next"]


def _exact(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(text)


def percent_of_fraction(value: Fraction | None) -> str:
    return NONE if value is None else whole_percent(value.numerator, value.denominator)


# ── the demo world ─────────────────────────────────────────────────────────────────────────


def build_demo(reference_dir: Any) -> None:
    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    span = f"{YEARS[0]}:{YEARS[-1]}"
    call_command("load_reference_data", "--dir", str(reference_dir), "--years", span, **quiet)
    call_command("generate_demo_data", "--years", span, "--scale", "0.05", **quiet)
    call_command("compute_statistics", "--all", **quiet)
    call_command("freeze_statistics", "--year", span, "--skip-frozen", **quiet)
    for year in YEARS:
        publish_year(year)


def letters_html(year: str, codes: Iterable[str]) -> Iterator[tuple[str, str]]:
    from councilperf.letters import rendering, services, sources
    from councilperf.statistics.models import ReviewYear

    review_year = ReviewYear.objects.get(year=year)
    template = services.default_template(review_year)
    template.show_upheld_per_100k = True  # every block the letter can print
    template.show_late_remedies = True
    statistics = sources.load_statistics(ReportingYear.parse(year))
    authorities = {
        a.gss_code: a
        for a in Authority.objects.filter(gss_code__in=list(codes)).prefetch_related("contacts")
    }
    for code, found in statistics.items():
        content = rendering.build_letter(
            template=template, authority=authorities[code], statistics=found
        )
        yield code, rendering.render_html(content, inline_css=False)


def read_year(
    client: Client, shown: Shown, year: str, slugs: dict[str, str], codes: dict[str, str]
) -> tuple[list[dict[str, str]], dict[str, Any]]:
    from django.conf import settings

    response = client.get(f"/downloads/{year}/statistics.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    seen = {"home rows": 0}
    for tier in ("upper", "lower"):
        for measure in RATES:
            page = client.get(f"/?year={year}&tier={tier}&metric={measure}")
            seen["home rows"] += home_table(shown, page.content.decode(), year, measure, codes)
    map_json(shown, json.loads(client.get(f"/map-data/{year}/figures.json").content), year)
    api_figures(shown, client, year)
    # The open data files (built ahead) hold the same statistics as the site's export.
    opendata = Path(settings.BUILD_DIR) / "opendata" / year / "r1"
    assert (opendata / "statistics.csv").read_bytes() == response.content
    served = json.loads(client.get(f"/downloads/{year}/statistics.json").getvalue())
    assert [{k: "" if r[k] is None else str(r[k]) for k in COUNTS} for r in served] == [
        {k: r[k] for k in COUNTS} for r in rows
    ]
    averages: dict[str, dict[str, str]] = {}
    for group in sorted({r["comparison_group"] for r in rows}):
        page = client.get(f"/compare/{year}/{group}/")
        assert page.status_code == 200
        averages[group] = compare_page(shown, page.content.decode(), year)
    review = review_groups(client.get(f"/review/{year}/").content.decode())
    for row in rows:
        code = row["authority_code"]
        page = client.get(f"/councils/{slugs[code]}/{year}/")
        assert page.status_code == 200, (code, year)
        council_page(shown, page.content.decode(), year, code, codes)
        for measure in RATES:
            shown.add(
                "review",
                (year, code, f"peer:{measure}"),
                review[(row["comparison_group"], measure)],
            )
    for code, html in letters_html(year, [r["authority_code"] for r in rows]):
        letter(shown, html, year, code)
    return rows, seen


@pytest.mark.slow
@pytest.mark.django_db
def test_every_authority_year_reads_the_same_on_every_surface(
    client: Client, reference_dir: Any, settings: Any, tmp_path: Path
) -> None:
    started = time.monotonic()
    build_demo(reference_dir)
    settings.BUILD_DIR = tmp_path / "build"
    call_command("build_open_data", stdout=StringIO(), stderr=StringIO())
    slugs = dict(Authority.objects.values_list("gss_code", "slug"))
    codes = {slug: code for code, slug in slugs.items()}
    shown = Shown()
    expected: dict[Key, str] = {}
    authority_years = 0
    for year in YEARS:
        rows, seen = read_year(client, shown, year, slugs, codes)
        assert seen["home rows"] > 0
        authority_years += len(rows)
        expected.update(expected_from_csv(rows))
    assert authority_years == AuthorityYear.objects.count() > 2000
    check_side_by_side(client, shown, slugs)

    keys = {(y, c) for y, c, _ in expected}
    assert len(keys) == authority_years
    checked = 0
    for surface, found in shown.found.items():
        for key, text in found.items():
            assert key in expected, f"{surface} shows {key}, which the export does not have"
            if text is not None:
                assert text == expected[key], (
                    f"{surface}: {key} is {text!r}, export says {expected[key]!r}"
                )
                checked += 1
    # Every surface that shows each authority-year shows every measure and peer average.
    for surface in ("council page", "map JSON", "compare table", "letter", "API"):
        covered = {(y, c) for y, c, _ in shown.found[surface]}
        assert covered == keys, f"{surface} misses {sorted(keys - covered)[:5]}"
    for surface, wanted in (
        ("API", RATES + PEERS),
        ("council page", RATES + PEERS),
        ("compare table", RATES + PEERS),
        ("review", PEERS),
        ("map JSON", RATES),
    ):
        for year, code in keys:
            for measure in wanted:
                text = shown.found[surface][(year, code, measure)]
                assert text is not None or expected[(year, code, measure)] == NONE, (
                    surface,
                    code,
                    year,
                    measure,
                )
    # A letter states a measure whenever it has a denominator, with its peer average.
    for year, code in keys:
        for measure in RATES:
            value = shown.found["letter"][(year, code, measure)]
            assert (value is None) == (expected[(year, code, measure)] == NONE), (
                year,
                code,
                measure,
            )
            if value is not None and expected[(year, code, f"peer:{measure}")] != NONE:
                assert shown.found["letter"][(year, code, f"peer:{measure}")] is not None
    assert len({(y, c) for y, c, _ in shown.found["home table"]}) == authority_years
    print(
        f"\n{authority_years} authority-years, {checked} figure strings checked on "
        f"{len(shown.found)} surfaces in {time.monotonic() - started:.0f} s"
    )


# ── hand-worked cases ──────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_hand_worked_figures_read_the_same_everywhere(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    """57 of 200 → "29%" (a float would give 28.499…); 1 of 8 → "13%" (half to even would
    give 12); 9 per 400,000 → "2.3" and 1 per 2,000,000 → "0.1" per 100,000 residents (the
    floats 2.25 and 0.05 with ``.1f`` give 2.2 and 0.1)."""
    import datetime as dt

    from tests.factories import (
        make_authority,
        make_case,
        make_compliance,
        make_recommendation,
        make_review_year,
    )

    years = ("2019-20",)
    day = dt.date(2019, 10, 1)
    ambridge = make_authority(name="Ambridge", group="district", years=years, population=90_000)
    borchester = make_authority(name="Borchester", group="unitary", years=years, population=400_000)
    felpersham = make_authority(
        name="Felpersham", group="metropolitan", years=years, population=2_000_000
    )
    for i in range(200):
        case = make_case(
            authority=ambridge,
            decision_date=day,
            outcome="upheld" if i < 57 else "not_upheld",
            service_area="housing",
        )
        if i < 8:
            make_recommendation(case=case)
            # 1 of 8 complied (late): compliance and late remedies both 13%.
            make_compliance(case=case, outcome="complied_late" if i == 0 else "not_complied")
    for _ in range(9):
        make_case(authority=borchester, decision_date=day, outcome="upheld", service_area="housing")
    make_case(authority=felpersham, decision_date=day, outcome="upheld", service_area="housing")
    make_review_year(year="2019-20")
    publish_year("2019-20")

    slugs = dict(Authority.objects.values_list("gss_code", "slug"))
    shown = Shown()
    settings.BUILD_DIR = tmp_path / "build"
    call_command("build_open_data", stdout=StringIO(), stderr=StringIO())
    read_year(client, shown, "2019-20", slugs, {s: c for c, s in slugs.items()})
    cases = {
        (ambridge.gss_code, "upheld_rate"): "29%",
        (ambridge.gss_code, "compliance_rate"): "13%",
        (ambridge.gss_code, "late_remedy_rate"): "13%",
        (borchester.gss_code, "upheld_per_100k"): "2.3",
        (felpersham.gss_code, "upheld_per_100k"): "0.1",
    }
    surfaces = (
        "council page",
        "council trend",
        "home table",
        "map JSON",
        "compare table",
        "letter",
        "API",
    )
    for (code, measure), text in cases.items():
        for surface in surfaces:
            assert shown.found[surface][("2019-20", code, measure)] == text, (surface, code)
        # Each council is alone in its group: the similar-authority average is its own figure.
        for surface in ("council page", "compare table", "review", "letter", "API"):
            peer = shown.found[surface][("2019-20", code, f"peer:{measure}")]
            assert peer == text, (surface, code, measure)
