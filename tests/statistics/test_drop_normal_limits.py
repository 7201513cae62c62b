"""Migration 0004 drops the stored normal-approximation funnel limits and nothing else."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from councilperf.statistics.models import AuthorityStatistics
from councilperf.statistics.services import compute_statistics
from councilperf.years import ReportingYear
from tests.factories import make_authority, make_case

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "councilperf.statistics.migrations.0004_drop_normal_funnel_limits"
)


def test_the_migration_drops_the_normal_limits_and_keeps_every_other_figure() -> None:
    council = make_authority(name="Borsetshire")
    make_case(authority=council, decision_date=dt.date(2019, 6, 1), outcome="upheld")
    compute_statistics(year=ReportingYear(2019))
    row = AuthorityStatistics.objects.get(authority=council)
    fresh = row.figures
    assert "funnel_95" not in fresh["upheld"]  # no longer computed nor stored
    # A row as the engine stored it before: the normal limits beside the other figures.
    old = {
        part: {**found, "funnel_95": [0.1, 0.9], "funnel_998": [0.0, 1.0]}
        if part != "upheld_per_100k"
        else found
        for part, found in fresh.items()
    }
    AuthorityStatistics.objects.filter(pk=row.pk).update(figures=old)
    migration.drop(apps, None)
    row.refresh_from_db()
    assert row.figures == fresh
    assert migration.without_normal_limits({"upheld": {"rate": 0.5, "funnel_95": [0, 1]}}) == {
        "upheld": {"rate": 0.5}
    }
