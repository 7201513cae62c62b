"""What a restore checks before it touches anything: the manifest is there and of a known
format, every file (the database first) is present and matches its hash, and the backup is of
the same database engine; backups are made only of SQLite or PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from councilperf.serving import backup
from councilperf.serving.backup import BackupError
from councilperf.statistics.models import ReviewYear
from tests.factories import make_review_year

pytestmark = [
    pytest.mark.django_db(transaction=True),  # SQLite's backup API: no open test transaction
    # These checks read and damage the SQLite file itself; PostgreSQL's pg_dump and pg_restore
    # commands are checked in test_backup_commands.py.
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file's checks"),
]


@pytest.fixture
def made(settings: Any, tmp_path: Path) -> Path:
    """A backup of one review year and one letter file; then a second year, not backed up."""
    settings.LETTERS_DIR = tmp_path / "letters"
    settings.BACKUP_FILE_DIRS = ["LETTERS_DIR"]
    (tmp_path / "letters" / "2019-20").mkdir(parents=True)
    (tmp_path / "letters" / "2019-20" / "E07000038.pdf").write_bytes(b"%PDF letter")
    make_review_year(year="2019-20")
    out = tmp_path / "backup"
    summary = backup.backup(out=out)
    assert (summary.engine, summary.files) == ("sqlite", 1)
    make_review_year(year="2020-21")
    return out


def manifest(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / backup.MANIFEST).read_text()))


def rewrite(out: Path, **changes: Any) -> None:
    (out / backup.MANIFEST).write_text(json.dumps({**manifest(out), **changes}))


def refused(out: Path, message: str) -> None:
    with pytest.raises(BackupError, match=message):
        backup.restore(source=out)
    assert set(ReviewYear.objects.values_list("year", flat=True)) == {"2019-20", "2020-21"}


def test_the_manifest_names_the_engine_the_database_and_its_hash(made: Path) -> None:
    found = manifest(made)
    assert found["engine"] == "sqlite" and found["format"] == backup.FORMAT
    assert found["database"]["file"] == "database.sqlite3"
    assert found["database"]["sha256"] == backup.sha256(made / "database.sqlite3")
    assert list(found["files"]) == ["files/LETTERS_DIR/2019-20/E07000038.pdf"]


def test_a_damaged_database_file_is_refused_before_anything_changes(made: Path) -> None:
    database = made / "database.sqlite3"
    data = bytearray(database.read_bytes())
    data[-1] ^= 0xFF  # one byte of the last page
    database.write_bytes(bytes(data))
    refused(made, "the backup is damaged: database.sqlite3 does not match its hash")


def test_a_missing_database_or_file_is_refused(made: Path) -> None:
    (made / "files" / "LETTERS_DIR" / "2019-20" / "E07000038.pdf").unlink()
    refused(made, "incomplete: files/LETTERS_DIR/2019-20/E07000038.pdf is missing")
    (made / "database.sqlite3").unlink()
    refused(made, "incomplete: database.sqlite3 is missing")


def test_a_backup_of_another_engine_is_refused(made: Path) -> None:
    rewrite(made, engine="postgresql")
    refused(
        made, "this is a postgresql backup and the database is sqlite: restore into the same kind"
    )


def test_no_manifest_or_an_unknown_format_is_refused(made: Path) -> None:
    rewrite(made, format=backup.FORMAT + 1)
    refused(made, f"unknown backup format {backup.FORMAT + 1}")
    (made / backup.MANIFEST).unlink()
    refused(made, "is not a backup: no manifest.json")


def test_a_sound_backup_restores_the_database_and_the_files(made: Path, settings: Any) -> None:
    letter = Path(settings.LETTERS_DIR) / "2019-20" / "E07000038.pdf"
    letter.write_bytes(b"changed since")
    summary = backup.restore(source=made)
    assert summary.files == 1 and letter.read_bytes() == b"%PDF letter"
    size = sum(p.stat().st_size for p in made.rglob("*") if p.is_file())
    assert (summary.directory, summary.engine, summary.bytes) == (made, "sqlite", size)
    assert list(ReviewYear.objects.values_list("year", flat=True)) == ["2019-20"]


def test_only_sqlite_and_postgresql_are_backed_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert backup.engine() == "sqlite"
    monkeypatch.setattr(connection, "vendor", "mysql")
    with pytest.raises(BackupError, match="backups support SQLite and PostgreSQL, not mysql"):
        backup.backup(out=tmp_path / "backup")
    assert not (tmp_path / "backup").exists()
