"""Where a council's year stands (portal/status.py): every combination of the plain values."""

from __future__ import annotations

import datetime as dt

import pytest

from councilperf.portal import status
from councilperf.portal.models import ComplaintReturn, ReplyVersion

DEADLINE = dt.date(2027, 6, 30)
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("sent", "published", "expected"),
    [
        (False, False, status.LETTER_NOT_SENT),
        (False, True, status.LETTER_NOT_SENT),  # a council with no letter of a public year
        (True, False, status.LETTER_EMBARGOED),
        (True, True, status.LETTER_PUBLISHED),
    ],
)
def test_letter_state(sent: bool, published: bool, expected: status.State) -> None:
    assert status.letter_state(sent=sent, published=published) == expected


@pytest.mark.parametrize(
    ("returned", "today", "expected"),
    [
        (None, DEADLINE - DAY, status.RETURN_NOT_STARTED),
        (None, DEADLINE, status.RETURN_NOT_STARTED),  # the deadline day is in time
        (None, DEADLINE + DAY, status.RETURN_LATE),
        ("draft", DEADLINE, status.RETURN_DRAFT),
        ("draft", DEADLINE + DAY, status.RETURN_LATE),
        ("ready", DEADLINE, status.RETURN_READY),
        ("ready", DEADLINE + DAY, status.RETURN_LATE),
        ("submitted", DEADLINE - DAY, status.RETURN_SUBMITTED),
        ("submitted", DEADLINE + DAY, status.RETURN_SUBMITTED),  # submitted stays submitted
    ],
)
def test_return_state_open(returned: str | None, today: dt.date, expected: status.State) -> None:
    assert (
        status.return_state(opened=True, status=returned, deadline=DEADLINE, today=today)
        == expected
    )


@pytest.mark.parametrize("returned", [None, "draft", "ready", "submitted"])
@pytest.mark.parametrize("today", [DEADLINE - DAY, DEADLINE + DAY])
def test_a_year_not_open_for_returns_says_so_whatever_else(
    returned: str | None, today: dt.date
) -> None:
    assert (
        status.return_state(opened=False, status=returned, deadline=None, today=today)
        == status.RETURN_NOT_OPEN
    )


def test_an_open_year_without_a_deadline_is_never_late() -> None:
    far = DEADLINE + dt.timedelta(days=3650)
    assert status.return_state(opened=True, status=None, deadline=None, today=far) == (
        status.RETURN_NOT_STARTED
    )


def test_every_return_status_of_the_model_has_a_state_and_no_other_is_taken() -> None:
    for value in ComplaintReturn.Status.values:
        state = status.return_state(opened=True, status=value, deadline=DEADLINE, today=DEADLINE)
        assert state.key == value
    with pytest.raises(ValueError, match="unknown return status"):
        status.return_state(opened=True, status="lost", deadline=DEADLINE, today=DEADLINE)


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        (None, status.REPLY_NONE),
        ("draft", status.REPLY_DRAFT),
        ("submitted", status.REPLY_SUBMITTED),
        ("accepted", status.REPLY_ACCEPTED),
        ("returned", status.REPLY_RETURNED),
    ],
)
def test_reply_state(latest: str | None, expected: status.State) -> None:
    assert status.reply_state(latest=latest) == expected


def test_every_reply_status_of_the_model_has_a_state_and_no_other_is_taken() -> None:
    assert {status.reply_state(latest=v).key for v in ReplyVersion.Status.values} == set(
        ReplyVersion.Status.values
    )
    with pytest.raises(ValueError, match="unknown reply status"):
        status.reply_state(latest="lost")


def test_each_family_of_states_has_distinct_keys_and_labels_and_known_tags() -> None:
    families = {
        prefix: [
            getattr(status, name)
            for name in dir(status)
            if name.startswith(prefix) and isinstance(getattr(status, name), status.State)
        ]
        for prefix in ("LETTER_", "RETURN_", "REPLY_")
    }
    assert {prefix: len(found) for prefix, found in families.items()} == {
        "LETTER_": 3,
        "RETURN_": 6,
        "REPLY_": 5,
    }
    for found in families.values():
        assert len({s.key for s in found}) == len({s.label for s in found}) == len(found)
        assert all(s.tag in {"grey", "blue", "yellow", "green", "red"} for s in found)
