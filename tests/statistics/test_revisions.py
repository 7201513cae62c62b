"""Draft, freeze, correct: published figures are a record, never silently changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from councilperf.authorities.models import Authority
from councilperf.statistics.models import (
    AuthorityStatistics,
    FrozenRevisionError,
    GroupStatistics,
    ReviewYear,
    StatisticsRevision,
)
from councilperf.statistics.selectors import (
    StatisticsNotFound,
    export_rows,
    frozen_dated_years,
    revision_info,
    revisions,
)
from councilperf.statistics.services import (
    StatisticsError,
    compute_statistics,
    correct_statistics,
    freeze_statistics,
)
from councilperf.years import ReportingYear
from tests.factories import make_authority, make_case

pytestmark = pytest.mark.django_db

D = dt.date


def at(day: dt.date) -> dt.datetime:
    """Noon (UK time) on ``day``: after the default 09:30 publication time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@pytest.fixture
def authority() -> Authority:
    a = make_authority()
    make_case(authority=a, decision_date=D(2019, 6, 1), outcome="upheld")
    return a


def test_compute_creates_a_draft_year_and_recomputes_freely(authority: Authority) -> None:
    compute_statistics(year=ReportingYear(2019))
    review_year = ReviewYear.objects.get(year="2019-20")
    assert review_year.status == ReviewYear.Status.DRAFT
    assert export_rows(year=ReportingYear(2019))[0]["upheld"] == 1
    make_case(authority=authority, decision_date=D(2019, 7, 1), outcome="upheld")
    compute_statistics(year=ReportingYear(2019))
    assert export_rows(year=ReportingYear(2019))[0]["upheld"] == 2
    assert StatisticsRevision.objects.filter(review_year=review_year).count() == 1
    assert AuthorityStatistics.objects.count() == 1


def test_previous_year_linked() -> None:
    compute_statistics(year=ReportingYear(2018))
    compute_statistics(year=ReportingYear(2019))
    year = ReviewYear.objects.get(year="2019-20")
    assert year.previous is not None and year.previous.year == "2018-19"


def test_freeze_then_correct(authority: Authority) -> None:
    compute_statistics(year=ReportingYear(2019))
    first = freeze_statistics(year=ReportingYear(2019))
    assert first.number == 1
    assert ReviewYear.objects.get(year="2019-20").status == ReviewYear.Status.FROZEN
    assert not StatisticsRevision.objects.filter(number__isnull=True).exists()
    assert export_rows(year=ReportingYear(2019))[0]["revision"] == 1

    with pytest.raises(StatisticsError):
        compute_statistics(year=ReportingYear(2019))
    with pytest.raises(StatisticsError):
        freeze_statistics(year=ReportingYear(2019))
    with pytest.raises(StatisticsError):
        correct_statistics(year=ReportingYear(2019), reason="  ")

    make_case(authority=authority, decision_date=D(2019, 8, 1), outcome="not_upheld")
    second = correct_statistics(year=ReportingYear(2019), reason="A decision was recorded late.")
    assert second.number == 2
    latest = export_rows(year=ReportingYear(2019))
    old = export_rows(year=ReportingYear(2019), revision=1)
    assert (latest[0]["revision"], latest[0]["detailed_investigations"]) == (2, 2)
    assert (old[0]["revision"], old[0]["detailed_investigations"]) == (1, 1)
    assert [i.revision for i in revisions(year=ReportingYear(2019))] == [1, 2]
    assert revision_info(year=ReportingYear(2019)).reason == "A decision was recorded late."


def test_correct_needs_a_frozen_year(authority: Authority) -> None:
    compute_statistics(year=ReportingYear(2019))
    with pytest.raises(StatisticsError):
        correct_statistics(year=ReportingYear(2019), reason="typo")


def test_frozen_rows_are_immutable(authority: Authority) -> None:
    revision = freeze_statistics(year=ReportingYear(2019))
    row = AuthorityStatistics.objects.get(revision=revision)
    row.upheld = 99
    with pytest.raises(FrozenRevisionError):
        row.save()
    with pytest.raises(FrozenRevisionError):
        row.delete()
    with pytest.raises(FrozenRevisionError):
        AuthorityStatistics.objects.filter(revision=revision).update(upheld=5)
    with pytest.raises(FrozenRevisionError):
        GroupStatistics.objects.filter(revision=revision).delete()
    revision.reason = "rewritten"
    with pytest.raises(FrozenRevisionError):
        revision.save()
    with pytest.raises(FrozenRevisionError):
        revision.delete()
    with pytest.raises(FrozenRevisionError):
        StatisticsRevision.objects.all().delete()
    with pytest.raises(FrozenRevisionError):
        StatisticsRevision.objects.update(reason="x")
    assert export_rows(year=ReportingYear(2019))[0]["upheld"] == 1


def test_not_found() -> None:
    with pytest.raises(StatisticsNotFound):
        export_rows(year=ReportingYear(2019))
    compute_statistics(year=ReportingYear(2019))
    with pytest.raises(StatisticsNotFound):
        export_rows(year=ReportingYear(2019), revision=1)


def test_published_years_only_frozen_and_past_publication(authority: Authority) -> None:
    compute_statistics(year=ReportingYear(2018))
    ReviewYear.objects.filter(year="2018-19").update(publication_date=D(2019, 7, 30))
    freeze_statistics(year=ReportingYear(2019))
    ReviewYear.objects.filter(year="2019-20").update(
        letter_date=D(2020, 7, 22), publication_date=D(2020, 7, 29)
    )
    # Before its publication date nothing of 2019-20 is public; the draft 2018-19 never is.
    assert frozen_dated_years(now=at(D(2020, 7, 28))) == []
    (published,) = frozen_dated_years(now=at(D(2020, 7, 29)))
    assert (published.year, published.revision) == (ReportingYear(2019), 1)
    assert published.letter_date == D(2020, 7, 22)
    correct_statistics(year=ReportingYear(2019), reason="Correction.")
    (corrected,) = frozen_dated_years(now=at(D(2021, 1, 1)))
    assert corrected.revision == 2
