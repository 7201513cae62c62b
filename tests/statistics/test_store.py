"""Computing, storing and reading a year: the hand-worked cases of DOMAIN.md's table."""

from __future__ import annotations

import datetime as dt

import pytest

from councilperf.statistics.selectors import EXPORT_COLUMNS, export_rows, group_averages
from councilperf.statistics.services import compute_statistics
from tests.factories import make_authority, make_case

pytestmark = pytest.mark.django_db

D = dt.date


def row_for(rows: list[dict[str, object]], code: str) -> dict[str, object]:
    (row,) = [r for r in rows if r["authority_code"] == code]
    return row


def test_export_rows_have_exactly_the_columns_and_zero_rows() -> None:
    quiet = make_authority(name="Quietshire")
    busy = make_authority(name="Borsetshire")
    make_case(authority=busy, decision_date=D(2019, 6, 1), outcome="upheld")
    make_case(authority=busy, decision_date=D(2019, 6, 2), outcome="not_upheld")
    compute_statistics(year="2019-20")
    rows = export_rows(year="2019-20")
    assert [list(r) for r in rows] == [[*EXPORT_COLUMNS, "synthetic"]] * 2
    zero = row_for(rows, quiet.gss_code)
    assert zero["decisions_made"] == 0
    assert zero["upheld_rate"] is None
    assert zero["upheld_comparison"] == "not_compared"
    assert zero["revision"] is None
    assert zero["peer_upheld_rate"] == 0.5
    borset = row_for(rows, busy.gss_code)
    assert borset["upheld_rate"] == 0.5
    assert borset["detailed_investigations"] == 2
    assert borset["complaints_received"] == 2
    assert borset["peer_method"] == "pooled"
    assert borset["synthetic"] is False
    averages = group_averages(year="2019-20")
    assert averages["district"]["upheld_rate_percent"] == 50
    assert averages["district"]["authorities"] == 2
