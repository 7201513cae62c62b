"""From casework through the statistics engine to the letter: the reference letter again.

North East Derbyshire's 2019-20 casework as in the reference (2 detailed investigations,
none upheld, no compliance outcomes) beside another district council whose figures make the
district average exactly 89 upheld of 200 (44.5 %, shown as 45%). The statistics are
computed and frozen by the engine; the letter reads them through its selector.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from councilperf.authorities.models import Authority
from councilperf.casework.models import Case
from councilperf.letters import batch, sources
from councilperf.letters.models import Letter
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import compute_statistics, freeze_statistics
from councilperf.years import ReportingYear
from tests.factories import make_authority, make_case, make_dataset
from tests.letters.conftest import REFERENCE_LETTER
from tests.letters.pdftools import normalise, pdftotext
from tests.letters.test_reference_letter import word_diff


@pytest.fixture
def frozen_2019_20(review_year: ReviewYear, north_east_derbyshire: Authority) -> ReviewYear:
    demo = make_dataset(synthetic=True)
    for day in (3, 4):
        make_case(
            authority=north_east_derbyshire,
            dataset=demo,
            decision_date=dt.date(2019, 8, day),
            outcome="not_upheld",
        )
    neighbour = make_authority(name="Felpersham District")
    Case.objects.bulk_create(
        Case(
            authority=neighbour,
            dataset=demo,
            reference=f"19 900 {n:03d}",
            received_date=dt.date(2019, 5, 1),
            decision_date=dt.date(2019, 9, 1),
            outcome="upheld" if n < 89 else "not_upheld",
        )
        for n in range(198)
    )
    compute_statistics(year=ReportingYear(2019))
    freeze_statistics(year=ReportingYear(2019), reason="First publication.")
    return review_year


def test_letter_from_frozen_statistics_is_the_reference_letter(
    frozen_2019_20: ReviewYear, north_east_derbyshire: Authority, tmp_path: Path
) -> None:
    statistics = sources.load_statistics(ReportingYear(2019))["E07000038"]
    assert statistics.synthetic and statistics.revision == 1
    summary = batch.generate_letters(
        year=ReportingYear(2019), authority_codes=["E07000038"], out=tmp_path, processes=1
    )
    expected = normalise(REFERENCE_LETTER.read_text(encoding="utf-8"))
    actual = normalise(pdftotext(summary.directory / "E07000038.pdf"))
    assert word_diff(expected, actual) == ""
    letter = Letter.objects.get(authority=north_east_derbyshire)
    assert letter.statistics_revision == 1 and letter.synthetic


def test_no_statistics_is_a_clear_error(review_year: ReviewYear) -> None:
    with pytest.raises(sources.StatisticsUnavailable, match="compute_statistics"):
        sources.load_statistics(ReportingYear(2019))
