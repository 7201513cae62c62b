"""The PostgreSQL side of backups, without a PostgreSQL server: the exact pg_dump and
pg_restore commands (the connection settings as arguments, the password only in the
environment), their failures as one sentence, and the directories a restore says moved."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from councilperf.serving import backup
from councilperf.serving.backup import BackupError

CONNECTION = {"NAME": "cp", "HOST": "db.example", "PORT": "5433", "USER": "app"}


@pytest.fixture
def postgres(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], dict[str, Any]]]:
    """settings.DATABASES names a PostgreSQL server; subprocess.run records its commands."""
    for key, value in {**CONNECTION, "PASSWORD": "secret"}.items():
        monkeypatch.setitem(settings.DATABASES["default"], key, value)
    calls: list[tuple[list[str], dict[str, Any]]] = []

    def run(command: list[str], **options: Any) -> None:
        calls.append((command, options))

    monkeypatch.setattr(subprocess, "run", run)
    return calls


ARGS = ["--dbname=cp", "--host=db.example", "--port=5433", "--username=app"]


def test_the_connection_settings_are_arguments_and_the_password_the_environment(
    postgres: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGAPPNAME", "councilperf")
    args, env = backup._pg_args()
    assert args == ARGS
    assert env["PGPASSWORD"] == "secret" and env["PGAPPNAME"] == "councilperf"
    for key in ("HOST", "PORT", "USER", "PASSWORD"):
        monkeypatch.setitem(settings.DATABASES["default"], key, "")
    args, env = backup._pg_args()
    assert args == ["--dbname=cp"] and "PGPASSWORD" not in env


def test_pg_dump_writes_the_custom_format_without_owners(postgres: list[Any], tmp_path) -> None:
    assert backup._dump_database(tmp_path, "postgresql") == "database.dump"
    ((command, options),) = postgres
    assert command == [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--file={tmp_path / 'database.dump'}",
        *ARGS,
    ]
    assert options["check"] is True and options["capture_output"] is True
    assert options["text"] is True and options["env"]["PGPASSWORD"] == "secret"


def test_pg_restore_replaces_everything_in_one_transaction(postgres: list[Any], tmp_path) -> None:
    manifest = {"engine": "postgresql", "database": {"file": "database.dump"}}
    backup._load_database(tmp_path, manifest)
    ((command, options),) = postgres
    assert command == [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        *ARGS,
        str(tmp_path / "database.dump"),
    ]
    assert options["env"]["PGPASSWORD"] == "secret" and options["check"] is True


def test_a_missing_or_failing_client_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(command: list[str], **options: Any) -> None:
        raise FileNotFoundError(command[0])

    monkeypatch.setattr(subprocess, "run", missing)
    with pytest.raises(BackupError, match=r"^pg_dump not found: install postgresql-client$"):
        backup._run(["pg_dump", "--help"], {})

    def failing(command: list[str], **options: Any) -> None:
        raise subprocess.CalledProcessError(1, command, stderr="  no such database\n")

    monkeypatch.setattr(subprocess, "run", failing)
    with pytest.raises(BackupError, match=r"^pg_restore failed: no such database$"):
        backup._run(["pg_restore"], {})


def test_moved_directories_are_named(settings: Any, tmp_path: Path) -> None:
    settings.BACKUP_FILE_DIRS = ["LETTERS_DIR"]
    settings.LETTERS_DIR = tmp_path / "letters"
    here = str(tmp_path / "letters")
    moved = {"file_dirs": {"LETTERS_DIR": "/srv/old/letters"}}
    assert backup.moved_directories(moved) == [
        f"LETTERS_DIR: backed up from /srv/old/letters, restored to {here}"
    ]
    assert backup.moved_directories({"file_dirs": {"LETTERS_DIR": here}}) == []
    assert backup.moved_directories({}) == []


def test_postgresql_is_an_engine_backed_up(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import connection

    monkeypatch.setattr(connection, "vendor", "postgresql")
    assert backup.engine() == "postgresql"
