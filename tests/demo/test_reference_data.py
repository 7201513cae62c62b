"""The demo data on the real register: the reference letter's facts, through the statistics."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from councilperf.authorities.models import Contact
from councilperf.demo.calibration import doc_table, report_lines
from councilperf.demo.services import generate_demo_data
from councilperf.statistics.selectors import authority_figures, group_averages
from councilperf.statistics.services import compute_statistics
from councilperf.years import ReportingYear


@pytest.mark.slow
def test_reference_letter_facts_hold_for_the_real_councils(loaded_reference_data):
    result = generate_demo_data(keep_data=True)
    assert result.written
    assert len(result.authorities) > 350
    calibration = result.calibration()
    assert calibration is not None
    assert calibration.failures() == []
    assert any(f.kind == "per_100k" for f in calibration.figures)
    doc = (Path(settings.BASE_DIR) / "docs" / "demo-data.md").read_text(encoding="utf-8")
    assert doc_table(doc) == report_lines(calibration, markdown=True), (
        "docs/demo-data.md is out of date: run python manage.py generate_demo_data --update-doc"
    )

    compute_statistics(year=ReportingYear(2019))
    ned = authority_figures(year=ReportingYear(2019), authority_code="E07000038")
    assert ned["detailed_investigations"] == 2
    assert ned["upheld"] == 0
    assert ned["compliance_outcomes"] == 0
    assert ned["synthetic"] is True
    assert group_averages(year=ReportingYear(2019))["district"]["upheld_rate_percent"] == 45

    chief = Contact.objects.get(authority__gss_code="E07000038", role="chief_executive")
    assert (chief.name, chief.job_title) == ("Mr Hickin", "Director of Corporate Resources")
