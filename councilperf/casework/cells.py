"""A cell's text as a typed value: dates, yes/no, codes by code or plain-English label.
Pure: no Django, no I/O."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from .codes import ComplianceResult, Outcome, RecommendationKind, ServiceArea
from .rules import NOT_A_COMPLIANCE_OUTCOME, NOT_A_KIND, NOT_A_SERVICE_AREA, NOT_AN_OUTCOME

# Values --------------------------------------------------------------------------------------

# ASCII digits only: "٢٠١٩-٠٤-٠١" (Arabic-Indic) or Devanagari digits are not dates here.
# \Z, not $: "$" would also match before a final line break ("2019-04-01\n").
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})\Z", re.ASCII)
_UK_DATE = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})\Z", re.ASCII)
_BOOLEANS = {
    "": False,
    "false": False,
    "no": False,
    "0": False,
    "true": True,
    "yes": True,
    "1": True,
}


class BadValue(Exception):
    pass


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass  # the checks below say what is wrong
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _UK_DATE.match(text)
        if not match:
            raise BadValue(
                "not a date: write dates as YYYY-MM-DD (2019-04-01) or DD/MM/YYYY (01/04/2019)"
            )
        day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadValue("there is no such day: check the day and the month") from None


def _boolean(text: str) -> bool:
    try:
        return _BOOLEANS[text.lower()]
    except KeyError:
        raise BadValue("not a yes/no value: write true or false (or yes/no, 1/0)") from None


def _words(text: str) -> str:
    return " ".join(text.lower().replace("&", " and ").split())


def _codes(
    *choices: type[Outcome | ServiceArea | RecommendationKind | ComplianceResult],
) -> dict[str, str]:
    """Codes and plain-English labels (any case, "&" or "and") → code."""
    table: dict[str, str] = {}
    for kind in choices:
        for code, label in kind.choices:
            table[_words(code)] = code
            table[_words(str(label))] = code
    return table


_OUTCOMES = _codes(Outcome)
_SERVICE_AREAS = _codes(ServiceArea)
_KINDS = _codes(RecommendationKind)
_COMPLIANCE = _codes(ComplianceResult)


def _choice(table: Mapping[str, str], problem: str) -> Callable[[str], str]:
    def convert(text: str) -> str:
        found = table.get(text)
        if found is None:
            found = table.get(_words(text))
        if found is None:
            if not text:
                return text  # whether it may be blank is for validation to say
            raise BadValue(problem)
        return found

    return convert


def _required_date(text: str) -> dt.date:
    value = _date(text)
    if value is None:
        raise BadValue("is blank; this date is required")
    return value


def text_as_is(text: str) -> str:
    return text


def reference(text: str) -> str:
    """A case reference in its one form, the form compared and stored: compatibility
    characters replaced (NFKC: full-width digits and letters, no-break spaces) and letters
    in capitals (references are case-insensitive: ``ab1`` is ``AB1``). Invisible format
    characters never get here: ``text.bad_character`` refuses them in one-line values."""
    if text.isascii():
        return text.upper()
    return unicodedata.normalize("NFKC", text).strip().upper()


# By file kind (``parsing.Kind``) and column.
CONVERTERS: dict[str, dict[str, Callable[[str], Any]]] = {
    "cases": {
        "reference": reference,
        "authority_code": str.upper,
        "received_date": _required_date,
        "decision_date": _date,
        "service_area": _choice(_SERVICE_AREAS, NOT_A_SERVICE_AREA),
        "outcome": _choice(_OUTCOMES, NOT_AN_OUTCOME),
        "remedied_by_authority": _boolean,
        "public_report_date": _date,
        "summary": text_as_is,
        "statement_url": text_as_is,
    },
    "recommendations": {
        "reference": reference,
        "kind": _choice(_KINDS, NOT_A_KIND),
        "description": text_as_is,
        "due_date": _required_date,
        "service_improvement": _boolean,
    },
    "compliance": {
        "reference": reference,
        "recorded_date": _required_date,
        "outcome": _choice(_COMPLIANCE, NOT_A_COMPLIANCE_OUTCOME),
    },
}
