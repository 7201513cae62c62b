"""New cases sent while the import is still being checked (PostgreSQL: ``writing.CaseSender``):
the server stores them as the rest is read, in the import's one transaction. What is stored and
what is refused are as if they had waited: a repeat of a reference already sent is refused as a
repeat, a problem found after cases were sent leaves nothing stored, and the stored cases an
import is checked against are those stored before it began. On SQLite nothing is sent early."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from councilperf.casework import planning, spill, writing
from councilperf.casework.models import Case, ComplianceOutcome, ImportRun, Recommendation
from councilperf.casework.services import CaseworkValidationError, import_records
from councilperf.casework.validation import Checker
from tests.casework.builders import TODAY, case, compliance, recommendation

pytestmark = pytest.mark.django_db

CODE = "E07999001"
SENDS = connection.vendor == "postgresql"


@pytest.fixture
def small_batches(monkeypatch) -> None:
    """Spill batches of 3 rows, so that a few cases make several sends."""
    monkeypatch.setattr(spill, "BATCH", 3)


def _references(count: int, start: int = 1) -> list[str]:
    return [f"19 {number:03d} 001" for number in range(start, start + count)]


def _import(references: list[str], dataset, **more: Any):
    return import_records(
        cases=[case(reference, CODE) for reference in references],
        recommendations=more.pop("recommendations", [recommendation(r) for r in references]),
        compliance=more.pop("compliance", [compliance(reference) for reference in references]),
        dataset=dataset,
        today=TODAY,
        **more,
    )


def test_new_cases_are_stored_before_the_recommendations_are_checked(
    borsetshire, dataset, small_batches, monkeypatch
):
    stored_when_checked: list[int] = []
    check = Checker.check_recommendations

    def spied(checker: Checker, rows: Any) -> None:
        # A query through Django: it ends the open COPY first, so it sees every row sent.
        stored_when_checked.append(Case.objects.count())
        check(checker, rows)

    monkeypatch.setattr(Checker, "check_recommendations", spied)

    summary = _import(_references(10), dataset)

    assert stored_when_checked == [10 if SENDS else 0]
    assert summary.cases.added == 10
    assert Case.objects.count() == 10
    assert Recommendation.objects.count() == ComplianceOutcome.objects.count() == 10
    assert sorted(Case.objects.values_list("reference", flat=True)) == _references(10)


def test_a_repeat_of_a_reference_already_sent_is_refused_as_a_repeat(
    borsetshire, dataset, small_batches
):
    references = _references(9)
    with pytest.raises(CaseworkValidationError) as raised:
        # The first is sent with the first batch of three; its repeat comes three batches on.
        _import([*references, references[0]], dataset, recommendations=[], compliance=[])

    (problem,) = raised.value.errors
    assert problem.column == "reference"
    assert problem.message.startswith("this reference appears more than once (also ")
    assert "already stored" not in problem.message
    assert Case.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_a_problem_found_after_cases_were_sent_leaves_nothing_stored(
    borsetshire, dataset, small_batches
):
    references = _references(8)
    with pytest.raises(CaseworkValidationError) as raised:
        _import(references, dataset, recommendations=[recommendation("19 999 999")])

    assert [p.column for p in raised.value.errors] == ["reference"]
    assert Case.objects.count() == Recommendation.objects.count() == 0
    assert ImportRun.objects.count() == 0
    # The connection is usable after the abandoned COPY: the same import, put right, goes in.
    assert _import(references, dataset).cases.added == 8
    assert Case.objects.count() == 8


@pytest.mark.django_db(transaction=True)
def test_outside_any_transaction_too_a_late_problem_rolls_back_the_sent_cases(
    borsetshire, dataset, small_batches
):
    # The import's own transaction (not a test's savepoint) is the one the abandoned COPY fails.
    with pytest.raises(CaseworkValidationError):
        _import(_references(8), dataset, recommendations=[recommendation("19 999 999")])
    assert Case.objects.count() == 0
    assert _import(_references(8), dataset).cases.added == 8


def test_an_import_into_stored_cases_is_checked_against_those_stored_before_it(
    borsetshire, dataset, small_batches
):
    stored = _references(4)
    _import(stored, dataset)
    # Two changed, two unchanged, six new: with 4 cases stored and batches of references
    # bigger than half of that, stored cases are found by one pass over the table.
    changed = [case(r, CODE, summary="Changed") for r in stored[:2]]
    records = [*changed, *(case(r, CODE) for r in stored[2:])]
    records += [case(r, CODE) for r in _references(6, start=50)]

    summary = import_records(
        cases=records, recommendations=[], compliance=[], dataset=dataset, today=TODAY
    )

    assert (summary.cases.added, summary.cases.changed, summary.cases.unchanged) == (6, 2, 2)
    assert Case.objects.count() == 10
    assert set(Case.objects.filter(summary="Changed").values_list("reference", flat=True)) == set(
        stored[:2]
    )


def test_the_pass_over_stored_cases_skips_the_imports_own(borsetshire, dataset):
    _import(_references(3), dataset)
    last = Case.objects.order_by("pk").last()
    assert last is not None
    _import(_references(2, start=10), dataset)
    wanted = set(_references(3)) | set(_references(2, start=10))

    everything = planning.stored_lookup(wanted, stored_count=5)
    before = planning.stored_lookup(wanted, stored_count=5, last_id=last.pk)

    assert set(everything) == wanted
    assert set(before) == set(_references(3))


@pytest.mark.skipif(not SENDS, reason="a COPY is PostgreSQL's")
def test_a_query_while_a_copy_is_open_ends_it_first(borsetshire, dataset):
    from django.db import transaction

    row = (
        "19 500 001",
        dataset.pk,
        *spill.case_row(case("19 500 001", CODE), borsetshire.pk),
    )
    with transaction.atomic(), writing.sending_cases() as sender:
        sender.send([row])
        assert Case.objects.filter(reference="19 500 001").count() == 1
        sender.send([("19 500 002", *row[1:])])
    assert sender.sent == 2
    assert Case.objects.count() == 2
