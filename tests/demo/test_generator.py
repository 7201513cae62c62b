"""The pure demo generator, on a handful of fictional authorities at small scale."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict

import pytest

from councilperf.casework.models import ComplianceResult, Outcome, RecommendationKind, ServiceArea
from councilperf.demo import generator
from councilperf.demo.calibration import calibrate, display_percent
from councilperf.demo.generator import DemoData, generate
from councilperf.years import ReportingYear

from .conftest import authority

Y2019 = ReportingYear.parse("2019-20")
DETAILED = {"upheld", "not_upheld"}


def in_year(day: dt.date | None, year: ReportingYear) -> bool:
    return day is not None and year.contains(day)


def test_codes_are_the_casework_models_codes():
    assert set(generator.SERVICE_AREAS) == set(ServiceArea.values)
    assert set(generator.OUTCOMES) == set(Outcome.values)
    kinds = set(generator.PERSONAL_KINDS) | set(generator.IMPROVEMENT_KINDS)
    assert kinds <= set(RecommendationKind.values)
    assert {generator.COMPLIED, generator.COMPLIED_LATE, generator.NOT_COMPLIED} == set(
        ComplianceResult.values
    )


def test_same_seed_same_records_other_seed_other_records(fictional, small_data):
    again = generate(fictional, seed=1, scale=0.2)
    assert again.digest() == small_data.digest()
    assert again.cases == small_data.cases
    assert again.recommendations == small_data.recommendations
    assert again.compliance == small_data.compliance
    other = generate(fictional, seed=2, scale=0.2)
    assert other.digest() != small_data.digest()
    assert other.cases != small_data.cases


def test_input_order_does_not_matter(fictional, small_data):
    shuffled = list(reversed(fictional))
    assert generate(shuffled, seed=1, scale=0.2).digest() == small_data.digest()


def test_digest_changes_when_one_value_changes(small_data):
    cases = list(small_data.cases)
    first = cases[0]
    cases[0] = type(first)(**{**{f: getattr(first, f) for f in first.__slots__}, "summary": "x"})
    changed = DemoData(
        small_data.years,
        small_data.seed,
        small_data.scale,
        cases,
        small_data.recommendations,
        small_data.compliance,
    )
    assert changed.digest() != small_data.digest()


def test_every_national_target_is_met(fictional, small_data):
    calibration = calibrate(small_data, fictional)
    names = {f.name for f in calibration.figures}
    assert "upheld % of detailed investigations" in names
    assert len({f.year for f in calibration.figures}) == 7
    # Upheld per 100,000 residents only means something for all of England's population.
    failures = [f for f in calibration.failures() if f.kind != "per_100k"]
    assert failures == []


def test_received_and_investigated_counts_follow_the_targets(small_data):
    received = Counter(ReportingYear.containing(c.received_date).label for c in small_data.cases)
    # 11,830 in 2020-21 against 16,899 in 2018-19, at a fifth of the volume.
    assert received["2020-21"] == pytest.approx(11_830 * 0.2, rel=0.03)
    assert received["2018-19"] == pytest.approx(16_899 * 0.2, rel=0.03)
    assert received["2024-25"] > received["2023-24"] > received["2022-23"]


def test_pinned_authority_year(small_data):
    mine = [c for c in small_data.cases if c.authority_code == "E07000038"]
    decided = [c for c in mine if in_year(c.decision_date, Y2019)]
    assert sum(c.outcome in DETAILED for c in decided) == 2
    assert sum(c.outcome == "upheld" for c in decided) == 0
    references = {c.reference for c in mine}
    recorded = [
        o
        for o in small_data.compliance
        if o.reference in references and in_year(o.recorded_date, Y2019)
    ]
    assert recorded == []
    # Its other years are ordinary: it has upheld decisions at some time.
    assert any(c.outcome == "upheld" for c in mine)


def test_district_average_in_2019_20_displays_as_45_percent(small_data, fictional):
    groups = {a.gss_code: a.years[0].group for a in fictional}
    detailed = [
        c
        for c in small_data.cases
        if groups[c.authority_code] == "district"
        and in_year(c.decision_date, Y2019)
        and c.outcome in DETAILED
    ]
    upheld = sum(c.outcome == "upheld" for c in detailed)
    assert len(detailed) > 50
    assert display_percent(100 * upheld / len(detailed)) == 45


def test_districts_have_no_adult_care_or_education_and_counties_no_housing(small_data, fictional):
    groups = {a.gss_code: a.years[0].group for a in fictional}
    areas: dict[str, Counter[str]] = defaultdict(Counter)
    for case in small_data.cases:
        if case.service_area:
            areas[groups[case.authority_code]][case.service_area] += 1
    assert areas["district"]["adult_care"] == 0
    assert areas["district"]["education_and_childrens"] == 0
    assert areas["district"]["planning_and_development"] > 0
    assert areas["county"]["housing"] == 0
    assert areas["county"]["benefits_and_tax"] == 0
    for group in ("county", "unitary"):
        assert areas[group].most_common(1)[0][0] == "education_and_childrens"
    top_district = {area for area, _ in areas["district"].most_common(3)}
    assert top_district <= {
        "housing",
        "planning_and_development",
        "benefits_and_tax",
        "environment_and_regulation",
    }


def test_covid_pause_is_visible_in_received_and_decision_dates(small_data):
    closed_from, reopened = dt.date(2020, 3, 19), dt.date(2020, 6, 29)
    received = [c.received_date for c in small_data.cases]
    assert not any(closed_from <= d < reopened for d in received)
    assert any(reopened <= d < reopened + dt.timedelta(days=7) for d in received)
    assert any(closed_from - dt.timedelta(days=7) <= d < closed_from for d in received)
    decided = [c.decision_date for c in small_data.cases if c.decision_date]
    assert not any(dt.date(2020, 3, 26) <= d < reopened for d in decided)


def test_records_are_consistent(small_data):
    last_day = ReportingYear.parse("2024-25").end
    cases = {c.reference: c for c in small_data.cases}
    assert len(cases) == len(small_data.cases)
    for case in small_data.cases:
        assert re.fullmatch(r"\d{2} \d{3} \d{3}", case.reference)
        assert (
            case.reference[:2]
            == f"{ReportingYear.containing(case.received_date).start_year % 100:02d}"
        )
        if case.decision_date is None:
            assert (case.outcome, case.service_area, case.summary) == ("", "", "")
            continue
        assert case.received_date <= case.decision_date <= last_day
        assert case.decision_date.weekday() < 5
        assert case.remedied_by_authority is False or case.outcome == "upheld"
        if case.public_report_date:
            assert case.outcome == "upheld"
            assert case.decision_date <= case.public_report_date
        if case.outcome in ("upheld", "not_upheld", "closed_after_initial_enquiries"):
            assert case.summary.startswith("The complainant said the Council")
            assert case.statement_url.startswith("https://example.org/decisions/")
        else:
            assert case.statement_url == ""
    last_due: dict[str, dt.date] = {}
    for rec in small_data.recommendations:
        case = cases[rec.reference]
        assert case.outcome == "upheld" and not case.remedied_by_authority
        assert case.decision_date is not None and rec.due_date > case.decision_date
        assert rec.service_improvement == (rec.kind in ("procedure_change", "training"))
        last_due[rec.reference] = max(rec.due_date, last_due.get(rec.reference, rec.due_date))
    for outcome in small_data.compliance:
        assert outcome.reference in last_due  # one per decision with recommendations
        assert last_due[outcome.reference] <= outcome.recorded_date <= last_day
    assert len({o.reference for o in small_data.compliance}) == len(small_data.compliance)


def test_authorities_only_have_cases_while_they_exist(small_data):
    old = [c for c in small_data.cases if c.authority_code == "E06900002"]
    new = [c for c in small_data.cases if c.authority_code == "E06900003"]
    assert old and new
    assert all((c.decision_date or c.received_date) <= dt.date(2020, 3, 31) for c in old)
    assert all(c.received_date >= dt.date(2020, 4, 1) for c in new)


def test_each_year_has_public_reports_service_improvements_and_late_compliance(small_data):
    by_year: dict[str, Counter[str]] = defaultdict(Counter)
    cases = {c.reference: c for c in small_data.cases}
    for case in small_data.cases:
        if case.public_report_date:
            by_year[ReportingYear.containing(case.public_report_date).label]["reports"] += 1
    for rec in small_data.recommendations:
        decided = cases[rec.reference].decision_date
        assert decided is not None
        if rec.service_improvement:
            by_year[ReportingYear.containing(decided).label]["improvements"] += 1
    for outcome in small_data.compliance:
        by_year[ReportingYear.containing(outcome.recorded_date).label][outcome.outcome] += 1
    for label in small_data.years:
        assert by_year[label]["reports"] >= 5, label
        assert by_year[label]["improvements"] > 100, label
        assert by_year[label]["complied_late"] > 0, label


def test_volume_scales_with_population_and_scale():
    unitaries = [authority(f"E0690{i:04d}", "unitary", 60_000 + 50_000 * i) for i in range(20)]
    data = generate(unitaries, years="2019-20", seed=3, scale=0.2)
    counts = Counter(c.authority_code for c in data.cases if in_year(c.received_date, Y2019))
    pairs = [
        (math.log(a.years[0].population or 1), math.log(counts[a.gss_code])) for a in unitaries
    ]
    assert _correlation(pairs) > 0.7
    bigger = generate(unitaries, years="2019-20", seed=3, scale=0.4)
    assert len(bigger.cases) == pytest.approx(2 * len(data.cases), rel=0.05)


def test_upheld_rates_are_over_dispersed_between_authorities():
    """A funnel plot shows a genuine spread, not a binomial cloud: χ²/df well above 1."""
    many = [authority(f"E0690{i:04d}", "unitary", 200_000) for i in range(30)]
    data = generate(many, years="2018-19:2020-21", seed=5, scale=0.3)
    spread = calibrate(data, many).spread
    assert len(spread) == 3
    for year in spread:
        assert year.authorities == 30
        assert year.dispersion > 1.4, year


def test_years_can_be_a_subset_and_must_be_known(fictional):
    data = generate(fictional, years="2022-23:2023-24", seed=1, scale=0.05)
    assert data.years == ["2022-23", "2023-24"]
    decided = {
        ReportingYear.containing(c.decision_date).label for c in data.cases if c.decision_date
    }
    assert decided == {"2022-23", "2023-24"}
    with pytest.raises(ValueError, match="no national figures"):
        generate(fictional, years="2012-13", seed=1)
    with pytest.raises(ValueError, match="scale"):
        generate(fictional, seed=1, scale=0)


def _correlation(pairs: list[tuple[float, float]]) -> float:
    n = len(pairs)
    mx = sum(x for x, _ in pairs) / n
    my = sum(y for _, y in pairs) / n
    sxy = sum((x - mx) * (y - my) for x, y in pairs)
    sxx = sum((x - mx) ** 2 for x, _ in pairs)
    syy = sum((y - my) ** 2 for _, y in pairs)
    return sxy / math.sqrt(sxx * syy)


def test_doc_table_markers_round_trip():
    from councilperf.demo.calibration import DOC_END, DOC_START, doc_table, with_doc_table

    document = f"# Title\n\n{DOC_START}\nold\n{DOC_END}\n\nAfter.\n"
    updated = with_doc_table(document, ["| a |", "| b |"])
    assert doc_table(updated) == ["| a |", "| b |"]
    assert updated.startswith("# Title") and updated.endswith("After.\n")
    with pytest.raises(ValueError, match="markers"):
        with_doc_table("no markers here", ["x"])


def test_pins_hold_when_only_their_year_is_generated(fictional):
    data = generate(fictional, years="2019-20", seed=9, scale=0.1)
    mine = [c for c in data.cases if c.authority_code == "E07000038"]
    decided = [c for c in mine if in_year(c.decision_date, Y2019)]
    assert [c.outcome for c in decided if c.outcome in DETAILED] == ["not_upheld"] * 2
    references = {c.reference for c in mine}
    assert not any(o.reference in references for o in data.compliance)
