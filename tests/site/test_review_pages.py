"""The national review, its downloads and the data dictionary.

The reconciliation test reads every figure the review page shows (each cell carries a
``data-figure`` address) and checks it against sums of the statistics export that the site
offers for download (the CSV), computed here independently of the review code.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
from collections import Counter
from fractions import Fraction
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from councilperf.statistics.core.rounding import whole_percent
from councilperf.statistics.selectors import EXPORT_COLUMNS
from tests.factories import (
    make_authority,
    make_compliance,
    make_dataset,
    make_recommendation,
    make_review_year,
    publish_year,
)
from tests.site.conftest import World, decide, get_page

IN_2018 = dt.date(2018, 11, 1)
IN_2019 = dt.date(2019, 11, 1)
TWO_YEARS = ("2018-19", "2019-20")


@pytest.fixture
def two_years(db: None) -> None:
    """Two published years of a small England: a county with two districts, a unitary, a
    metropolitan and a London borough, with decisions in several service areas."""
    dataset = make_dataset()
    county = make_authority(name="Borsetshire", group="county", years=TWO_YEARS, population=400_000)
    north = make_authority(
        name="North Borsetshire", group="district", years=TWO_YEARS, population=150_000
    )
    south = make_authority(
        name="South Borsetshire", group="district", years=TWO_YEARS, population=250_000
    )
    unitary = make_authority(
        name="Felpersham", group="unitary", years=TWO_YEARS, population=150_000
    )
    metro = make_authority(
        name="Hollerton", group="metropolitan", years=TWO_YEARS, population=300_000
    )
    london = make_authority(name="Waterley", group="london", years=TWO_YEARS, population=250_000)
    plan: list[tuple[object, str, str, int, int, dt.date]] = [
        # council, outcome, service area, how many, of them remedied by the council, when
        (county, "upheld", "adult_care", 7, 2, IN_2019),
        (county, "not_upheld", "adult_care", 3, 0, IN_2019),
        (county, "upheld", "education_and_childrens", 4, 0, IN_2018),
        (north, "upheld", "planning_and_development", 1, 0, IN_2019),
        (north, "advice_given", "housing", 2, 0, IN_2019),
        (south, "upheld", "housing", 5, 1, IN_2019),
        (south, "not_upheld", "environment_and_regulation", 4, 0, IN_2018),
        (unitary, "upheld", "highways_and_transport", 3, 0, IN_2019),
        (unitary, "closed_after_initial_enquiries", "benefits_and_tax", 6, 0, IN_2019),
        (metro, "upheld", "benefits_and_tax", 2, 0, IN_2018),
        (metro, "not_upheld", "corporate_and_other", 2, 0, IN_2019),
        (london, "upheld", "housing", 2, 0, IN_2019),
        (london, "invalid_or_incomplete", "housing", 1, 0, IN_2019),
    ]
    for council, outcome, area, count, remedied, day in plan:
        for i in range(count):
            case = decide(
                council,  # type: ignore[arg-type]
                outcome,
                day=day,
                dataset=dataset,
                service_area=area,
                remedied_by_authority=i < remedied,
                public_report_date=day if outcome == "upheld" and i == 0 else None,
            )
            if outcome == "upheld" and i < 2:
                make_recommendation(case=case, service_improvement=True, description="Train staff")
                make_compliance(
                    case=case,
                    outcome="complied" if i == 0 else "not_complied",
                    recorded_date=day + dt.timedelta(days=30),
                )
    for year, letter, published in (
        ("2018-19", dt.date(2019, 7, 24), dt.date(2019, 7, 31)),
        ("2019-20", dt.date(2020, 7, 22), dt.date(2020, 7, 29)),
    ):
        make_review_year(year=year, letter_date=letter, publication_date=published)
        publish_year(year)


def figures_on(html: str) -> dict[str, str]:
    found = dict(re.findall(r'data-figure="([^"]+)">([^<]*)<', html))
    assert found, "the page shows no figures"
    return found


def export_of(client: Client, year: str) -> list[dict[str, str]]:
    response = client.get(f"/downloads/{year}/statistics.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def total(rows: list[dict[str, str]], *columns: str) -> int:
    return sum(int(r[c] or 0) for r in rows for c in columns)


def expected(rows: list[dict[str, str]], measure: str, *, national: bool) -> str:
    """A review figure worked out from the export rows it covers."""
    if measure == "upheld_rate":
        value = whole_percent(total(rows, "upheld"), total(rows, "detailed_investigations"))
    elif measure == "compliance_rate":
        value = whole_percent(
            total(rows, "complied", "complied_late"), total(rows, "compliance_outcomes")
        )
    elif measure == "satisfactory_remedy_rate":
        value = whole_percent(total(rows, "upheld_with_satisfactory_remedy"), total(rows, "upheld"))
    elif measure == "late_remedy_rate":
        value = whole_percent(total(rows, "complied_late"), total(rows, "compliance_outcomes"))
    elif measure == "upheld_per_100k":
        # England's residents counted once: district populations are inside their county's.
        counted = [r for r in rows if not (national and r["comparison_group"] == "district")]
        population = total(counted, "population")
        return f"{float(Fraction(total(rows, 'upheld') * 100_000, population)):.1f}"
    else:
        return f"{total(rows, measure):,}"
    return "–" if value is None else f"{value}%"


def test_every_review_figure_reconciles_with_the_export(client: Client, two_years: None) -> None:
    html = client.get("/review/2019-20/").content.decode()
    shown = figures_on(html)
    exports = {year: export_of(client, year) for year in TWO_YEARS}
    checked = 0
    for address, text in shown.items():
        scope, *rest = address.split(":")
        measure = rest[-1]
        rows: list[dict[str, str]]
        if scope == "national":
            rows, national = exports["2019-20"], True
        elif scope == "previous":
            rows, national = exports["2018-19"], True
        elif scope == "trend":
            rows, national = exports[rest[0]], True
        elif scope == "group":
            rows = [r for r in exports["2019-20"] if r["comparison_group"] == rest[0]]
            national = False
        else:
            assert scope == "area", address
            continue  # the export has no service areas: reconciled in the next test
        assert text == expected(rows, measure, national=national), address
        checked += 1
    assert checked >= 10 * (1 + 1 + 2 + 5)  # national, previous, two trend years, five groups


def test_service_areas_add_up_to_the_export_totals(client: Client, two_years: None) -> None:
    shown = figures_on(client.get("/review/2019-20/").content.decode())
    rows = export_of(client, "2019-20")
    for measure in (
        "complaints_received",
        "decisions_made",
        "detailed_investigations",
        "upheld",
        "service_improvements",
        "public_reports",
    ):
        areas = [
            int(text.replace(",", ""))
            for address, text in shown.items()
            if address.startswith("area:") and address.endswith(f":{measure}")
        ]
        assert sum(areas) == total(rows, measure), measure
    # One area by hand: housing in 2019-20 is South (5 upheld, 1 remedied) and Waterley
    # (2 upheld, 1 invalid) plus North's 2 advice decisions: 10 decisions, 7 upheld of 7.
    assert shown["area:housing:decisions_made"] == "10"
    assert shown["area:housing:upheld_rate"] == "100%"
    assert shown["area:housing:satisfactory_remedy_rate"] == "14%"  # 1 of 7


def test_headline_figures_and_change_by_hand(client: Client, two_years: None) -> None:
    page = get_page(client, "/review/2019-20/")
    assert page.h1 == ["Review of Local Government Complaints 2019-20"]
    shown = figures_on(client.get("/review/2019-20/").content.decode())
    # 2019-20: upheld 7 + 1 + 5 + 3 + 2 = 18 of 18 + 3 + 2 = 23 detailed investigations.
    assert shown["national:upheld"] == "18"
    assert shown["national:detailed_investigations"] == "23"
    assert shown["national:upheld_rate"] == "78%"  # 18/23 = 78.3 %
    # 2018-19: 4 + 2 upheld of 4 + 2 + 4 = 10: 60 %. Change: 78.26 − 60 = +18 points.
    assert shown["previous:upheld_rate"] == "60%"
    assert "+18 percentage points" in page.text
    # Upheld per 100,000: 18 of 400k + 150k + 300k + 250k = 1.1 million residents → 1.6.
    assert shown["national:upheld_per_100k"] == "1.6"
    assert shown["group:district:upheld_per_100k"] == "1.5"  # 6 of 400,000
    assert "Since 2018-19" in page.text
    assert "/review/2019-20/review.pdf?download" in page.links
    assert "/downloads/2019-20/statistics.csv" in page.links
    assert "/compare/2019-20/district/" in page.links


def test_review_and_downloads_are_for_published_years_only(client: Client, world: World) -> None:
    assert client.get("/review/").status_code == 302
    assert client.get("/review/")["Location"] == "/review/2019-20/"
    page = get_page(client, "/review/2019-20/")
    assert "Since 2019-20" in page.text  # the first published year: no previous year
    for year in ("2020-21", "2021-22", "2018-19"):
        for url in (
            f"/review/{year}/",
            f"/review/{year}/review.pdf",
            f"/downloads/{year}/statistics.csv",
            f"/downloads/{year}/statistics.xlsx",
        ):
            assert client.get(url).status_code == 404, url
    assert client.get("/downloads/2019-20/statistics.json").status_code == 404
    assert "2020-21" not in get_page(client, "/downloads/").text


def test_downloads_are_the_export(client: Client, world: World) -> None:
    from openpyxl import load_workbook

    response = client.get("/downloads/2019-20/statistics.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "council-performance-statistics-2019-20.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert world.newtown.gss_code not in {r["authority_code"] for r in rows}
    north = next(r for r in rows if r["authority_code"] == world.north.gss_code)
    assert (north["upheld"], north["detailed_investigations"]) == ("0", "2")

    xlsx = client.get("/downloads/2019-20/statistics.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True)["statistics"]
    table = list(sheet.iter_rows(values_only=True))
    assert tuple(table[0]) == EXPORT_COLUMNS
    assert len(table) == len(rows) + 1


def test_data_dictionary_describes_every_export_column(client: Client, world: World) -> None:
    from councilperf.published.downloads import DICTIONARY

    assert tuple(c.name for c in DICTIONARY) == EXPORT_COLUMNS
    page = get_page(client, "/downloads/")
    for column in EXPORT_COLUMNS:
        assert column in page.text, column
    assert "/downloads/2019-20/statistics.csv" in page.links


def test_demonstration_data_is_labelled(client: Client, demo_world: World) -> None:
    label = "Demonstration data — not real ombudsman decisions"
    assert label in get_page(client, "/review/2019-20/").text
    assert label in get_page(client, "/compare/2019-20/district/").text


def test_nav_and_footer_lead_to_the_review_and_downloads(client: Client, world: World) -> None:
    page = get_page(client, "/")
    assert "/review/" in page.links
    assert "/downloads/" in page.links


def test_sitemap_lists_the_review_and_compare_pages(client: Client, world: World) -> None:
    body = client.get("/sitemap.xml").content.decode()
    for path in ("/review/2019-20/", "/compare/2019-20/district/", "/downloads/"):
        assert path in body, path
    assert "/compare/2019-20/london/" not in body  # no London borough in this world
    assert "/review/2020-21/" not in body


@pytest.mark.slow
def test_review_pdf_is_built_ahead_with_its_charts(
    client: Client, two_years: None, tmp_path: Path, settings: Any
) -> None:
    from django.core.management import call_command
    from PIL import Image

    from tests.letters.pdftools import flat, pages

    settings.BUILD_DIR = tmp_path / "build"
    out = StringIO()
    call_command("build_review_pdfs", stdout=out)
    assert "2019-20:" in out.getvalue() and "written" in out.getvalue()
    built = tmp_path / "build" / "review" / "review-2019-20.pdf"
    assert built.is_file()
    response = client.get("/review/2019-20/review.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == built.read_bytes()  # type: ignore[attr-defined]
    response = client.get("/review/2019-20/review.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert built.read_bytes().startswith(b"%PDF")
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    texts = pages(content)
    text = flat(" ".join(texts))
    assert "Review of Local Government Complaints 2019-20" in text
    assert "Complaints and enquiries received" in text
    assert "By type of council" in text and "By service area" in text
    # The charts are drawn (in their colours: bars and the upheld line in blue, the
    # compliance line in brown, the remedy line in green) on the pages after "Since 2018-19".
    assert "Since 2018-19" in text
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm not found (poppler-utils)")
    pdf = tmp_path / "review.pdf"
    pdf.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    colours: Counter[tuple[int, int, int]] = Counter()
    for png in sorted(tmp_path.glob("page-*.png")):
        colours.update(Image.open(png).convert("RGB").getdata())

    def near(rgb: tuple[int, int, int]) -> int:
        return sum(
            n
            for c, n in colours.items()
            if all(abs(a - b) < 24 for a, b in zip(c, rgb, strict=True))
        )

    assert near((0x1D, 0x4F, 0x76)) > 200, "no bars or upheld-rate line"
    assert near((0x8A, 0x4B, 0x00)) > 20, "no compliance line"
    assert near((0x00, 0x5A, 0x30)) > 5, "no satisfactory-remedy line"
    again = client.get("/review/2019-20/review.pdf", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    rerun = StringIO()
    call_command("build_review_pdfs", "--year", "2019-20", stdout=rerun)
    assert "unchanged" in rerun.getvalue()


def test_a_missing_review_pdf_is_a_logged_404_not_a_render(
    client: Client, two_years: None, tmp_path: Path, settings: Any, caplog: Any
) -> None:
    settings.BUILD_DIR = tmp_path / "empty"
    with caplog.at_level("ERROR", logger="councilperf.site.views"):
        response = client.get("/review/2019-20/review.pdf")
    assert response.status_code == 404
    assert "build_review_pdfs" in caplog.text
    assert not (tmp_path / "empty").exists()  # nothing was written


def test_build_review_pdfs_refuses_an_unpublished_year(two_years: None) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="not a published review year: 2030-31"):
        call_command("build_review_pdfs", "--year", "2030-31", stdout=StringIO())
