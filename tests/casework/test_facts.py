"""The packed facts of a case (``councilperf.casework.facts``): every field comes back as it
went in, whatever the others hold, and nothing out of range is packed silently."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from councilperf.casework import facts
from councilperf.casework.facts import OUTCOMES, Action, CaseFacts

POSITION = st.integers(min_value=0, max_value=(1 << 48) - 1)
FACTS = st.builds(
    CaseFacts,
    outcome=st.sampled_from(OUTCOMES),
    decision_date=st.none() | st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(2869, 12, 31)),
    action=st.sampled_from(list(Action)),
    case_seen=POSITION,
    compliance_seen=POSITION,
    stored_id=st.integers(min_value=0, max_value=1 << 63),
)


@given(FACTS)
def test_facts_come_back_as_packed(case: CaseFacts) -> None:
    packed = facts.pack(case)
    assert facts.unpack(packed) == case
    assert facts.outcome(packed) == case.outcome
    assert facts.decision_date(packed) == case.decision_date
    assert facts.action(packed) is case.action
    assert facts.case_seen(packed) == case.case_seen
    assert facts.compliance_seen(packed) == case.compliance_seen
    assert facts.stored_id(packed) == case.stored_id


@given(FACTS, st.integers(min_value=1, max_value=(1 << 48) - 1))
def test_a_compliance_row_changes_only_its_own_field(case: CaseFacts, seen: int) -> None:
    changed = facts.unpack(facts.with_compliance(facts.pack(case), seen))
    assert changed.compliance_seen == seen
    assert changed == CaseFacts(
        case.outcome, case.decision_date, case.action, case.case_seen, seen, case.stored_id
    )


def test_a_new_case_packs_into_a_small_integer() -> None:
    new = CaseFacts("upheld", dt.date(2024, 3, 31), Action.INSERT, case_seen=5_000_000 << 12)
    assert facts.pack(new) < 1 << 90  # three 30-bit digits: 40 bytes as a Python int


@pytest.mark.parametrize(
    "bad",
    [
        CaseFacts("", None, Action.INSERT, case_seen=1 << 48),
        CaseFacts("", None, Action.INSERT, compliance_seen=-1),
        CaseFacts("", None, Action.STORED, stored_id=-1),
    ],
)
def test_out_of_range_values_are_refused(bad: CaseFacts) -> None:
    with pytest.raises(ValueError):
        facts.pack(bad)
    with pytest.raises(ValueError):
        facts.with_compliance(0, 0)
