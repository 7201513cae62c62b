"""What is public is decided by one function, ``published.years.snapshot``: a year is public
when it is frozen, approved by a publisher and its publication date has come — all three."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from councilperf.distribution.models import YearCycle
from councilperf.published import embargo
from councilperf.published.years import reading, snapshot
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.site.conftest import World


def at(day: dt.date) -> dt.datetime:  # noon: after the 09:30 publication time
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def test_frozen_approved_and_dated_all_three(world: World) -> None:
    # 2019-20: all three; 2020-21: frozen and approved, its date to come; 2021-22: a draft.
    state = snapshot()
    assert state.labels == ["2019-20"] and state.cutoff == dt.date(2020, 3, 31)
    ReviewYear.objects.filter(year="2020-21").update(publication_date="2021-07-28")
    assert snapshot().labels == ["2019-20", "2020-21"]
    assert snapshot().cutoff == dt.date(2021, 3, 31)
    YearCycle.objects.filter(review_year__year="2020-21").delete()  # not approved
    assert snapshot().labels == ["2019-20"]
    ReviewYear.objects.filter(year="2021-22").update(publication_date="2022-07-28")
    YearCycle.objects.create(
        review_year=ReviewYear.objects.get(year="2021-22"), approved_revision=1
    )
    assert snapshot().labels == ["2019-20"]  # approved and dated, but a draft


def test_before_the_date_nothing_and_no_cutoff(world: World) -> None:
    state = snapshot(at(dt.date(2020, 7, 28)))
    assert state.labels == [] and state.cutoff is None
    assert snapshot(at(dt.date(2020, 7, 29))).labels == ["2019-20"]
    with reading(snapshot(at(dt.date(2020, 7, 28)))):
        assert embargo.cutoff() is None and not embargo.shown(dt.date(2019, 10, 1))


def test_a_correction_is_a_new_state(world: World) -> None:
    before = snapshot()
    correct_statistics(year=ReportingYear(2019), reason="A case was missing.")
    after = snapshot()
    assert after.get(ReportingYear(2019)).revision == before.get(ReportingYear(2019)).revision + 1  # type: ignore[union-attr]
    assert after.token != before.token


def test_the_moment_not_the_day_decides(world: World) -> None:
    """The publication date *and time* (09:30 unless set), in Europe/London."""
    day = dt.date(2020, 7, 29)

    def london(hour: int, minute: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), ZoneInfo("Europe/London"))

    assert snapshot(london(9, 29)).labels == []
    assert snapshot(london(9, 30)).labels == ["2019-20"]
    ReviewYear.objects.filter(year="2019-20").update(publication_time=dt.time(14, 0))
    assert snapshot(london(13, 59)).labels == []
    state = snapshot(london(14, 0))
    assert state.labels == ["2019-20"] and state.due == ("2019-20",)
    assert state.get(ReportingYear(2019)).published_at == london(14, 0)  # type: ignore[union-attr]
    # Before it, the state says when it next changes by itself.
    assert snapshot(london(13, 59)).next_moment == london(14, 0)
