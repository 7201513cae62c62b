"""Acceptance on the demo data: the 2021, 2023 and 2025 letters to North East Derbyshire are
each year's own — their year-specific paragraphs, signatory and dates — and the 2025 one
shows upheld decisions per 100,000 residents and the year's new categories."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from councilperf.authorities.models import Authority
from councilperf.authorities.services import load_reference_data
from councilperf.demo.services import generate_demo_data
from councilperf.letters import rendering, services, sources, yearcheck
from councilperf.schemes import OUTCOMES
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import compute_statistics, freeze_statistics
from councilperf.years import ReportingYear

CODE = "E07000038"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("head", "style")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("head", "style")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def letter_text(year: str) -> str:
    review_year = ReviewYear.objects.get(year=year)
    authority = Authority.objects.prefetch_related("contacts").get(gss_code=CODE)
    content = rendering.build_letter(
        template=services.template_for_year(review_year),
        authority=authority,
        statistics=sources.load_statistics(ReportingYear.parse(year))[CODE],
    )
    parser = _Text()
    parser.feed(rendering.render_html(content))
    return " ".join(" ".join(parser.parts).split())


def plain(paragraph: str) -> str:
    """A template paragraph as the letter prints it (no Markdown, no placeholders)."""
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", paragraph.replace("*", ""))
    return " ".join(text.split())


@pytest.mark.slow
def test_demo_letters_of_2021_2023_and_2025_are_their_own(db: None, reference_dir: Path) -> None:
    load_reference_data(directory=reference_dir, years=ReportingYear.span("2019-20:2024-25"))
    generate_demo_data(years="2019-20:2024-25")
    for year in ("2019-20", "2020-21", "2022-23", "2024-25"):
        compute_statistics(year=ReportingYear.parse(year))
        freeze_statistics(year=ReportingYear.parse(year))
    letters = {year: letter_text(year) for year in ("2019-20", "2020-21", "2022-23", "2024-25")}
    reference = services.template_for_year(ReviewYear.objects.get(year="2019-20"))
    marked = [plain(p) for p in yearcheck.marked_paragraphs(reference.body)]
    assert "Given the exceptional pressures" in letters["2019-20"]
    for year in ("2020-21", "2022-23", "2024-25"):
        text = letters[year]
        for paragraph in marked:
            assert paragraph[:60] not in text, (year, paragraph[:60])
        assert "Given the exceptional pressures" not in text
        assert "Demonstration data" in text
    expected = {
        "2020-21": ("Michael King", "21 July 2021", "28 July 2021", "18 March to 29 June 2020"),
        "2022-23": ("Paul Najsarek", "12 July 2023", "19 July 2023", "borderline"),
        "2024-25": ("Amerdeep Somal", "21 May 2025", "16 July 2025", "monitoring officer"),
    }
    for year, (signatory, letter_date, publication, own_words) in expected.items():
        text = letters[year]
        assert f"Yours sincerely, {signatory}" in text, year
        assert text.count("Michael King") == (year == "2020-21"), year
        assert letter_date in text and f"on {publication}" in text and own_words in text, year
    latest = letters["2024-25"]
    assert "Upheld decisions per 100,000 residents" in latest
    for category in ("Dealt with", "Not for us", "Assessed and closed", "Investigated"):
        assert category in latest
    assert "Upheld decisions per 100,000 residents" not in letters["2022-23"]
    assert "Not for us" not in letters["2022-23"]
    figures = sources.load_statistics(ReportingYear(2024))[CODE]
    counts = dict(figures.counts)
    dealt_with = sum(counts[code] for code in OUTCOMES)
    assert dealt_with > 0
    assert f"{dealt_with} Dealt with" in latest
    assert f"{figures.detailed_investigations} Investigated" in latest
    print(latest[latest.index("Complaints dealt with") :][:400])
