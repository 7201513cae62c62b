"""A year's letter must be its own before a publisher may approve it: approval is refused
while its body is last year's, or keeps a paragraph last year marked "this year only"."""

from __future__ import annotations

import pytest

from councilperf.distribution import lifecycle
from councilperf.distribution.lifecycle import CycleError, Stage
from councilperf.letters import batch, services, yearcheck
from councilperf.letters.models import LetterTemplate
from councilperf.statistics.models import ReviewYear
from tests.distribution.conftest import approve
from tests.factories import make_review_year


def last_year_with(body: str) -> LetterTemplate:
    """2018-19's template, its body ``body``."""
    template = services.template_for_year(make_review_year(year="2018-19"))
    template.body = body
    template.save()
    return template


def test_approval_refused_while_the_body_equals_last_years(year: ReviewYear, users: dict) -> None:
    this_year = LetterTemplate.objects.get(review_year=year)
    last_year_with(this_year.body.replace(yearcheck.THIS_YEAR_ONLY, ""))  # nothing marked
    with pytest.raises(CycleError, match="the body is the same as 2018-19's"):
        approve(year, users["publisher"])
    assert lifecycle.stage(year) is Stage.FROZEN
    # Once the year has words of its own (and its letters are made again) it may be approved.
    this_year.body = this_year.body.replace("I write to you", "We write to you", 1)
    this_year.save()
    batch.generate_letters(year=year.reporting_year, processes=1)
    approve(year, users["publisher"])
    assert lifecycle.stage(year) is Stage.APPROVED


def test_approval_refused_while_a_this_year_only_paragraph_is_kept(
    year: ReviewYear, users: dict
) -> None:
    this_year = LetterTemplate.objects.get(review_year=year)
    kept = yearcheck.paragraphs(this_year.body)[0]
    last_year_with(f"An older opening.\n\n{kept} {yearcheck.THIS_YEAR_ONLY}\n\nAn older close.")
    with pytest.raises(CycleError, match="2018-19 marked “this year only” is still here"):
        approve(year, users["publisher"])
    assert lifecycle.stage(year) is Stage.FROZEN
