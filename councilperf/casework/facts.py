"""What an import keeps of each case while it streams its records: one small integer per
reference. Pure: no Django, no I/O.

A streamed import never holds its records. To check a recommendation or compliance row
against its case, and to write it later, it needs only a few facts of that case: its outcome,
its decision date, what the import does with it, where it was first seen and, when stored, its
id. ``pack`` puts them in one integer (fields rarely set go in the high bits, so a new case's
integer stays small); ``unpack`` and the accessors read them back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum

from .codes import Outcome


class Action(IntEnum):
    """What the import does with a case."""

    STORED = 0  # a stored case the import's case rows do not name
    INSERT = 1
    UPDATE = 2
    UNCHANGED = 3


# Outcome codes by index; 0 is "no outcome" (not decided).
OUTCOMES: tuple[str, ...] = ("", *Outcome.values)
_OUTCOME_INDEX = {code: index for index, code in enumerate(OUTCOMES)}
# Actions by value (quicker than calling ``Action``: one lookup per row checked).
_ACTIONS: tuple[Action, ...] = tuple(Action)
assert all(index == member for index, member in enumerate(_ACTIONS))

_OUTCOME_BITS = 3
_DATE_BITS = 20  # date ordinals up to 2870
_ACTION_BITS = 2
_POSITION_BITS = 48
assert len(OUTCOMES) < 1 << _OUTCOME_BITS
assert dt.date(2870, 1, 1).toordinal() < 1 << _DATE_BITS

_DATE_SHIFT = _OUTCOME_BITS
_ACTION_SHIFT = _DATE_SHIFT + _DATE_BITS
_CASE_SHIFT = _ACTION_SHIFT + _ACTION_BITS
_COMPLIANCE_SHIFT = _CASE_SHIFT + _POSITION_BITS
_ID_SHIFT = _COMPLIANCE_SHIFT + _POSITION_BITS
_POSITION_MASK = (1 << _POSITION_BITS) - 1


@dataclass(frozen=True, slots=True)
class CaseFacts:
    outcome: str
    decision_date: dt.date | None
    action: Action
    # Where the case row was (its stream position + 1; 0: no row, a stored case).
    case_seen: int = 0
    # Where the case's compliance row was (its stream position + 1; 0: none yet).
    compliance_seen: int = 0
    stored_id: int = 0


def pack(facts: CaseFacts) -> int:
    """The facts as one integer (``unpack`` gives them back)."""
    return pack_values(
        facts.outcome,
        facts.decision_date,
        facts.action,
        case_seen=facts.case_seen,
        compliance_seen=facts.compliance_seen,
        stored_id=facts.stored_id,
    )


def pack_values(
    outcome: str,
    decision_date: dt.date | None,
    action: Action,
    *,
    case_seen: int = 0,
    compliance_seen: int = 0,
    stored_id: int = 0,
) -> int:
    """``pack`` of the facts given one by one (no ``CaseFacts`` made: one call per case)."""
    if not 0 <= case_seen <= _POSITION_MASK or not 0 <= compliance_seen <= _POSITION_MASK:
        raise ValueError(f"a stream position out of range: {case_seen}, {compliance_seen}")
    if stored_id < 0:
        raise ValueError(f"a stored id cannot be negative: {stored_id}")
    day = decision_date.toordinal() if decision_date else 0
    return (
        _OUTCOME_INDEX[outcome]
        | day << _DATE_SHIFT
        | action << _ACTION_SHIFT
        | case_seen << _CASE_SHIFT
        | compliance_seen << _COMPLIANCE_SHIFT
        | stored_id << _ID_SHIFT
    )


def unpack(packed: int) -> CaseFacts:
    day = packed >> _DATE_SHIFT & ((1 << _DATE_BITS) - 1)
    return CaseFacts(
        outcome=OUTCOMES[packed & ((1 << _OUTCOME_BITS) - 1)],
        decision_date=dt.date.fromordinal(day) if day else None,
        action=Action(packed >> _ACTION_SHIFT & ((1 << _ACTION_BITS) - 1)),
        case_seen=packed >> _CASE_SHIFT & _POSITION_MASK,
        compliance_seen=packed >> _COMPLIANCE_SHIFT & _POSITION_MASK,
        stored_id=packed >> _ID_SHIFT,
    )


def with_compliance(packed: int, seen: int) -> int:
    """The same facts, with the case's compliance row seen at ``seen`` (position + 1)."""
    if not 0 < seen <= _POSITION_MASK:
        raise ValueError(f"a stream position out of range: {seen}")
    cleared = packed & ~(_POSITION_MASK << _COMPLIANCE_SHIFT)
    return cleared | seen << _COMPLIANCE_SHIFT


def action(packed: int) -> Action:
    return _ACTIONS[packed >> _ACTION_SHIFT & ((1 << _ACTION_BITS) - 1)]


def stored_id(packed: int) -> int:
    return packed >> _ID_SHIFT


def outcome(packed: int) -> str:
    return OUTCOMES[packed & ((1 << _OUTCOME_BITS) - 1)]


def decision_date(packed: int) -> dt.date | None:
    day = packed >> _DATE_SHIFT & ((1 << _DATE_BITS) - 1)
    return dt.date.fromordinal(day) if day else None


def case_seen(packed: int) -> int:
    return packed >> _CASE_SHIFT & _POSITION_MASK


def compliance_seen(packed: int) -> int:
    return packed >> _COMPLIANCE_SHIFT & _POSITION_MASK
