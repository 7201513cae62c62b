"""The hostile-file suite: files made to hurt the importer (hidden characters, foreign digits,
a NUL late in the file, a zip bomb, ten million rows, a 2 GB line, a file over the size limit).
Each is refused, naming its file (and its row and column where a value is at fault), in
bounded memory (no wall-clock limit here: on a shared machine a timer fails under load), and
the database is unchanged: a fingerprint of the casework tables' row counts and content hashes
is the same before and after, for the dry run and the real one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from councilperf.casework.models import Case, ComplianceOutcome, ImportRun, Recommendation
from councilperf.casework.parsing import Kind
from councilperf.casework.problems import CaseworkValidationError, Problem
from councilperf.casework.services import import_files, import_records
from tests.casework.builders import TODAY, case, compliance, recommendation
from tests.casework.files import CODE, DEFAULTS, csv_text, rows, write_csv, write_xlsx
from tests.casework.hostile import long_line_csv, many_rows_csv, sparse_csv, zip_bomb_xlsx

pytestmark = pytest.mark.django_db

C, R, K = Kind.CASES, Kind.RECOMMENDATIONS, Kind.COMPLIANCE
PEAK_BYTES = 64 * 1024**2


def fingerprint() -> dict[str, tuple[int, str]]:
    """Each casework table's row count and a hash of its whole content."""
    out = {}
    for model in (Case, Recommendation, ComplianceOutcome, ImportRun):
        values = sorted(map(repr, model.objects.values_list()))
        out[model.__name__] = (len(values), hashlib.sha256("\n".join(values).encode()).hexdigest())
    return out


@pytest.fixture
def stored(borsetshire, dataset):
    import_records(
        cases=[case("19 000 001", CODE), case("19 000 002", CODE, outcome="not_upheld")],
        recommendations=[recommendation("19 000 001")],
        compliance=[compliance("19 000 001")],
        dataset=dataset,
        today=TODAY,
    )
    before = fingerprint()
    assert before["Case"][0] == 2
    return before


def refused(path: Path, dataset: Any, stored: Any, *, dry_runs: tuple[bool, ...] = (True, False)):
    """The problems of importing ``path`` (a dry run, then for real)."""
    errors: list[Problem] = []
    for dry_run in dry_runs:
        with pytest.raises(CaseworkValidationError) as raised:
            import_files(paths=[path], dataset=dataset, today=TODAY, dry_run=dry_run)
        assert fingerprint() == stored, "a refused import changed the database"
        errors = raised.value.errors
        assert errors and all(error.file == path.name for error in errors)
    return errors


BAD = [
    ("nul", "\x00", "a NUL byte"),
    ("bell", "\x07", "a bell character"),
    ("backspace", "\x08", "U+0008"),
    ("ansi-escape", "\x1b[31m", "an escape character"),
    ("vertical-tab", "\x0b", "U+000B"),
    ("form-feed", "\x0c", "U+000C"),
    ("shift-out", "\x0e", "U+000E"),
    ("unit-separator", "\x1f", "U+001F"),
    ("delete", "\x7f", "U+007F"),
    ("c1-next-line", "\x85", "U+0085"),
    ("c1-csi", "\x9b", "U+009B"),
    ("bidi-lre", "\u202a", "U+202A"),
    ("bidi-rle", "\u202b", "U+202B"),
    ("bidi-pdf", "\u202c", "U+202C"),
    ("bidi-lro", "\u202d", "U+202D"),
    ("bidi-rlo", "\u202e", "right-to-left override"),
    ("bidi-lri", "\u2066", "U+2066"),
    ("bidi-rli", "\u2067", "U+2067"),
    ("bidi-fsi", "\u2068", "U+2068"),
    ("bidi-pdi", "\u2069", "U+2069"),
    ("non-character", "\uffff", "a non-character"),
]
# Where each bad character goes in a one-line field (rotating over the kinds and columns).
ONE_LINE = [
    (C, "reference"),
    (C, "authority_code"),
    (C, "statement_url"),
    (C, "outcome"),
    (R, "reference"),
    (R, "kind"),
    (K, "reference"),
]
FREE_TEXT = [(C, "summary"), (R, "description")]


def _with(kind: Kind, column: str, inserted: str) -> dict[str, str]:
    value = DEFAULTS[kind][column]
    return {column: value[:3] + inserted + value[3:]}


def _character_cases() -> list[Any]:
    out = []
    for number, (name, inserted, words) in enumerate(BAD):
        for place, fields in (("one-line", ONE_LINE), ("free-text", FREE_TEXT)):
            kind, column = fields[number % len(fields)]
            out.append(pytest.param(kind, column, inserted, words, id=f"{name}-{place}-{column}"))
    for name, inserted in (("tab", "\t"), ("line-break", "\n"), ("carriage-return", "\r")):
        for kind, column in ((C, "reference"), (C, "authority_code")):
            out.append(
                pytest.param(kind, column, inserted, name.replace("-", " "), id=f"{name}-{column}")
            )
    return out


@pytest.mark.parametrize(("kind", "column", "inserted", "words"), _character_cases())
def test_a_hidden_character_is_refused_at_its_cell(
    tmp_path, dataset, stored, kind, column, inserted, words
):
    path = write_csv(tmp_path / f"{kind}.csv", rows(kind, _with(kind, column, inserted)))
    errors = refused(path, dataset, stored)
    found = [e for e in errors if e.column == column]
    assert len(found) == 1, [str(e) for e in errors]
    assert found[0].row == 2 and words in found[0].message


def _digits(text: str, zero: str) -> str:
    return "".join(chr(ord(zero) + int(c)) if c.isdigit() else c for c in text)


FOREIGN_DIGITS = [
    pytest.param(C, "received_date", _digits("2019-05-01", "\u0660"), id="arabic-indic-iso"),
    pytest.param(C, "decision_date", _digits("01/09/2019", "\u0660"), id="arabic-indic-uk"),
    pytest.param(C, "received_date", _digits("2019-05-01", "\u06f0"), id="persian-iso"),
    pytest.param(C, "received_date", _digits("2019-05-01", "\u0966"), id="devanagari-iso"),
    pytest.param(R, "due_date", _digits("01/10/2019", "\u09e6"), id="bengali-uk"),
    pytest.param(K, "recorded_date", _digits("2019-11-01", "\uff10"), id="fullwidth-iso"),
    pytest.param(C, "remedied_by_authority", "\u0661", id="arabic-indic-one-as-yes"),
]


@pytest.mark.parametrize(("kind", "column", "value"), FOREIGN_DIGITS)
def test_dates_and_numbers_take_ascii_digits_only(tmp_path, dataset, stored, kind, column, value):
    path = write_csv(tmp_path / f"{kind}.csv", rows(kind, {column: value}))
    found = [e for e in refused(path, dataset, stored) if e.column == column]
    assert len(found) == 1 and found[0].row == 2 and found[0].value == value


def test_a_nul_late_in_the_file_is_refused_at_its_row(tmp_path, dataset, stored):
    changes = [{"reference": f"19 200 {n:03}"} for n in range(150)]
    changes[120]["summary"] = "Late in the file\x00, after the first 4 KB."
    path = write_csv(tmp_path / "cases.csv", rows(C, *changes))
    assert path.read_bytes().index(b"\x00") > 4096
    (error,) = refused(path, dataset, stored)
    assert (error.row, error.column) == (122, "summary") and "NUL" in error.message


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        pytest.param(b"\xed\xa0\x80", "byte 0xED", id="utf8-encoded-surrogate"),
        pytest.param(b"\xc0\xaf", "byte 0xC0", id="overlong-utf8"),
        pytest.param(b"\xff", "byte 0xFF", id="stray-byte"),
    ],
)
def test_bytes_that_are_not_utf8_are_refused_at_their_line(tmp_path, dataset, stored, raw, words):
    text = csv_text(rows(C, {}, {"reference": "19 100 002", "summary": "SUMMARY"}))
    path = tmp_path / "cases.csv"
    path.write_bytes(text.encode().replace(b"SUMMARY", b"bad " + raw + b" byte"))
    (error,) = refused(path, dataset, stored)
    assert "line 3 is not UTF-8" in error.message and words in error.message


XLSX_VALUES = [
    pytest.param("reference", "19\u202e100 001", "U+202E", id="xlsx-bidi-reference"),
    pytest.param("summary", "A summary\x85 with a C1 control", "U+0085", id="xlsx-c1-summary"),
    pytest.param("summary", "Two\u2066isolates\u2069", "U+2066", id="xlsx-isolate-summary"),
    pytest.param("received_date", _digits("2019-05-01", "\u0660"), "not a date", id="xlsx-digits"),
    pytest.param("authority_code", "E07\u202d999001", "U+202D", id="xlsx-bidi-code"),
]


@pytest.mark.parametrize(("column", "value", "words"), XLSX_VALUES)
def test_hostile_values_in_a_workbook_are_refused_at_their_cell(
    tmp_path, dataset, stored, column, value, words
):
    path = write_xlsx(tmp_path / "cases.xlsx", rows(C, {column: value}))
    found = [e for e in refused(path, dataset, stored) if e.column == column]
    assert len(found) == 1 and found[0].row == 2 and words in found[0].message


def _bounded(path: Path, dataset: Any, stored: Any) -> Problem:
    """The one problem of a huge file, refused within a second or so and a few MB."""
    tracemalloc.start()
    try:
        (error,) = refused(path, dataset, stored, dry_runs=(False,))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES, f"{peak:,} bytes"
    return error


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path, dataset, stored):
    path = zip_bomb_xlsx(tmp_path / "cases.xlsx")
    assert path.stat().st_size < 5_000_000
    error = _bounded(path, dataset, stored)
    assert "unzipped, the workbook holds 1,499,4" in error.message
    assert "CASEWORK_MAX_EXPANDED_BYTES" in error.message


def test_the_expanded_size_limit_is_a_setting(tmp_path, dataset, stored, settings):
    settings.CASEWORK_MAX_EXPANDED_BYTES = 20_000_000
    path = zip_bomb_xlsx(tmp_path / "cases.xlsx", expanded=50_000_000)
    assert "more than the limit of 20,000,000" in _bounded(path, dataset, stored).message


def test_a_file_over_the_size_limit_is_not_read(tmp_path, dataset, stored):
    head = csv_text(rows(C, {})).encode()
    path = sparse_csv(tmp_path / "cases.csv", head=head, size=5 * 1024**3)
    assert "the file holds 5,368,709,120 bytes" in _bounded(path, dataset, stored).message


def test_a_2_gb_line_stops_the_reading(tmp_path, dataset, stored):
    path = long_line_csv(tmp_path / "cases.csv")
    error = _bounded(path, dataset, stored)
    assert "line 2 is longer than 1,000,000 bytes" in error.message


def test_ten_million_rows_stop_at_the_row_limit(tmp_path, dataset, stored, settings):
    settings.CASEWORK_MAX_ROWS = 100_000
    path = many_rows_csv(tmp_path / "cases.csv")
    assert path.stat().st_size > 20_000_000
    error = _bounded(path, dataset, stored)
    assert error.row == 100_001 and "more than 100,000 rows" in error.message


def test_a_workbook_over_the_row_limit_stops(tmp_path, dataset, stored, settings):
    settings.CASEWORK_MAX_ROWS = 50
    changes = [{"reference": f"19 300 {n:03}"} for n in range(60)]
    path = write_xlsx(tmp_path / "cases.xlsx", rows(C, *changes))
    error = _bounded(path, dataset, stored)
    assert error.row == 51 and "CASEWORK_MAX_ROWS" in error.message


def test_a_damaged_workbook_is_refused_without_a_traceback(tmp_path, dataset, stored):
    path = write_xlsx(tmp_path / "cases.xlsx", rows(C, {"summary": "a non-character \uffff"}))
    (error,) = refused(path, dataset, stored)
    assert "this workbook is damaged" in error.message


def test_tabs_and_line_breaks_stay_allowed_in_free_text(tmp_path, dataset, stored):
    summary = "First line\n\tindented second line"
    path = write_csv(tmp_path / "cases.csv", rows(C, {"summary": summary}))
    import_files(paths=[path], dataset=dataset, today=TODAY)
    assert Case.objects.get(reference="19 100 001").summary == summary


def test_received_dates_in_ascii_still_read(tmp_path, dataset, stored):
    path = write_csv(tmp_path / "cases.csv", rows(C, {"received_date": "02/05/2019"}))
    import_files(paths=[path], dataset=dataset, today=TODAY)
    assert Case.objects.get(reference="19 100 001").received_date == dt.date(2019, 5, 2)
