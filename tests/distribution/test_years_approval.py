"""A year's letter template must be reviewed by a publisher, as it is now, before the year
may be approved: the review replaced the "unchanged from last year" rule (whose findings —
last year's body, a kept "this year only" paragraph — the letters page still shows the
reviewer: ``services.template_problems``)."""

from __future__ import annotations

import pytest

from councilperf.distribution import lifecycle, yearstart
from councilperf.distribution.lifecycle import CycleError, Stage
from councilperf.letters import batch, services, yearcheck
from councilperf.letters.models import LetterTemplate
from councilperf.statistics.models import ReviewYear
from tests.distribution.conftest import approve
from tests.factories import make_review_year


def test_approval_refused_until_the_edited_template_is_reviewed_again(
    year: ReviewYear, users: dict
) -> None:
    this_year = LetterTemplate.objects.get(review_year=year)
    this_year.body = this_year.body.replace("I write to you", "We write to you", 1)
    this_year.save()
    batch.generate_letters(year=year.reporting_year, processes=1)
    with pytest.raises(CycleError, match="Letter template reviewed: changed since publisher"):
        approve(year, users["publisher"])
    assert lifecycle.stage(year) is Stage.FROZEN
    yearstart.review_template(year=year.reporting_year, user=users["publisher"])
    approve(year, users["publisher"])
    assert lifecycle.stage(year) is Stage.APPROVED


def test_a_body_equal_to_last_years_is_shown_to_the_reviewer_not_a_blocker(
    year: ReviewYear, users: dict
) -> None:
    this_year = LetterTemplate.objects.get(review_year=year)
    last = services.template_for_year(make_review_year(year="2018-19"))
    last.body = this_year.body.replace(yearcheck.THIS_YEAR_ONLY, "")
    last.save()
    assert "the body is the same as 2018-19's" in " ".join(services.template_problems(this_year))
    approve(year, users["publisher"])  # reviewed as it is: the publisher's call
    assert lifecycle.stage(year) is Stage.APPROVED
