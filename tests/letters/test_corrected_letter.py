"""A letter made from a correction (statistics revision 2 or later) says so on its first
page: "Corrected", the revision, the correction's date and its reason; a letter of the
first revision says nothing of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.letters import batch, sources, wording
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.factories import make_case, make_dataset
from tests.letters.pdftools import flat, pages
from tests.letters.test_from_statistics import frozen_2019_20  # noqa: F401 (fixture)

YEAR = ReportingYear.parse("2019-20")
REASON = "A case decided in August 2019 was recorded as not upheld; it was upheld."


def _letter(tmp_path: Path) -> tuple[str, str]:
    """North East Derbyshire's letter: the PDF's first page and the HTML, as they are now."""
    summary = batch.generate_letters(
        year=YEAR, authority_codes=["E07000038"], out=tmp_path, processes=1
    )
    first_page = flat(pages(summary.directory / "E07000038.pdf")[0])
    page = (summary.directory / "E07000038.html").read_text(encoding="utf-8")
    return first_page, flat(page)


@pytest.mark.usefixtures("frozen_2019_20")
def test_corrected_letter_says_corrected_on_page_one(
    north_east_derbyshire: Authority, tmp_path: Path
) -> None:
    first_page, page = _letter(tmp_path)
    assert "Corrected" not in first_page and "revision" not in first_page
    assert "Corrected" not in page.partition("<body")[2]

    make_case(
        authority=north_east_derbyshire,
        dataset=make_dataset(synthetic=True),
        decision_date=dt.date(2019, 8, 20),
        outcome="upheld",
    )
    correct_statistics(year=YEAR, reason=REASON)
    first_page, page = _letter(tmp_path)

    day = wording.long_date(timezone.localdate())
    for text in (first_page, page):
        assert "Corrected" in text
        assert "revision 2 of the 2019-20 statistics" in text
        assert day in text
        assert REASON in text


def test_first_revision_has_no_correction(frozen_2019_20: ReviewYear) -> None:  # noqa: F811
    assert sources.correction_for(YEAR, 1) is None
    assert sources.correction_for(YEAR, None) is None
    assert sources.correction_for(YEAR, 2) is None  # no such revision stored
