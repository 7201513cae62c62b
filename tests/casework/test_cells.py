"""A cell's text as a typed value, and the casework codes (pure: no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from councilperf.casework.cells import CONVERTERS, BadValue, _choice, _codes
from councilperf.casework.codes import ComplianceResult, Outcome, RecommendationKind, ServiceArea

CASES = CONVERTERS["cases"]
NOT_A_DATE = "not a date: write dates as YYYY-MM-DD (2019-04-01) or DD/MM/YYYY (01/04/2019)"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("", None),
        ("2019-04-01", dt.date(2019, 4, 1)),
        ("01/04/2019", dt.date(2019, 4, 1)),
        ("1/4/2019", dt.date(2019, 4, 1)),
        ("31/03/2020", dt.date(2020, 3, 31)),
        ("2020-02-29", dt.date(2020, 2, 29)),
    ],
)
def test_dates(text, day):
    assert CASES["decision_date"](text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2019-4-1", NOT_A_DATE),
        ("01-04-2019", NOT_A_DATE),
        ("٢٠١٩-٠٤-٠١", NOT_A_DATE),  # Arabic-Indic digits
        ("2019-04-01T00:00", NOT_A_DATE),
        ("2019", NOT_A_DATE),  # too short to be looked at as YYYY-MM-DD
        ("20190401", NOT_A_DATE),  # ISO 8601 without dashes: not accepted here
        ("2019-W01-1", NOT_A_DATE),  # an ISO 8601 week date, ten characters long
        ("2019-04-01\n", NOT_A_DATE),  # a final line break is not part of a date
        ("01/04/2019\n", NOT_A_DATE),
        ("2019-02-29", "there is no such day: check the day and the month"),
        ("31/04/2019", "there is no such day: check the day and the month"),
        ("2019-13-01", "there is no such day: check the day and the month"),
    ],
)
def test_bad_dates(text, message):
    with pytest.raises(BadValue) as raised:
        CASES["decision_date"](text)
    assert str(raised.value) == message


def test_a_required_date():
    assert CASES["received_date"]("2019-04-01") == dt.date(2019, 4, 1)
    with pytest.raises(BadValue, match=r"^is blank; this date is required$"):
        CASES["received_date"]("")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("", False),
        ("false", False),
        ("No", False),
        ("0", False),
        ("TRUE", True),
        ("yes", True),
        ("1", True),
    ],
)
def test_booleans(text, value):
    assert CASES["remedied_by_authority"](text) is value


def test_a_bad_boolean():
    with pytest.raises(BadValue) as raised:
        CASES["remedied_by_authority"]("maybe")
    assert str(raised.value) == "not a yes/no value: write true or false (or yes/no, 1/0)"


@pytest.mark.parametrize(
    ("column", "text", "code"),
    [
        ("outcome", "upheld", "upheld"),
        ("outcome", "Not upheld", "not_upheld"),
        ("outcome", "  NOT   upheld ", "not_upheld"),
        ("outcome", "", ""),
        ("service_area", "Benefits & tax", "benefits_and_tax"),
        ("service_area", "benefits and tax", "benefits_and_tax"),
        ("service_area", "housing", "housing"),
    ],
)
def test_codes_by_code_or_label(column, text, code):
    assert CASES[column](text) == code


def test_a_bad_code_names_the_choices():
    with pytest.raises(BadValue) as raised:
        CASES["outcome"]("partly upheld")
    assert str(raised.value).startswith("not an outcome; use one of: invalid_or_incomplete (")
    with pytest.raises(BadValue, match=r"^not a compliance outcome; use one of: complied"):
        CONVERTERS["compliance"]["outcome"]("nearly")
    with pytest.raises(BadValue, match=r"^not a kind of recommendation; use one of: apology"):
        CONVERTERS["recommendations"]["kind"]("hug")


def test_text_columns():
    assert CASES["authority_code"]("e07000038") == "E07000038"
    assert CASES["summary"]("  as written ") == "  as written "


def test_code_values_labels_and_choices():
    assert ComplianceResult.values == ["complied", "complied_late", "not_complied"]
    assert ComplianceResult.labels == ["Complied", "Complied late", "Not complied"]
    assert ComplianceResult.choices[1] == ("complied_late", "Complied late")
    assert Outcome.UPHELD == "upheld" and Outcome.UPHELD.label == "Upheld"
    assert str(ServiceArea.HOUSING) == "housing"
    assert Outcome("not_upheld") is Outcome.NOT_UPHELD


# The tables and converters are built when the module is imported; these build them again, so
# that what they do is checked (mutation testing swaps functions in only after the import).


def test_a_table_of_codes_maps_each_code_and_label_to_its_code():
    assert _codes(ComplianceResult) == {
        "complied": "complied",
        "complied_late": "complied_late",
        "complied late": "complied_late",
        "not_complied": "not_complied",
        "not complied": "not_complied",
    }
    both = _codes(RecommendationKind, ServiceArea)
    assert (both["add or correct records"], both["benefits and tax"]) == (
        "records_correction",
        "benefits_and_tax",
    )
    # Two keys per code, but one where the label is the code's word: apology, training, other,
    # housing.
    assert len(both) == 2 * (len(RecommendationKind) + len(ServiceArea)) - 4


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("upheld", "upheld"),
        ("Upheld", "upheld"),
        ("not_upheld", "not_upheld"),
        ("  Not \t upheld", "not_upheld"),
        ("incomplete/invalid", "invalid_or_incomplete"),
        ("", ""),
    ],
)
def test_a_converter_of_codes(text, code):
    assert _choice(_codes(Outcome), "not an outcome")(text) == code


@pytest.mark.parametrize("text", ["partly upheld", " ", "upheld!"])
def test_a_converter_of_codes_refuses_anything_else(text):
    convert = _choice(_codes(Outcome), "not an outcome")
    with pytest.raises(BadValue) as raised:
        convert(text)
    assert str(raised.value) == "not an outcome"
