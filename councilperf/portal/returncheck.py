"""The checks of a council's complaint-handling return, on plain data (pure: no Django).

A return is typed as text (a form, or a CSV/XLSX file's ``field,value`` rows) and checked
field by field, then between fields; each error names the field and the rule in plain words.
The rules:

- counts are whole numbers, 0 or more (no fractions, no signs, no thousands separators
  other than commas);
- at each stage: answered within the Code's limit ≤ answered ≤ received;
- stage 2 received ≤ stage 1 answered (a complaint reaches stage 2 after a stage 1 answer);
- upheld ≤ answered at each stage;
- escalated to the ombudsman ≤ stage 2 answered (the ombudsman normally looks at a
  complaint once the council's process has ended);
- the self-assessment's address is an https address;
- a comment is at most 500 characters, with no hidden control characters;
- the date members considered the self-assessment is between the first day of the reporting
  year and the return's deadline (members often consider it after the year has ended);
- for sign-off (``complete``) every field is filled and every section of the Code rated.

A draft keeps every field that passed its checks (:attr:`Checked.values`); a field with an
error is not kept and the error says why. :func:`status` is where a council's return
stands on the staff list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from councilperf.portal.code import COUNT_KEYS, COUNTS, HEADING, NOT_MORE_THAN, SECTION_KEYS

URL: Final = "self_assessment_url"
DATE: Final = "self_assessment_date"
RATINGS: Final[tuple[tuple[str, str], ...]] = (
    ("meets", "Meets"),
    ("partly", "Partly meets"),
    ("does_not", "Does not meet"),
)
RATING_KEYS: Final = tuple(key for key, _ in RATINGS)
COMMENT_LIMIT: Final = 500
URL_LIMIT: Final = 500


def rating_field(section: str) -> str:
    return f"{section}_rating"


def comment_field(section: str) -> str:
    return f"{section}_comment"


LABELS: Final[dict[str, str]] = {
    **dict(COUNTS),
    URL: "Address of your published self-assessment",
    DATE: "Date members considered the self-assessment",
    **{rating_field(k): f"Rating for “{HEADING[k]}”" for k in SECTION_KEYS},
    **{comment_field(k): f"Comment on “{HEADING[k]}”" for k in SECTION_KEYS},
}
FIELDS: Final = tuple(LABELS)


Value = int | str | dt.date | None

_WHOLE = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+$|^[0-9]+$", re.ASCII)
_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", re.ASCII)
_UK = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$", re.ASCII)
MAX_COUNT: Final = 10_000_000


class BadValue(ValueError):
    """A value that breaks a rule (the message says which, in plain words)."""


def count(text: str) -> int | None:
    """A whole number of complaints, 0 or more (None: left blank)."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"-\s*[0-9.,]+", text):
        raise BadValue("must be 0 or more, not a negative number")
    if re.fullmatch(r"[0-9,]*\.[0-9]+", text) and not re.fullmatch(r"[0-9,]*\.0+", text):
        raise BadValue("must be a whole number of complaints, not a fraction")
    text = re.sub(r"\.0+$", "", text)
    if not _WHOLE.match(text):
        raise BadValue("must be a whole number, like 120")
    number = int(text.replace(",", ""))
    if number > MAX_COUNT:
        raise BadValue(f"must be at most {MAX_COUNT:,}")
    return number


def day(text: str) -> dt.date | None:
    """A date typed as 2026-05-14 or 14/05/2026 (None: left blank)."""
    text = text.strip()
    if not text:
        return None
    try:
        if _ISO.match(text):
            return dt.date.fromisoformat(text)
        match = _UK.match(text)
        if match:
            d, m, y = (int(part) for part in match.groups())
            return dt.date(y, m, d)
    except ValueError:
        raise BadValue("must be a real date, like 14/05/2026") from None
    raise BadValue("must be a date, like 14/05/2026")


def deadline_of(text: str, *, start: dt.date) -> dt.date:
    """The deadline staff set for a year's returns: a date on or after the year's start."""
    found = day(text)
    if found is None:
        raise BadValue("must be given, like 30/06/2027")
    if found < start:
        raise BadValue(f"must be on or after {start:%-d %B %Y}, the year's start")
    return found


def address(text: str) -> str:
    """An https address of a page on the web ('' when left blank)."""
    text = text.strip()
    if not text:
        return ""
    if len(text) > URL_LIMIT:
        raise BadValue(f"must be at most {URL_LIMIT} characters")
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:[0-9]{1,5})?(/[^\s]*)?", text):
        raise BadValue("must be a full https address, like https://www.example.gov.uk/complaints")
    return text


def rating(text: str) -> str:
    text = text.strip()
    if text and text not in RATING_KEYS:
        raise BadValue("must be one of " + ", ".join(f"“{k}”" for k in RATING_KEYS))
    return text


_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def comment(text: str) -> str:
    text = text.strip().replace("\r\n", "\n")
    if _HIDDEN.search(text):
        raise BadValue("must not hold hidden control characters (paste it as plain text)")
    if len(text) > COMMENT_LIMIT:
        raise BadValue(f"must be at most {COMMENT_LIMIT} characters (it has {len(text)})")
    return text


@dataclass
class Checked:
    """What passed (``values``, keyed by field) and what did not (``errors``: field → message)."""

    values: dict[str, Value] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, name: str, rule: str) -> None:
        if name not in self.errors:
            self.errors[name] = f"{LABELS[name]} {rule}"
        self.values.pop(name, None)


def _parse(name: str, text: str) -> Value:
    if name in COUNT_KEYS:
        return count(text)
    if name == URL:
        return address(text)
    if name == DATE:
        return day(text)
    if name.endswith("_rating"):
        return rating(text)
    return comment(text)


def check(raw: Mapping[str, str], *, start: dt.date, deadline: dt.date, complete: bool) -> Checked:
    """Check a return typed as text; ``complete``: as for sign-off (nothing may be blank)."""
    result = Checked()
    for name in FIELDS:
        try:
            result.values[name] = _parse(name, str(raw.get(name, "") or ""))
        except BadValue as error:
            result.fail(name, str(error))
    numbers = {k: v for k, v in result.values.items() if isinstance(v, int)}
    for small, large in NOT_MORE_THAN:
        if small in numbers and large in numbers and numbers[small] > numbers[large]:
            result.fail(
                small,
                f"({numbers[small]:,}) cannot be more than {_lower(large)} ({numbers[large]:,})",
            )
    when = result.values.get(DATE)
    if isinstance(when, dt.date) and not start <= when <= deadline:
        result.fail(
            DATE,
            f"must be between {start:%-d %B %Y} (the year's start) and "
            f"{deadline:%-d %B %Y} (the deadline)",
        )
    if complete:
        for name in FIELDS:
            if name.endswith("_comment") or name in result.errors:
                continue
            if result.values.get(name) in (None, ""):
                needed = "chosen" if name.endswith("_rating") else "filled in"
                result.fail(name, f"must be {needed}")
    return result


def _lower(name: str) -> str:
    label = LABELS[name]
    return label[0].lower() + label[1:]


# Where a council's return stands -------------------------------------------------------------

NOT_STARTED: Final = "not_started"
DRAFT: Final = "draft"
READY: Final = "ready"
SUBMITTED: Final = "submitted"
SUBMITTED_LATE: Final = "submitted_late"
LATE: Final = "late"
STATUS_LABELS: Final[dict[str, str]] = {
    NOT_STARTED: "Not started",
    DRAFT: "Draft",
    READY: "Waiting for sign-off",
    SUBMITTED: "Submitted",
    SUBMITTED_LATE: "Submitted late",
    LATE: "Late",
}


def status(
    *, saved: str | None, signed_off: dt.date | None, deadline: dt.date, today: dt.date
) -> str:
    """A return's status on the staff list: ``saved`` is the stored status (None: no return
    yet), ``signed_off`` the day it was signed off (London). Not submitted after the deadline
    is late whatever was saved; submitted after the deadline is "submitted late"."""
    if saved == SUBMITTED:
        return SUBMITTED_LATE if signed_off is not None and signed_off > deadline else SUBMITTED
    if today > deadline:
        return LATE
    if saved is None:
        return NOT_STARTED
    return READY if saved == READY else DRAFT
