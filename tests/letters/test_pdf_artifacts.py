"""Page furniture is artifact, content is in the structure tree: in every letter PDF (whole
and assembled, demonstration or not) and in the review PDF, the "Demonstration data" banner
and the "Page N of M" footers are ``/Artifact`` marked content, every other marked-content
sequence belongs to the structure tree, and every figure has alternative text (the review's
chart-key swatches included). Walked with pikepdf (tests/letters/pdf_structure.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from councilperf.authorities.models import Authority, Contact
from councilperf.letters import batch, rendering, services
from councilperf.letters.pdf import PDF_OPTIONS, PdfRenderer
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear
from tests.letters.conftest import reference_statistics
from tests.letters.pdf_structure import walk
from tests.letters.pdftools import pages


@pytest.fixture(scope="module")
def renderer() -> PdfRenderer:
    return PdfRenderer()


def letter(*, synthetic: bool, corrected: bool = False) -> rendering.LetterContent:
    review_year = ReviewYear(
        year="2019-20", letter_date=dt.date(2020, 7, 22), publication_date=dt.date(2020, 7, 29)
    )
    authority = Authority(gss_code="E07000038", official_name="Borsetshire District Council")
    contact = Contact(role="chief_executive", name="Ms Grundy", job_title="Chief Executive")
    return rendering.build_letter(
        template=services.default_template(review_year),
        authority=authority,
        statistics=reference_statistics(synthetic=synthetic),
        contacts=[contact],
    )


@pytest.mark.parametrize("synthetic", [True, False])
def test_letter_furniture_is_artifact_and_content_is_in_the_tree(
    renderer: PdfRenderer, synthetic: bool
) -> None:
    content = letter(synthetic=synthetic)
    whole = rendering.render_html(content, inline_css=False)
    assembled = renderer.render_letter(whole=whole, **batch.pdf_parts(content))
    laid_out_whole = renderer.render(whole)
    for pdf in (assembled, laid_out_whole):
        found = walk(pdf)
        assert found.problems == []
        # Each page: its footer, and the banner above it when the data are synthetic.
        furniture = 2 if synthetic else 1
        assert len(found.artifacts_per_page) == 3
        assert all(n >= furniture for n in found.artifacts_per_page), found.artifacts_per_page
        assert all(n > 0 for n in found.tagged_per_page), found.tagged_per_page
        # The words are still there for a reader who looks at the page.
        assert [f"Page {n} of 3" in page for n, page in enumerate(pages(pdf), 1)] == [True] * 3
        assert all(("Demonstration data" in page) is synthetic for page in pages(pdf))


def test_without_the_finisher_the_check_finds_the_furniture(renderer: PdfRenderer) -> None:
    """The check can fail: WeasyPrint's own output leaves the margin text out of the tree."""
    whole = rendering.render_html(letter(synthetic=True), inline_css=False)
    plain = renderer.document(whole).write_pdf(**PDF_OPTIONS)
    problems = walk(plain).problems
    assert problems and all("outside the structure tree" in p for p in problems), problems
    # Three pages, each with a banner line and a footer line of text.
    assert len({p.split(":")[0] for p in problems}) == 3


@pytest.mark.django_db
def test_review_pdf_furniture_is_artifact_and_its_swatches_have_alt_text(
    settings: Any, tmp_path: Path
) -> None:
    from councilperf.site.builds import review_document
    from tests.site.conftest import build_world

    settings.BUILD_DIR = tmp_path / "build"
    build_world(synthetic=True)
    renderer = PdfRenderer()
    pdf = renderer.render(review_document(ReportingYear(2019)))
    found = walk(pdf)
    assert found.problems == []
    assert all(n >= 2 for n in found.artifacts_per_page), found.artifacts_per_page
    texts = pages(pdf)
    assert all("Demonstration data" in page for page in texts)
    assert len(texts) >= 2


@pytest.mark.django_db
def test_every_letter_of_a_year_passes(settings: Any, tmp_path: Path) -> None:
    from tests.factories import make_contact
    from tests.site.conftest import build_world

    settings.LETTERS_DIR = tmp_path / "letters"
    world = build_world(synthetic=True)
    councils = [world.north, world.south, world.county, world.unitary]
    for council in councils:
        make_contact(authority=council, name="Ms Aldridge", job_title="Chief Executive")
    for council in councils:
        made = batch.ensure_letter(authority=council, year=ReportingYear(2019), out=tmp_path)
        assert made is not None
        found = walk(Path(made.pdf_path).read_bytes())
        assert found.problems == [], council
        assert min(found.artifacts_per_page) >= 2
