"""References that look the same are the same case: normalised (NFKC, capitals) before they
are compared or stored, and invisible format characters refused with their row and column."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from councilperf.casework.models import Case, Recommendation
from councilperf.casework.parsing import Kind
from councilperf.casework.problems import CaseworkValidationError, Problem
from councilperf.casework.services import import_files
from councilperf.text import bad_character
from tests.casework.builders import TODAY
from tests.casework.files import rows, write_csv

pytestmark = pytest.mark.django_db

C, R = Kind.CASES, Kind.RECOMMENDATIONS


def problems(tmp_path, dataset, *references: str) -> list[Problem]:
    path = write_csv(tmp_path / "cases.csv", rows(C, *({"reference": r} for r in references)))
    with pytest.raises(CaseworkValidationError) as raised:
        import_files(paths=[path], dataset=dataset, today=TODAY)
    assert not Case.objects.exists()
    return raised.value.errors


@pytest.mark.parametrize(
    ("hidden", "words"),
    [
        ("\u200b", "U+200B, zero width space"),
        ("\u200e", "U+200E, left-to-right mark"),
        ("\ufeff", "U+FEFF, zero width no-break space"),
        ("\u00ad", "U+00AD, soft hyphen"),
    ],
)
def test_an_invisible_character_in_a_reference_is_refused_at_its_row_and_column(
    tmp_path, dataset, borsetshire, hidden: str, words: str
) -> None:
    (problem,) = problems(tmp_path, dataset, "19 100 001", f"19 1{hidden}00 002")
    assert (problem.file, problem.row, problem.column) == ("cases.csv", 3, "reference")
    assert f"holds an invisible format character ({words}) at character 5" in problem.message


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("19 100 001", "\uff11\uff19 \uff11\uff10\uff10 \uff10\uff10\uff11"),  # full-width
        ("AB1", "ab1"),
        ("19 100 001", "19\u00a0100\u00a0001"),  # no-break spaces
    ],
)
def test_two_references_that_become_equal_are_refused_as_a_repeat(
    tmp_path, dataset, borsetshire, first: str, second: str
) -> None:
    (problem,) = problems(tmp_path, dataset, first, second)
    assert (problem.row, problem.column) == (3, "reference")
    assert problem.message == "this reference appears more than once (also cases.csv, row 2)"


def test_references_are_stored_in_their_one_form_and_matched_in_it(
    tmp_path, dataset, borsetshire
) -> None:
    cases = write_csv(tmp_path / "cases.csv", rows(C, {"reference": "ab\uff11"}))
    import_files(paths=[cases], dataset=dataset, today=TODAY)
    assert list(Case.objects.values_list("reference", flat=True)) == ["AB1"]
    # A later file naming the case in another form finds it (no second case).
    again = write_csv(tmp_path / "again.csv", rows(C, {"reference": "Ab1"}))
    recommendations = write_csv(tmp_path / "recs.csv", rows(R, {"reference": "aB1"}))
    summary = import_files(paths=[again, recommendations], dataset=dataset, today=TODAY)
    assert (summary.cases.added, summary.recommendations.added) == (0, 1)
    assert Case.objects.count() == 1 and Recommendation.objects.get().case.reference == "AB1"


def test_every_format_character_is_refused_in_a_one_line_value_only() -> None:
    formats = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert formats
    for character in formats:
        assert bad_character(f"19{character}1") is not None, f"U+{ord(character):04X}"
    assert bad_character("A family 👨\u200d👩\u200d👧", free_text=True) is None
