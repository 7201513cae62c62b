"""The reporting-year columns the database keeps from a case's dates (for the statistics)."""

from __future__ import annotations

import datetime as dt

import pytest

from councilperf.casework.models import Case, ComplianceOutcome
from tests.factories import make_authority, make_case, make_compliance

pytestmark = pytest.mark.django_db

D = dt.date


def _years(case: Case) -> tuple[int | None, int | None, int | None]:
    return Case.objects.values_list("received_year", "decision_year", "public_report_year").get(
        pk=case.pk
    )


def test_a_date_belongs_to_the_year_starting_on_the_1_april_before_it() -> None:
    borsetshire = make_authority()
    cases = {
        (D(2019, 3, 31), D(2019, 4, 1), D(2020, 3, 31)): (2018, 2019, 2019),
        (D(2019, 4, 1), D(2020, 1, 1), D(2020, 4, 1)): (2019, 2019, 2020),
        (D(2019, 12, 31), D(2021, 2, 28), D(2000, 4, 1)): (2019, 2020, 2000),
    }
    for (received, decided, reported), expected in cases.items():
        case = make_case(
            authority=borsetshire,
            received_date=received,
            decision_date=decided,
            outcome="upheld",
            public_report_date=reported,
        )
        assert _years(case) == expected


def test_no_date_no_year_and_the_year_follows_a_changed_date() -> None:
    case = make_case(authority=make_authority(), received_date=D(2019, 5, 1))
    assert _years(case) == (2019, None, None)
    Case.objects.filter(pk=case.pk).update(decision_date=D(2020, 3, 31), outcome="upheld")
    assert _years(case) == (2019, 2019, None)
    case.refresh_from_db()
    case.decision_date = D(2020, 4, 1)
    case.save()
    assert _years(case) == (2019, 2020, None)


def test_compliance_outcomes_have_the_year_of_their_recorded_date() -> None:
    case = make_case(authority=make_authority(), decision_date=D(2019, 6, 1), outcome="upheld")
    outcome = make_compliance(case=case, recorded_date=D(2020, 3, 31))
    assert ComplianceOutcome.objects.values_list("recorded_year", flat=True).get() == 2019
    ComplianceOutcome.objects.filter(pk=outcome.pk).update(recorded_date=D(2020, 4, 1))
    assert ComplianceOutcome.objects.values_list("recorded_year", flat=True).get() == 2020
