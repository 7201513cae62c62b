"""Acceptance: the 2020 letter to North East Derbyshire reads exactly like the real one."""

from __future__ import annotations

import difflib
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from councilperf.authorities.models import Authority
from councilperf.letters import batch, wording
from councilperf.letters.models import Letter
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear
from tests.letters.conftest import REFERENCE_LETTER, reference_statistics
from tests.letters.pdftools import internals, normalise, pages, pdftotext


@pytest.fixture
def generated(
    review_year: ReviewYear, north_east_derbyshire: Authority, tmp_path: Path
) -> batch.Summary:
    return batch.generate_letters(
        year=ReportingYear(2019),
        authority_codes=["E07000038"],
        out=tmp_path,
        statistics={"E07000038": reference_statistics()},
        processes=1,
    )


def word_diff(expected: str, actual: str) -> str:
    return "\n".join(
        difflib.unified_diff(
            expected.split(" "), actual.split(" "), "reference", "generated", lineterm="", n=4
        )
    )


def test_pdf_text_is_the_reference_letter(generated: batch.Summary) -> None:
    pdf = generated.directory / "E07000038.pdf"
    expected = normalise(REFERENCE_LETTER.read_text(encoding="utf-8"))
    actual = normalise(pdftotext(pdf))
    diff = word_diff(expected, actual)
    assert diff == "", f"generated letter differs from the reference:\n{diff}"


class _Text(HTMLParser):
    """The visible text of a page, a space at each block boundary, nothing from <head>."""

    BLOCKS = frozenset({"p", "h1", "h2", "h3", "br", "li", "address", "div", "section"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("head", "style"):
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style"):
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def test_html_has_the_same_words(generated: batch.Summary) -> None:
    """The HTML file beside the PDF says the same, in the same order."""
    parser = _Text()
    parser.feed((generated.directory / "E07000038.html").read_text(encoding="utf-8"))
    expected = normalise(REFERENCE_LETTER.read_text(encoding="utf-8"))
    assert word_diff(expected, normalise("".join(parser.parts))) == ""


def pdfinfo(pdf: Path) -> dict[str, str]:
    output = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(pdf)], capture_output=True, check=True, text=True
    ).stdout
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in output.splitlines())
    }


def test_pdf_is_an_accessible_a4_letter(generated: batch.Summary) -> None:
    path = generated.directory / "E07000038.pdf"
    info = pdfinfo(path)
    assert info["Page size"].endswith("(A4)")
    assert info["Title"] == "Annual Review letter 2020: North East Derbyshire District Council"
    assert info["Author"] == "Michael King, Local Government and Social Care Ombudsman"
    assert info["Tagged"] == "yes"
    # The letter over two pages, the statistics on a page of their own, each page numbered.
    text_pages = pages(path)
    assert info["Pages"] == "3" and len(text_pages) == 3
    first_lines = [line for line in text_pages[2].splitlines() if line.strip()]
    assert first_lines[:2] == [wording.DEMO_LABEL, "Complaints upheld"]
    for number, page in enumerate(text_pages, start=1):
        assert f"Page {number} of 3" in page
        assert wording.DEMO_LABEL in page  # demonstration data says so on every page
    inside = internals(path.read_bytes())
    assert b"/Lang (en-GB)" in inside
    assert b"/StructTreeRoot" in inside and b"pdfuaid:part" in inside  # PDF/UA-1
    assert b"/URI (https://www.lgo.org.uk/your-councils-performance)" in inside
    assert b"/URI (https://www.lgo.org.uk/training)" in inside
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(row.split()[-5:-2] == ["yes", "yes", "yes"] for row in rows)


def test_letter_is_recorded(generated: batch.Summary, north_east_derbyshire: Authority) -> None:
    letter = Letter.objects.get(authority=north_east_derbyshire)
    assert letter.statistics_revision == 1
    assert letter.template_version == 1
    assert letter.synthetic
    assert Path(letter.pdf_path) == generated.directory / "E07000038.pdf"
    assert generated.generated == ["E07000038"]


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_is_accessible_and_semantic(generated: batch.Summary) -> None:
    parser = _Structure()
    parser.feed((generated.directory / "E07000038.html").read_text(encoding="utf-8"))
    tags = parser.tags
    assert ("html", {"lang": "en-GB"}) in tags
    names = [tag for tag, _ in tags]
    assert names.count("h1") == 1 and names.count("main") == 1 and names.count("title") == 1
    headings = [tag for tag in names if tag in ("h1", "h2", "h3")]
    assert headings[0] == "h1" and set(headings[1:]) == {"h2"}  # no skipped levels
    ids = [attrs["id"] for _, attrs in tags if attrs.get("id")]
    assert len(ids) == len(set(ids))
    links = [attrs.get("href") or "" for tag, attrs in tags if tag == "a"]
    assert len(links) == 4 and all(link.startswith("https://") for link in links)
    labelled = [attrs["aria-labelledby"] for _, attrs in tags if attrs.get("aria-labelledby")]
    assert labelled and all(label in ids for label in labelled)
