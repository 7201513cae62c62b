"""What a backup holds and what a restore puts back, file by file: every backed-up directory in
name order (one that does not exist is skipped, not the end), nested files, the manifest's
fields and layout, the latest migration of each app; a restore recreates missing directories,
removes files not in the backup and what an earlier restore left half done."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from councilperf.serving import backup
from councilperf.serving.backup import BackupError
from tests.factories import make_review_year

pytestmark = [
    pytest.mark.django_db(transaction=True),  # SQLite's backup API: no open test transaction
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file's backup"),
]

FILES = {
    "LETTERS_DIR": {
        "2019-20/E1.pdf": b"%PDF one",
        "2019-20/E2.pdf": b"%PDF two!",
        "a/b/c.txt": b"x",
    },
    "SENT_LETTERS_DIR": {"2019-20/E1.eml": b"Subject: letter"},
}


@pytest.fixture
def dirs(settings: Any, tmp_path: Path) -> dict[str, Path]:
    """Three backed-up directories, named out of order; the first in name order is missing."""
    found = {
        "A_MISSING_DIR": tmp_path / "srv" / "missing",
        "LETTERS_DIR": tmp_path / "srv" / "letters",
        "SENT_LETTERS_DIR": tmp_path / "srv" / "sent",
    }
    for name, path in found.items():
        setattr(settings, name, path)
        for relative, data in FILES.get(name, {}).items():
            (path / relative).parent.mkdir(parents=True, exist_ok=True)
            (path / relative).write_bytes(data)
    settings.BACKUP_FILE_DIRS = ["SENT_LETTERS_DIR", "LETTERS_DIR", "A_MISSING_DIR"]
    make_review_year(year="2019-20")
    return found


def manifest(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / backup.MANIFEST).read_text(encoding="utf-8")))


def test_every_directory_is_backed_up_in_name_order(dirs: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "backup"
    summary = backup.backup(out=out)
    expected = [
        f"files/{name}/{relative}" for name in sorted(FILES) for relative in sorted(FILES[name])
    ]
    found = manifest(out)
    assert list(found["files"]) == expected
    for relative in expected:
        name, _, inner = relative.removeprefix("files/").partition("/")
        data = FILES[name][inner]
        assert (out / relative).read_bytes() == data
        assert found["files"][relative] == hashlib.sha256(data).hexdigest()
    assert found["file_dirs"] == {name: str(path) for name, path in dirs.items()}
    assert list(found["file_dirs"]) == sorted(dirs)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert (summary.directory, summary.engine, summary.files, summary.bytes) == (
        out,
        "sqlite",
        4,
        size,
    )


def test_the_manifest_is_readable_text_with_when_and_which_migrations(
    dirs: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "backup"
    backup.backup(out=out)
    text = (out / backup.MANIFEST).read_text(encoding="utf-8")
    assert text.startswith('{\n "format": 1,\n "created": "') and text.endswith("}\n")
    found = manifest(out)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", found["created"])
    latest = dict(MigrationLoader(connection).graph.leaf_nodes())
    assert found["migrations"] == dict(sorted(latest.items()))
    assert list(found["migrations"]) == sorted(latest)
    assert found["migrations"]["contenttypes"] == "0002_remove_content_type_name"


def test_a_backup_goes_into_an_empty_directory_but_never_over_a_file(
    dirs: dict[str, Path], tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert backup.backup(out=empty).files == 4 and (empty / backup.MANIFEST).is_file()
    plain = tmp_path / "a-file"
    plain.write_text("not a directory")
    with pytest.raises(BackupError, match=f"^{re.escape(str(plain))} is not empty: back up into"):
        backup.backup(out=plain)
    assert plain.read_text() == "not a directory"


def test_a_restore_recreates_the_directories_and_drops_what_is_not_in_the_backup(
    dirs: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "backup"
    backup.backup(out=out)
    (dirs["LETTERS_DIR"] / "2019-20" / "E3.pdf").write_bytes(b"made after the backup")
    leftover = dirs["SENT_LETTERS_DIR"].with_name("sent.restoring")  # an interrupted restore
    (leftover / "2019-20").mkdir(parents=True)
    (leftover / "2019-20" / "half.eml").write_bytes(b"half")
    summary = backup.restore(source=out)
    assert summary.files == 4 and summary.directory == out
    for name, files in FILES.items():
        found = {
            p.relative_to(dirs[name]).as_posix(): p.read_bytes()
            for p in dirs[name].rglob("*")
            if p.is_file()
        }
        assert found == files
    assert dirs["A_MISSING_DIR"].is_dir() and not any(dirs["A_MISSING_DIR"].iterdir())
    assert not leftover.exists()


def test_a_restore_into_a_machine_without_the_directories(
    dirs: dict[str, Path], tmp_path: Path, settings: Any
) -> None:
    out = tmp_path / "backup"
    backup.backup(out=out)
    elsewhere = tmp_path / "new" / "home"
    for name in dirs:
        setattr(settings, name, elsewhere / name.lower())
    assert not elsewhere.exists()
    assert backup.restore(source=out).files == 4
    assert (elsewhere / "letters_dir" / "a" / "b" / "c.txt").read_bytes() == b"x"
    assert backup.moved_directories(manifest(out)) == [
        f"{name}: backed up from {dirs[name]}, restored to {elsewhere / name.lower()}"
        for name in sorted(dirs)
    ]


@pytest.fixture
def no_connection() -> Iterator[None]:
    """Django's connection not yet opened (as in a fresh ``manage.py backup``); the test
    database in memory lives on in the connection set aside."""
    kept = connection.connection
    connection.connection = None
    try:
        yield
    finally:
        if connection.connection is not None and connection.connection is not kept:
            connection.connection.close()
        connection.connection = kept


def test_a_backup_and_a_restore_open_the_connection_first(
    dirs: dict[str, Path], tmp_path: Path, no_connection: None
) -> None:
    out = tmp_path / "backup"
    assert backup.backup(out=out).files == 4
    connection.connection.close()
    connection.connection = None
    assert backup.restore(source=out).files == 4


def test_the_latest_migration_is_the_highest_name_whatever_the_order_applied(
    dirs: dict[str, Path],
) -> None:
    recorder = MigrationRecorder(connection)
    latest = backup.migrations()["statistics"]
    recorder.record_applied("statistics", "0000_applied_last")  # as after a merge
    try:
        assert backup.migrations()["statistics"] == latest
    finally:
        recorder.record_unapplied("statistics", "0000_applied_last")
