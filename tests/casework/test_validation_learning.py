"""What the checker learns for the writes as the records stream past: cases added, changed and
unchanged, the good rows spilled to be written, and the recommendations and compliance outcomes
of stored cases to compare with what is stored (pure: no database; stored cases from a dict).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

import pytest

from councilperf.casework import facts, validation
from councilperf.casework import spill as spill_module
from councilperf.casework.facts import Action, CaseFacts
from councilperf.casework.parsing import Kind
from councilperf.casework.problems import Problems
from councilperf.casework.records import case_values
from councilperf.casework.rules import AuthorityInfo, StoredCase
from councilperf.casework.sources import RecordSource
from councilperf.casework.spill import KINDS, Spill, case_row
from councilperf.casework.validation import Checker, batched, digest
from tests.casework.builders import TODAY, case, compliance, recommendation

CODE = "E07999001"
AUTHORITY_ID = 3
AUTHORITIES = {CODE: AuthorityInfo(AUTHORITY_ID, CODE, "Borsetshire", None, None)}
DECIDED = dt.date(2019, 9, 1)
DUE = dt.date(2019, 10, 1)
RECORDED = dt.date(2019, 11, 1)


def values(record: Any) -> tuple[object, ...]:
    return case_values(record, AUTHORITY_ID)


STORED = {
    "S1": StoredCase(11, 1, values(case("S1", CODE))),  # the import repeats it as it is
    "S2": StoredCase(12, 1, values(case("S2", CODE))),  # upheld; the import does not uphold it
    "S3": StoredCase(13, 1, values(case("S3", CODE, outcome="not_upheld"))),
    "S4": StoredCase(14, 1, values(case("S4", CODE))),  # upheld, and still upheld
    "S5": StoredCase(15, 1, values(case("S5", CODE))),  # the import has no case row of it
    "S6": StoredCase(16, 2, values(case("S6", CODE))),  # of another dataset
}


class Run:
    """A checker over records given in memory, with the lookups it made and its spill."""

    def __init__(
        self,
        *,
        cases: Sequence[Any] = (),
        recommendations: Sequence[Any] = (),
        compliance: Sequence[Any] = (),
        dataset_names: dict[int, str] | None = None,
    ) -> None:
        self.lookups: list[set[str]] = []
        self.problems = Problems()
        records = RecordSource(
            {
                Kind.CASES: cases,
                Kind.RECOMMENDATIONS: recommendations,
                Kind.COMPLIANCE: compliance,
            },
            None,
        )
        with Spill() as spill:
            self.checker = Checker(
                authorities=AUTHORITIES,
                dataset_id=1,
                dataset_names=dataset_names or {},
                today=TODAY,
                problems=self.problems,
                where=records.where,
                lookup=self.lookup,
                spill=spill,
            )
            self.checker.check_cases(records.stream(Kind.CASES))
            self.checker.check_recommendations(records.stream(Kind.RECOMMENDATIONS))
            self.checker.check_compliance(records.stream(Kind.COMPLIANCE))
            self.spilled = {
                kind: [row for batch in spill.batches(kind) for row in batch] for kind in KINDS
            }

    def lookup(self, references: set[str]) -> dict[str, StoredCase]:
        self.lookups.append(set(references))
        return {r: STORED[r] for r in references if r in STORED}

    @property
    def messages(self) -> list[str]:
        return [f"{p.file}: {p.message}" for p in self.problems.kept]

    def facts(self) -> dict[str, CaseFacts]:
        return {reference: facts.unpack(packed) for reference, packed in self.checker.facts.items()}


def test_cases_added_changed_and_unchanged():
    new = case("N1", CODE)
    no_longer_upheld = case("S2", CODE, outcome="not_upheld")
    summary = case("S3", CODE, outcome="not_upheld", summary="Rewritten")
    still_upheld = case("S4", CODE, summary="Rewritten")
    run = Run(cases=[new, case("S1", CODE), no_longer_upheld, summary, still_upheld])
    assert run.messages == []
    assert run.checker.case_counts == [1, 3, 1]  # added, changed, unchanged
    assert run.checker.no_longer_upheld == {12: "S2"}
    # A new case goes in with its dataset; a changed one by its id; the unchanged one not again.
    assert run.spilled["cases"] == [("N1", 1, *case_row(new, AUTHORITY_ID))]
    assert run.spilled["case_updates"] == [
        (*case_row(no_longer_upheld, AUTHORITY_ID), 12),
        (*case_row(summary, AUTHORITY_ID), 13),
        (*case_row(still_upheld, AUTHORITY_ID), 14),
    ]
    assert case_row(new, AUTHORITY_ID)[1:3] == ("2019-05-01", "2019-09-01")  # dates as ISO text
    outcomes = {"N1": "upheld", "S1": "upheld", "S2": "not_upheld", "S3": "not_upheld"}
    actions = {"N1": Action.INSERT, "S1": Action.UNCHANGED}
    ids = {"N1": 0, "S1": 11, "S2": 12, "S3": 13, "S4": 14}
    assert run.facts() == {
        reference: CaseFacts(
            outcome=outcomes.get(reference, "upheld"),
            decision_date=DECIDED,
            action=actions.get(reference, Action.UPDATE),
            case_seen=position + 1,
            stored_id=ids[reference],
        )
        for position, reference in enumerate(["N1", "S1", "S2", "S3", "S4"])
    }
    assert run.lookups == [{"N1", "S1", "S2", "S3", "S4"}]  # none for no rows
    assert run.checker.rejected == set() and run.checker.rejected_first == {}


def test_recommendations_of_new_repeated_and_stored_cases():
    run = Run(
        cases=[case("N1", CODE), case("S1", CODE), case("S9", "")],  # S9 is rejected
        recommendations=[
            recommendation("N1"),
            recommendation("S5", description="Say sorry", service_improvement=True),
            recommendation("N1", kind="training", description="Train"),
            recommendation("S1", kind="training", due_date=DECIDED),
            recommendation("N1", kind="hug"),  # refused: neither written nor compared
            recommendation("S5", due_date=None),  # refused
            recommendation("S9"),  # its case was refused: nothing more is said
        ],
    )
    assert run.messages == [
        "cases record 3 (reference S9): the authority code is blank",
        "recommendations record 5 (reference N1): not a kind of recommendation; use one of: "
        "apology (Apology); financial_redress (Financial redress); procedure_change "
        "(Procedure or policy change); training (Training); records_correction "
        "(Add or correct records); other (Other)",
        "recommendations record 6 (reference S5): is blank; this date is required",
    ]
    assert run.checker.new_recommendations == 2
    assert run.checker.stored_recommendations == {
        15: [(1, "apology", DUE, digest("Say sorry", True))],
        11: [(3, "training", DECIDED, digest("", False))],
    }
    # A new case's rows by its reference; a stored case's by position and the case's id.
    assert run.spilled["recommendations"] == [
        ("N1", "apology", "2019-10-01", "", False),
        ("N1", "training", "2019-10-01", "Train", False),
    ]
    assert run.spilled["stored_recommendations"] == [
        (1, 15, "apology", "2019-10-01", "Say sorry", True),
        (3, 11, "training", "2019-09-01", "", False),
    ]
    # Only S5 is looked up again: N1 and S1 are the import's, S9 was refused.
    assert run.lookups == [{"N1", "S1", "S9"}, {"S5"}]
    assert run.facts()["S5"] == CaseFacts(
        outcome="upheld", decision_date=DECIDED, action=Action.STORED, stored_id=15
    )
    assert run.checker.rejected == {"S9"} and run.checker.rejected_first == {"S9": 3}


def test_compliance_of_new_and_stored_cases():
    run = Run(
        cases=[case("N1", CODE), case("S1", CODE), case("N2", CODE)],
        compliance=[
            compliance("N1"),
            compliance("S5", outcome="complied_late"),
            compliance("S1", recorded_date=DECIDED),
            compliance("S4", outcome="maybe"),  # refused: neither written nor compared
            compliance("N2", outcome="not_complied"),
        ],
    )
    assert [m.split(";")[0] for m in run.messages] == [
        "compliance record 4 (reference S4): not a compliance outcome"
    ]
    assert run.checker.new_compliance == 2
    assert run.checker.stored_compliance == [
        (1, 15, RECORDED, "complied_late"),
        (2, 11, DECIDED, "complied"),
    ]
    assert run.spilled["compliance"] == [
        ("N1", "2019-11-01", "complied"),
        ("N2", "2019-11-01", "not_complied"),
    ]
    assert run.spilled["stored_compliance"] == [
        (1, 15, "2019-11-01", "complied_late"),
        (2, 11, "2019-09-01", "complied"),
    ]
    seen = {ref: found.compliance_seen for ref, found in run.facts().items()}
    assert seen == {"N1": 1, "S1": 3, "N2": 5, "S5": 2, "S4": 4}
    assert run.lookups == [{"N1", "S1", "N2"}, {"S4", "S5"}]


def test_a_second_compliance_row_of_an_unknown_case():
    run = Run(compliance=[compliance("X1"), compliance("X2"), compliance("X1")])
    missing = "no case has this reference, in the cases file(s) or the database; a compliance "
    assert run.messages == [
        f"compliance record 1 (reference X1): {missing}outcome needs its case",
        f"compliance record 2 (reference X2): {missing}outcome needs its case",
        "compliance record 3 (reference X1): a case has one compliance outcome, and this "
        "reference appears more than once (also compliance record 1 (reference X1))",
    ]
    assert run.checker.compliance_first == {"X1": 1, "X2": 2}
    assert run.checker.facts == {} and run.spilled["compliance"] == []


def test_a_repeated_good_case_and_references_too_long_to_remember():
    long = "1" * 21
    run = Run(cases=[case("C1", CODE), case(long, CODE), case("C1", CODE), case(long, CODE)])
    assert [m.split(": ")[1] for m in run.messages] == [
        "a reference has at most 20 characters",
        "this reference appears more than once (also cases record 1 (reference C1))",
        "a reference has at most 20 characters",  # not also "appears more than once"
    ]
    assert run.checker.rejected == {"C1", long} and run.checker.rejected_first == {}
    assert run.checker.case_counts == [1, 0, 0] and len(run.spilled["cases"]) == 1


def test_each_batch_of_records_is_looked_up_once(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(validation, "BATCH", 2)
    run = Run(
        cases=[case(f"N{n}", CODE) for n in range(3)],
        recommendations=[recommendation(reference) for reference in ("S1", "S2", "S5")],
        compliance=[compliance(reference) for reference in ("S3", "S4", "N0")],
    )
    assert run.lookups == [
        {"N0", "N1"},
        {"N2"},
        {"S1", "S2"},
        {"S5"},
        {"S3", "S4"},
        set(),
    ]
    assert [m.split(": ")[1].split(";")[0] for m in run.messages] == [
        "compliance is recorded only on upheld decisions"  # S3 is not upheld
    ]


def test_a_reference_already_read_is_not_looked_up_again(monkeypatch: pytest.MonkeyPatch):
    # Its repeat is refused as a repeat; and on PostgreSQL the database may by then hold the
    # import's own new case of that reference (sent while checking goes on).
    monkeypatch.setattr(validation, "BATCH", 2)
    run = Run(cases=[case(r, CODE) for r in ("N1", "S1", "N1", "S1", "N2")])
    assert run.lookups[:3] == [{"N1", "S1"}, set(), {"N2"}]
    assert [m.split(": ")[1].split(" (")[0] for m in run.messages] == [
        "this reference appears more than once"
    ] * 2


def test_spilled_rows_of_a_kind_sent_go_to_its_sender_not_to_disk(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(spill_module, "BATCH", 2)
    sent: list[list[tuple[Any, ...]]] = []
    with Spill(send={"cases": sent.append}) as spill:
        for number in range(5):
            spill.add("cases", (number,))
            spill.add("case_updates", (number,))
        assert (spill.sent("cases"), spill.sent("case_updates")) == (True, False)
        assert sent == [[(0,), (1,)], [(2,), (3,)]] and spill.count("cases") == 5
        spill.flush("cases")
        assert sent[-1] == [(4,)] and spill.count("cases") == 5
        assert list(spill.batches("cases")) == []
        assert [row for batch in spill.batches("case_updates") for row in batch] == [
            (n,) for n in range(5)
        ]


def test_batches():
    assert list(batched(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(batched([], 2)) == []


def test_a_recommendations_fingerprint_is_of_its_flag_and_text():
    assert digest("Say sorry", True) == hashlib.blake2b(b"1Say sorry", digest_size=16).digest()
    assert digest("Say sorry", False) == hashlib.blake2b(b"0Say sorry", digest_size=16).digest()
    lone = "\ud800"  # a lone surrogate, as a broken file can hold
    assert digest(lone, False) == hashlib.blake2b(b"0\xed\xa0\x80", digest_size=16).digest()


def test_problems_name_the_value_found():
    day = dt.timedelta(days=1)
    run = Run(
        cases=[case(ref, CODE) for ref in ("N1", "N2", "N3", "N4")]
        + [case("U1", CODE, outcome="not_upheld"), case("S6", CODE)],
        recommendations=[
            recommendation("X9"),
            recommendation("U1"),
            recommendation("N1", kind="hug"),
            recommendation("N1", due_date=dt.date(1973, 12, 31)),
            recommendation(
                "N1", due_date=dt.date(1974, 1, 1)
            ),  # not too early: before the decision
            recommendation("N1", due_date=DECIDED - day),
            recommendation("N1", description="d" * 2_001),
            recommendation("N1", service_improvement="yes"),
        ],
        compliance=[
            compliance("X9"),
            compliance("U1"),
            compliance("N1", outcome="maybe"),
            compliance("N1"),
            compliance("N2", recorded_date=None),
            compliance("N3", recorded_date=TODAY + day),
            compliance("N4", recorded_date=DECIDED - day),
        ],
        dataset_names={2: "Older"},
    )
    found = [(p.file.split(" (")[0], p.column, p.value, p.message) for p in run.problems.kept]
    assert [f[:3] for f in found] == [
        ("cases record 6", "reference", "S6"),
        ("recommendations record 1", "reference", "X9"),
        ("recommendations record 2", "reference", "U1"),
        ("recommendations record 3", "kind", "hug"),
        ("recommendations record 4", "due_date", "1973-12-31"),
        ("recommendations record 5", "due_date", "1974-01-01"),
        ("recommendations record 6", "due_date", "2019-08-31"),
        ("recommendations record 7", "description", "d" * 2_001),
        ("recommendations record 8", "service_improvement", "yes"),
        ("compliance record 1", "reference", "X9"),
        ("compliance record 2", "reference", "U1"),
        ("compliance record 3", "outcome", "maybe"),
        ("compliance record 4", "reference", "N1"),
        ("compliance record 5", "recorded_date", None),
        ("compliance record 6", "recorded_date", "2021-06-02"),
        ("compliance record 7", "recorded_date", "2019-08-31"),
    ]
    assert [f[3].split(";")[0] for f in found] == [
        "a case with this reference is already stored in the dataset “Older”",
        "no case has this reference, in the cases file(s) or the database",
        "recommendations are made only on upheld decisions",
        "not a kind of recommendation",
        "is before 1974, when the ombudsman began work: check the year",
        "the recommendation is due before the decision (01/09/2019)",
        "the recommendation is due before the decision (01/09/2019)",
        "the description is 2,001 characters long",
        "is not true or false",
        "no case has this reference, in the cases file(s) or the database",
        "compliance is recorded only on upheld decisions",
        "not a compliance outcome",
        "a case has one compliance outcome, and this reference appears more than once "
        "(also compliance record 3 (reference N1))",
        "is blank",
        "is in the future (today is 01/06/2021)",
        "compliance is recorded before the decision (01/09/2019)",
    ]


def test_a_reference_that_is_not_text_is_reported_and_not_remembered():
    # A source may give anything; a list cannot even be a key of what is remembered.
    odd: list[Any] = [None, 19_000_001, ["19 000 001"]]
    run = Run(cases=[case(reference, CODE) for reference in odd])
    assert [(p.column, p.value, p.message) for p in run.problems.kept] == [
        ("reference", shown, "the reference is blank")
        for shown in (None, "19000001", "['19 000 001']")
    ]
    assert run.lookups == [set()]
    assert (run.checker.facts, run.checker.rejected, run.checker.rejected_first) == ({}, set(), {})
