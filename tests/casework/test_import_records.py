"""The casework service: validate everything, then write everything in one transaction."""

from __future__ import annotations

import datetime as dt

import pytest

from councilperf.casework.models import Case, ComplianceOutcome, ImportRun, Recommendation
from councilperf.casework.problems import Location
from councilperf.casework.services import (
    CaseworkValidationError,
    ImportSource,
    import_records,
)
from tests.casework.builders import TODAY, case, compliance, recommendation
from tests.factories import make_dataset

pytestmark = pytest.mark.django_db

CODE = "E07999001"


def _import(dataset, cases=(), recommendations=(), outcomes=(), **options):
    return import_records(
        cases=list(cases),
        recommendations=list(recommendations),
        compliance=list(outcomes),
        dataset=dataset,
        today=TODAY,
        **options,
    )


def _snapshot():
    return (
        sorted(Case.objects.values_list()),
        sorted(Recommendation.objects.values_list()),
        sorted(ComplianceOutcome.objects.values_list()),
        ImportRun.objects.count(),
    )


def _year(borsetshire):
    cases = [
        case("19 000 001", CODE, remedied_by_authority=True),
        case("19 000 002", CODE, outcome="not_upheld"),
        case("19 000 003", CODE, decision_date=None, service_area="", outcome=""),
    ]
    recs = [
        recommendation("19 000 001", kind="apology"),
        recommendation("19 000 001", kind="training", service_improvement=True),
    ]
    outcomes = [compliance("19 000 001", outcome="complied_late")]
    return cases, recs, outcomes


def test_new_records_are_added_and_the_import_is_recorded(borsetshire, dataset):
    summary = _import(dataset, *_year(borsetshire))

    assert str(summary.cases) == "3 added, 0 changed, 0 unchanged"
    assert str(summary.recommendations) == "2 added, 0 changed, 0 unchanged"
    assert str(summary.compliance) == "1 added, 0 changed, 0 unchanged"
    stored = Case.objects.get(reference="19 000 001")
    assert stored.authority == borsetshire
    assert stored.dataset == dataset
    assert stored.remedied_by_authority is True
    assert stored.decision_date == dt.date(2019, 9, 1)
    assert sorted(stored.recommendations.values_list("kind", "service_improvement")) == [
        ("apology", False),
        ("training", True),
    ]
    assert stored.compliance.outcome == "complied_late"
    assert Case.objects.get(reference="19 000 003").decision_date is None
    run = ImportRun.objects.get()
    assert run.pk == summary.import_run_id
    assert (run.cases_added, run.recommendations_added, run.compliance_added) == (3, 2, 1)


def test_importing_the_same_records_again_changes_nothing(borsetshire, dataset):
    _import(dataset, *_year(borsetshire))
    before = _snapshot()

    summary = _import(dataset, *_year(borsetshire))

    assert str(summary.cases) == "0 added, 0 changed, 3 unchanged"
    assert str(summary.recommendations) == "0 added, 0 changed, 2 unchanged"
    assert str(summary.compliance) == "0 added, 0 changed, 1 unchanged"
    assert not summary.changes_anything
    assert _snapshot()[:3] == before[:3]


def test_a_corrected_record_updates_only_what_it_names(borsetshire, dataset):
    cases, recs, outcomes = _year(borsetshire)
    _import(dataset, cases, recs, outcomes)
    others = Case.objects.exclude(reference="19 000 001")
    # Every column of the cases the correction does not name (instances compare by pk only).
    untouched = sorted(others.values_list())
    assert [row[1] for row in untouched] == ["19 000 002", "19 000 003"]

    summary = _import(
        dataset,
        [case("19 000 001", CODE, summary="Corrected summary.", remedied_by_authority=True)],
        [
            recommendation("19 000 001", kind="apology", description="Apologise in writing."),
            recommendation("19 000 001", kind="financial_redress"),
        ],
        [compliance("19 000 001", outcome="not_complied")],
    )

    assert str(summary.cases) == "0 added, 1 changed, 0 unchanged"
    # apology: description changed; training: removed; financial redress: added.
    assert str(summary.recommendations) == "1 added, 1 changed, 0 unchanged, 1 removed"
    assert str(summary.compliance) == "0 added, 1 changed, 0 unchanged"
    assert Case.objects.get(reference="19 000 001").summary == "Corrected summary."
    assert sorted(others.values_list()) == untouched
    assert sorted(Recommendation.objects.values_list("kind", "description")) == [
        ("apology", "Apologise in writing."),
        ("financial_redress", ""),
    ]
    assert ComplianceOutcome.objects.get().outcome == "not_complied"
    assert Case.objects.count() == 3


def test_recommendations_may_name_a_case_already_stored(borsetshire, dataset):
    _import(dataset, [case("19 000 001", CODE)])

    summary = _import(dataset, [], [recommendation("19 000 001")], [compliance("19 000 001")])

    assert (summary.recommendations.added, summary.compliance.added) == (1, 1)
    assert Recommendation.objects.get().case.reference == "19 000 001"


def test_dry_run_reports_but_writes_nothing(borsetshire, dataset):
    before = _snapshot()

    summary = _import(dataset, *_year(borsetshire), dry_run=True)

    assert summary.dry_run
    assert str(summary.cases) == "3 added, 0 changed, 0 unchanged"
    assert summary.import_run_id is None
    assert _snapshot() == before


def test_any_problem_writes_nothing_and_every_problem_is_listed(borsetshire, dataset):
    _import(dataset, [case("19 000 001", CODE)])
    before = _snapshot()
    source = ImportSource(
        case_rows=[Location("cases.csv", 2), Location("cases.csv", 3), Location("cases.csv", 4)]
    )

    with pytest.raises(CaseworkValidationError) as raised:
        _import(
            dataset,
            [
                case("19 000 001", CODE, summary="A good change"),
                case("19 000 002", "E07000000"),
                case("19 000 003", CODE, outcome="partly_upheld"),
            ],
            source=source,
        )

    errors = raised.value.errors
    assert [(e.file, e.row, e.column, e.value) for e in errors] == [
        ("cases.csv", 3, "authority_code", "E07000000"),
        ("cases.csv", 4, "outcome", "partly_upheld"),
    ]
    assert "no authority has this GSS code" in errors[0].message
    assert str(errors[1]).startswith('cases.csv, row 4, column outcome: "partly_upheld": not an')
    assert _snapshot() == before


def test_problems_are_capped_but_all_counted(borsetshire, dataset):
    bad = [case(f"19 {n:03d} 000", "E07000000") for n in range(500)]

    with pytest.raises(CaseworkValidationError) as raised:
        _import(dataset, bad)

    assert len(raised.value.errors) == 200
    assert raised.value.total == 500
    assert "… and 300 more" in str(raised.value)
    assert Case.objects.count() == 0


def test_records_without_a_source_are_named_by_position_and_reference(borsetshire, dataset):
    with pytest.raises(CaseworkValidationError) as raised:
        _import(dataset, [case("19 000 001", CODE), case("19 000 002", CODE, outcome="")])

    assert raised.value.errors[0].file == "cases record 2 (reference 19 000 002)"
    assert "needs an outcome" in raised.value.errors[0].message


def test_a_case_belongs_to_one_dataset(borsetshire, dataset):
    _import(dataset, [case("19 000 001", CODE)])
    demo = make_dataset(synthetic=True)

    with pytest.raises(CaseworkValidationError) as raised:
        _import(demo, [case("19 000 001", CODE)])

    assert "already stored in the dataset “Test”" in raised.value.errors[0].message
    assert Case.objects.get().dataset == dataset


def test_an_upheld_case_with_recommendations_cannot_silently_become_not_upheld(
    borsetshire, dataset
):
    _import(dataset, [case("19 000 001", CODE)], [recommendation("19 000 001")])
    before = _snapshot()

    with pytest.raises(CaseworkValidationError) as raised:
        _import(dataset, [case("19 000 001", CODE, outcome="not_upheld")])

    assert "stored as upheld with 1 recommendation(s)" in raised.value.errors[0].message
    assert _snapshot() == before


def test_an_upheld_case_without_recommendations_can_become_not_upheld(borsetshire, dataset):
    _import(dataset, [case("19 000 001", CODE)])

    summary = _import(dataset, [case("19 000 001", CODE, outcome="not_upheld")])

    assert summary.cases.changed == 1
    assert Case.objects.get().outcome == "not_upheld"


def test_queries_do_not_grow_with_the_number_of_records(
    borsetshire, dataset, django_assert_max_num_queries
):
    cases = [case(f"19 {n:03d} {n:03d}", CODE) for n in range(1000)]
    recs = [recommendation(c.reference) for c in cases]
    outcomes = [compliance(c.reference) for c in cases]

    with django_assert_max_num_queries(40):
        _import(dataset, cases, recs, outcomes)
    with django_assert_max_num_queries(40):
        summary = _import(dataset, cases, recs, outcomes)

    assert summary.cases.unchanged == 1000
    assert summary.recommendations.unchanged == 1000
    assert summary.compliance.unchanged == 1000


def test_generators_are_accepted(borsetshire, dataset):
    summary = import_records(
        cases=(case(f"19 000 {n:03d}", CODE) for n in range(3)),
        recommendations=iter(()),
        compliance=iter(()),
        dataset=dataset,
        today=TODAY,
    )

    assert summary.cases.added == 3


def test_big_imports_show_a_progress_bar_on_stderr(borsetshire, dataset, capsys):
    cases = [case(f"19 {n // 1000:03d} {n % 1000:03d}", CODE) for n in range(6000)]

    _import(dataset, cases, progress=True)
    big = capsys.readouterr().err
    _import(dataset, cases[:10], progress=True)
    small = capsys.readouterr().err

    assert "Checking and writing" in big
    assert "rows" in big
    assert small == ""


def test_a_reference_with_surrounding_spaces_is_refused(borsetshire, dataset):
    with pytest.raises(CaseworkValidationError) as raised:
        _import(dataset, [case(" 19 000 001", CODE)])

    assert raised.value.errors[0].message == "the reference has spaces at its start or end"
    assert Case.objects.count() == 0


def test_a_failure_while_writing_leaves_nothing_behind(borsetshire, dataset, monkeypatch):
    def broken(**fields):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ImportRun.objects, "create", broken)

    with pytest.raises(RuntimeError, match="disk full"):
        _import(dataset, *_year(borsetshire))

    assert (Case.objects.count(), Recommendation.objects.count()) == (0, 0)
    assert ComplianceOutcome.objects.count() == 0
