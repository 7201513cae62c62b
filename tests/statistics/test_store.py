"""Computing, storing and reading a year: the hand-worked cases of DOMAIN.md's table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from councilperf.statistics.gather import gather_year, gather_years
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.selectors import (
    EXPORT_COLUMNS,
    authority_figures,
    export_rows,
    group_averages,
    national_totals,
    revision_info,
)
from councilperf.statistics.services import compute_statistics
from councilperf.years import ReportingYear
from tests.factories import (
    make_authority,
    make_case,
    make_compliance,
    make_dataset,
    make_recommendation,
)

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
    compute_statistics(year=ReportingYear(2019))
    rows = export_rows(year=ReportingYear(2019))
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
    averages = group_averages(year=ReportingYear(2019))
    assert averages["district"]["upheld_rate_percent"] == 50
    assert averages["district"]["authorities"] == 2


def compute(year: str = "2019-20") -> list[dict[str, object]]:
    compute_statistics(year=ReportingYear.parse(year))
    return export_rows(year=ReportingYear.parse(year))


def test_no_investigations() -> None:
    a = make_authority()
    make_case(authority=a, decision_date=D(2019, 7, 1), outcome="advice_given")
    make_case(authority=a, decision_date=D(2019, 7, 2), outcome="closed_after_initial_enquiries")
    row = row_for(compute(), a.gss_code)
    assert row["decisions_made"] == 2
    assert row["detailed_investigations"] == 0
    assert row["upheld_rate"] is None
    assert row["upheld_rate_lower"] is None and row["upheld_rate_upper"] is None
    assert row["satisfactory_remedy_rate"] is None


def test_none_upheld_like_the_reference_letter() -> None:
    a = make_authority(name="North East Derbyshire")
    for day in (3, 4):
        make_case(authority=a, decision_date=D(2019, 8, day), outcome="not_upheld")
    row = row_for(compute(), a.gss_code)
    assert row["detailed_investigations"] == 2
    assert row["upheld"] == 0
    assert row["upheld_rate"] == 0.0
    assert row["upheld_rate_lower"] == 0.0
    assert row["upheld_comparison"] == "not_compared"  # 2 < threshold 5
    assert row["satisfactory_remedy_rate"] is None  # "did not uphold any"
    assert row["compliance_outcomes"] == 0
    assert row["compliance_rate"] is None  # "No recommendations were due"
    assert row["upheld_per_100k"] == 0.0


def test_all_complied_and_late_and_not_complied() -> None:
    good = make_authority(name="Goodshire")
    mixed = make_authority(name="Mixedshire")
    for _ in range(3):
        case = make_case(authority=good, decision_date=D(2019, 5, 1), outcome="upheld")
        make_compliance(case=case, outcome="complied")
    for outcome in ("complied", "complied_late", "not_complied", "not_complied"):
        case = make_case(authority=mixed, decision_date=D(2019, 5, 1), outcome="upheld")
        make_compliance(case=case, outcome=outcome)
    rows = compute()
    good_row = row_for(rows, good.gss_code)
    assert good_row["compliance_rate"] == 1.0
    assert (good_row["complied"], good_row["compliance_outcomes"]) == (3, 3)
    mixed_row = row_for(rows, mixed.gss_code)
    assert mixed_row["compliance_rate"] == 0.5  # (1 + 1 late) / 4
    assert (mixed_row["complied_late"], mixed_row["not_complied"]) == (1, 2)
    assert mixed_row["peer_compliance_rate"] == 5 / 7  # pooled: (3 + 2) / (3 + 4)


def test_decision_on_31_march_and_on_1_april() -> None:
    a = make_authority(years=("2019-20", "2020-21"))
    make_case(
        authority=a, received_date=D(2019, 12, 1), decision_date=D(2020, 3, 31), outcome="upheld"
    )
    make_case(
        authority=a,
        received_date=D(2019, 12, 1),
        decision_date=D(2020, 4, 1),
        outcome="not_upheld",
    )
    first = row_for(compute("2019-20"), a.gss_code)
    second = row_for(compute("2020-21"), a.gss_code)
    assert (first["upheld"], first["detailed_investigations"]) == (1, 1)
    assert (second["upheld"], second["detailed_investigations"]) == (0, 1)
    assert first["complaints_received"] == 2
    assert second["complaints_received"] == 0


def test_received_in_one_year_and_decided_in_the_next() -> None:
    a = make_authority(years=("2019-20", "2020-21"))
    make_case(
        authority=a, received_date=D(2020, 2, 1), decision_date=D(2020, 6, 1), outcome="upheld"
    )
    first = row_for(compute("2019-20"), a.gss_code)
    second = row_for(compute("2020-21"), a.gss_code)
    assert (first["complaints_received"], first["decisions_made"]) == (1, 0)
    assert (second["complaints_received"], second["decisions_made"]) == (0, 1)


def test_compliance_recorded_the_year_after_the_decision() -> None:
    a = make_authority(years=("2019-20", "2020-21"))
    case = make_case(authority=a, decision_date=D(2020, 2, 1), outcome="upheld")
    make_recommendation(case=case, service_improvement=True, due_date=D(2020, 5, 1))
    make_recommendation(case=case, kind="apology", due_date=D(2020, 3, 1))
    make_compliance(case=case, outcome="complied_late", recorded_date=D(2020, 5, 20))
    first = row_for(compute("2019-20"), a.gss_code)
    second = row_for(compute("2020-21"), a.gss_code)
    assert (first["upheld"], first["compliance_outcomes"]) == (1, 0)
    assert first["compliance_rate"] is None
    # Service improvements count in the year of the decision, whatever the due date.
    assert (first["service_improvements"], second["service_improvements"]) == (1, 0)
    assert (second["upheld"], second["compliance_outcomes"]) == (0, 1)
    assert second["compliance_rate"] == 1.0


def test_authority_abolished_mid_series() -> None:
    old = make_authority(
        name="Oldshire", years=("2018-19", "2019-20"), end_date=D(2020, 3, 31), population=50_000
    )
    new = make_authority(name="Newshire", group="unitary", years=("2020-21",))
    make_case(authority=old, decision_date=D(2019, 5, 1), outcome="upheld")
    late = make_case(authority=old, decision_date=D(2020, 3, 1), outcome="upheld")
    # Its last compliance outcome is recorded after it was abolished.
    make_compliance(case=late, outcome="complied", recorded_date=D(2020, 6, 1))
    assert [r["authority_code"] for r in compute("2018-19")] == [old.gss_code]
    rows_2019 = compute("2019-20")
    assert row_for(rows_2019, old.gss_code)["upheld"] == 2
    assert row_for(rows_2019, old.gss_code)["upheld_per_100k"] == 4.0
    rows_2020 = compute("2020-21")
    assert [r["authority_code"] for r in rows_2020] == [new.gss_code]
    info = revision_info(year=ReportingYear(2020))
    assert info.unattributed == {old.gss_code: {"complied": 1}}


def test_satisfactory_remedy_public_reports_and_service_areas() -> None:
    a = make_authority()
    make_case(
        authority=a,
        decision_date=D(2019, 6, 1),
        outcome="upheld",
        remedied_by_authority=True,
        service_area="housing",
    )
    make_case(
        authority=a,
        decision_date=D(2019, 6, 1),
        outcome="upheld",
        service_area="planning_and_development",
        public_report_date=D(2020, 1, 10),
    )
    make_case(
        authority=a,
        decision_date=D(2019, 6, 1),
        outcome="not_upheld",
        service_area="housing",
    )
    row = row_for(compute(), a.gss_code)
    assert row["upheld_with_satisfactory_remedy"] == 1
    assert row["satisfactory_remedy_rate"] == 0.5
    assert row["public_reports"] == 1
    detail = authority_figures(year=ReportingYear(2019), authority_code=a.gss_code)
    assert detail["by_service_area"] == {
        "housing": {
            "complaints_received": 2,
            "not_upheld": 1,
            "upheld": 1,
            "upheld_with_satisfactory_remedy": 1,
        },
        "planning_and_development": {
            "complaints_received": 1,
            "upheld": 1,
            "public_reports": 1,
        },
    }
    # The normal-approximation funnel limits are no longer stored (issue 28).
    assert set(detail["figures"]["upheld"]) == {
        "rate",
        "lower",
        "upper",
        "peer",
        "peer_exact",
        "comparison",
    }


def test_synthetic_flag_and_population() -> None:
    real = make_authority(name="Realshire", population=200_000)
    demo = make_authority(name="Demoshire", population=None)
    make_case(authority=real, decision_date=D(2019, 6, 1), outcome="upheld")
    make_case(
        authority=demo,
        decision_date=D(2019, 6, 1),
        outcome="upheld",
        dataset=make_dataset(synthetic=True),
    )
    rows = compute()
    assert row_for(rows, real.gss_code)["synthetic"] is False
    assert row_for(rows, demo.gss_code)["synthetic"] is True
    assert row_for(rows, real.gss_code)["upheld_per_100k"] == 0.5
    assert row_for(rows, demo.gss_code)["population"] is None
    assert row_for(rows, demo.gss_code)["upheld_per_100k"] is None
    # Pooled per 100,000: authorities without a population are left out.
    assert row_for(rows, demo.gss_code)["peer_upheld_per_100k"] == 0.5
    assert revision_info(year=ReportingYear(2019)).synthetic is True
    assert national_totals(year=ReportingYear(2019))["synthetic"] is True


def test_mean_method_stored_with_the_figures() -> None:
    a = make_authority(name="Ashire")
    b = make_authority(name="Bshire")
    make_case(authority=a, decision_date=D(2019, 6, 1), outcome="upheld")
    for outcome in ("upheld", "not_upheld", "not_upheld", "not_upheld"):
        make_case(authority=b, decision_date=D(2019, 6, 1), outcome=outcome)
    ReviewYear.objects.create(year="2019-20", peer_method="mean")
    rows = compute()
    assert row_for(rows, a.gss_code)["peer_upheld_rate"] == (1 + 0.25) / 2
    assert {r["peer_method"] for r in rows} == {"mean"}
    assert group_averages(year=ReportingYear(2019))["district"]["peer_method"] == "mean"


def test_national_totals_and_groups() -> None:
    county = make_authority(name="Countyshire", group="county", population=600_000)
    district = make_authority(name="Districtshire", population=100_000)
    make_case(authority=county, decision_date=D(2019, 6, 1), outcome="upheld")
    make_case(authority=district, decision_date=D(2019, 6, 1), outcome="upheld")
    make_case(authority=district, decision_date=D(2019, 6, 1), outcome="not_upheld")
    compute()
    national = national_totals(year=ReportingYear(2019))
    assert national["authorities"] == 2
    assert (national["upheld"], national["detailed_investigations"]) == (2, 3)
    assert national["upheld_rate_percent"] == 67
    assert national["population"] == 600_000  # the district lies inside the county
    assert national["upheld_per_100k"] == pytest.approx(2 * 100_000 / 600_000)
    assert set(group_averages(year=ReportingYear(2019))) == {"county", "district"}


def test_synthetic_when_every_dataset_holding_cases_is_synthetic() -> None:
    make_dataset(synthetic=False)  # real, but empty: it counts for nothing
    demo = make_dataset(synthetic=True)
    decided = make_authority(name="Decidedshire")
    received = make_authority(name="Receivedshire", years=("2018-19", "2019-20"))
    quiet = make_authority(name="Quietshire")
    make_case(authority=decided, decision_date=D(2019, 6, 1), outcome="upheld", dataset=demo)
    make_case(authority=received, received_date=D(2019, 3, 1), dataset=demo)  # 2018-19
    gathered = {
        label: {a.authority.official_name: a.synthetic for a in year.authorities}
        for label, year in gather_years(
            [ReportingYear.parse("2018-19"), ReportingYear.parse("2019-20")]
        ).items()
    }
    assert gathered["2019-20"] == {
        "Decidedshire Council": True,
        "Quietshire Council": False,
        "Receivedshire Council": False,
    }
    assert gathered["2018-19"] == {"Receivedshire Council": True}
    rows = compute()
    assert row_for(rows, decided.gss_code)["synthetic"] is True
    assert row_for(rows, quiet.gss_code)["synthetic"] is False
    assert revision_info(year=ReportingYear(2019)).synthetic is True


def test_nothing_is_synthetic_without_synthetic_casework() -> None:
    make_dataset(synthetic=True)  # synthetic, but empty
    a = make_authority(name="Ashire")
    make_case(authority=a, decision_date=D(2019, 6, 1), outcome="upheld")
    rows = compute()
    assert row_for(rows, a.gss_code)["synthetic"] is False
    assert revision_info(year=ReportingYear(2019)).synthetic is False


def test_gathering_is_set_based(django_assert_max_num_queries: Any) -> None:
    authorities = [make_authority(name=f"Shire {i}") for i in range(6)]
    for i, authority in enumerate(authorities):
        for j in range(i):
            case = make_case(authority=authority, decision_date=D(2019, 6, j + 1), outcome="upheld")
            make_compliance(case=case)
            make_recommendation(case=case, service_improvement=True)
    with django_assert_max_num_queries(12):
        gathered = gather_year(ReportingYear.parse("2019-20"))
    assert [a.counts.upheld for a in gathered.authorities] == list(range(6))


def test_gathering_several_years_at_once_equals_one_by_one() -> None:
    years = ("2018-19", "2019-20", "2020-21")
    a = make_authority(name="Ashire", years=years)
    b = make_authority(name="Bshire", years=years[1:], group="unitary")
    days = [D(2018, 4, 1), D(2019, 3, 31), D(2019, 4, 1), D(2020, 3, 31), D(2020, 4, 1)]
    outcomes = ["upheld", "not_upheld", "advice_given", "upheld"]
    for i, day in enumerate(days):
        for authority in (a, b):
            case = make_case(
                authority=authority,
                received_date=day,
                decision_date=days[min(i + 1, len(days) - 1)],
                outcome=outcomes[i % len(outcomes)],
                service_area="housing" if i % 2 else "adult_care",
                public_report_date=day if i == 3 else None,
            )
            make_recommendation(case=case, service_improvement=bool(i % 2))
            make_compliance(case=case, recorded_date=day, outcome="complied_late")
    together = gather_years(ReportingYear.parse(y) for y in years)
    for label in years:
        alone = gather_year(ReportingYear.parse(label))
        assert [x.counts for x in together[label].authorities] == [
            x.counts for x in alone.authorities
        ]
        assert [x.by_service_area for x in together[label].authorities] == [
            x.by_service_area for x in alone.authorities
        ]
        assert together[label].unattributed == alone.unattributed
    assert together["2018-19"].unattributed  # Bshire's 2018-19 casework, before it existed
