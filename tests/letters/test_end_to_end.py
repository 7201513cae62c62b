"""End to end on the demo data: the real register, the demo generator, the statistics
engine, ``generate_letters`` — the 2020 letter to North East Derbyshire is the reference."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from councilperf.authorities.services import load_reference_data
from councilperf.demo.services import generate_demo_data
from councilperf.letters.models import Letter
from councilperf.statistics.services import compute_statistics, freeze_statistics
from councilperf.years import ReportingYear
from tests.letters.conftest import REFERENCE_LETTER
from tests.letters.pdftools import normalise, pdftotext
from tests.letters.test_reference_letter import word_diff


@pytest.mark.slow
def test_demo_letter_for_north_east_derbyshire_is_the_reference(
    db: None, reference_dir: Path, tmp_path: Path
) -> None:
    load_reference_data(directory=reference_dir, years=ReportingYear.span("2019-20"))
    generate_demo_data(years="2019-20:2019-20")
    compute_statistics(year=ReportingYear(2019))
    freeze_statistics(year=ReportingYear(2019))
    call_command(
        "generate_letters",
        "--year",
        "2019-20",
        "--authority",
        "E07000038",
        "--out",
        str(tmp_path),
        "--processes",
        "1",
        verbosity=0,
    )
    pdf = tmp_path / "2019-20" / "E07000038.pdf"
    expected = normalise(REFERENCE_LETTER.read_text(encoding="utf-8"))
    diff = word_diff(expected, normalise(pdftotext(pdf)))
    print(f"pdftotext diff against the reference letter: {diff!r}")
    assert diff == ""
    letter = Letter.objects.get(authority__gss_code="E07000038", review_year__year="2019-20")
    assert letter.statistics_revision == 1 and letter.synthetic
