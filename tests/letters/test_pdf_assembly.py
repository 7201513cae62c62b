"""Letters assembled from their own first part and the year's shared pages read exactly like
the same letter laid out whole; a first part that does not fit its page is laid out whole."""

from __future__ import annotations

import datetime as dt

import pytest

from councilperf.authorities.models import Authority, Contact
from councilperf.letters import batch, rendering, services
from councilperf.letters.pdf import PdfRenderer
from councilperf.statistics.models import ReviewYear
from tests.letters.conftest import reference_statistics
from tests.letters.pdftools import internals, pages


@pytest.fixture(scope="module")
def renderer() -> PdfRenderer:
    return PdfRenderer()


def content(job_title: str = "Director of Corporate Resources") -> rendering.LetterContent:
    review_year = ReviewYear(
        year="2019-20", letter_date=dt.date(2020, 7, 22), publication_date=dt.date(2020, 7, 29)
    )
    authority = Authority(gss_code="E07000038", official_name="Borsetshire District Council")
    contact = Contact(role="chief_executive", name="Ms Grundy", job_title=job_title)
    return rendering.build_letter(
        template=services.default_template(review_year),
        authority=authority,
        statistics=reference_statistics(),
        contacts=[contact],
    )


def test_assembled_letter_reads_like_the_whole_letter(renderer: PdfRenderer) -> None:
    letter = content()
    whole = rendering.render_html(letter, inline_css=False)
    assert letter.continuation_html  # the 2020 body has a page break
    assembled = renderer.render_letter(whole=whole, **batch.pdf_parts(letter))
    laid_out_whole = renderer.render(whole)
    assert pages(assembled) == pages(laid_out_whole)
    assert [f"Page {n} of 3" in page for n, page in enumerate(pages(assembled), 1)] == [True] * 3
    inside = internals(assembled)
    assert b"/Lang (en-GB)" in inside and b"/StructTreeRoot" in inside
    assert inside.count(b"/URI (https://www.lgo.org.uk/your-councils-performance)") == (
        internals(laid_out_whole).count(b"/URI (https://www.lgo.org.uk/your-councils-performance)")
    )


def test_first_part_too_long_for_its_page_is_laid_out_whole(
    renderer: PdfRenderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    letter = content(job_title=" ".join(["Director of Corporate Resources"] * 40))
    whole = rendering.render_html(letter, inline_css=False)
    laid_out_whole: list[str] = []
    render = renderer.render

    def spy(page: str) -> bytes:
        laid_out_whole.append(page)
        return render(page)

    monkeypatch.setattr(renderer, "render", spy)
    text_pages = pages(renderer.render_letter(whole=whole, **batch.pdf_parts(letter)))
    assert laid_out_whole == [whole]
    total = len(text_pages)
    assert total == 4
    assert [f"Page {n} of {total}" in page for n, page in enumerate(text_pages, 1)] == [True] * 4
    assert "Finally, we compare" in text_pages[2] and "Complaints upheld" in text_pages[3]
