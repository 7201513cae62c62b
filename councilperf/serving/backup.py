"""Backup and restore of everything that matters: the database and the files as sent.

A backup is a directory:

- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the site runs) or
  ``database.dump`` (``pg_dump --format=custom`` for PostgreSQL);
- ``files/<SETTING>/...``: each directory named by a setting in ``settings.BACKUP_FILE_DIRS``
  (``LETTERS_DIR``: the letters as sent);
- ``manifest.json``: what was backed up, when, from which engine and migrations, and the
  SHA-256 of every file, checked before a restore touches anything.

Derived files (map data, collected static files, the page cache) are rebuilt by the set-up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from councilperf.casework.filerows import sha256
from councilperf.diskspace import DiskFull, new_directory

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    directory: Path
    engine: str
    files: int
    bytes: int


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def file_dirs() -> dict[str, Path]:
    return {name: Path(getattr(settings, name)) for name in sorted(settings.BACKUP_FILE_DIRS)}


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    args = [f"--dbname={db['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{option}={db[key]}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} not found: install postgresql-client") from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from None


def _dump_database(out: Path, vendor: str) -> str:
    if vendor == "sqlite":
        target = out / "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return target.name
    target = out / "database.dump"
    args, env = _pg_args()
    options = ["--format=custom", "--no-owner", "--no-privileges", f"--file={target}"]
    _run(["pg_dump", *options, *args], env)
    return target.name


def _copy_files(out: Path) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for name, source in file_dirs().items():
        if not source.is_dir():
            continue
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            relative = f"files/{name}/{path.relative_to(source).as_posix()}"
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            hashes[relative] = sha256(target)
    return hashes


def migrations() -> dict[str, str]:
    """The latest applied migration of each app."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def backup(*, out: Path) -> Summary:
    """Back up into ``out``, a new or empty directory (a backup is never overwritten). It is
    written into a temporary directory beside ``out`` and renamed at the end: a failed backup
    (a full disk: one sentence naming the path and the free space) leaves nothing."""
    vendor = engine()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"{out} is not empty: back up into a new directory")
    try:
        with new_directory(out, what="backup") as staging:
            files = _write_backup(staging, vendor)
    except DiskFull as full:
        raise BackupError(str(full)) from None
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return Summary(out, vendor, len(files), size)


def _write_backup(out: Path, vendor: str) -> dict[str, str]:
    database = _dump_database(out, vendor)
    files = _copy_files(out)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": vendor,
        "database": {"file": database, "sha256": sha256(out / database)},
        "migrations": migrations(),
        "file_dirs": {k: str(v) for k, v in file_dirs().items()},
        "files": files,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return files


def read_manifest(source: Path) -> dict[str, Any]:
    """The backup's manifest, after checking every file against its hash."""
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} is not a backup: no {MANIFEST}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    expected = {manifest["database"]["file"]: manifest["database"]["sha256"], **manifest["files"]}
    for relative, digest in expected.items():
        path = source / relative
        if not path.is_file():
            raise BackupError(f"the backup is incomplete: {relative} is missing")
        if sha256(path) != digest:
            raise BackupError(f"the backup is damaged: {relative} does not match its hash")
    return manifest


def _load_database(source: Path, manifest: dict[str, Any]) -> None:
    path = source / manifest["database"]["file"]
    if manifest["engine"] == "sqlite":
        connection.ensure_connection()
        original = sqlite3.connect(path)
        try:
            original.backup(connection.connection)
        finally:
            original.close()
        return
    connection.close()  # pg_restore must not wait on this process's locks
    args, env = _pg_args()
    options = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
    _run(["pg_restore", *options, "--exit-on-error", *args, str(path)], env)


def _replace_files(source: Path, manifest: dict[str, Any]) -> int:
    count = 0
    for name, target in file_dirs().items():
        staged = target.with_name(target.name + ".restoring")
        shutil.rmtree(staged, ignore_errors=True)
        staged.mkdir(parents=True)
        prefix = f"files/{name}/"
        for relative in manifest["files"]:
            if relative.startswith(prefix):
                destination = staged / relative.removeprefix(prefix)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / relative, destination)
                count += 1
        shutil.rmtree(target, ignore_errors=True)
        staged.rename(target)
    return count


def restore(*, source: Path) -> Summary:
    """Replace the database and the backed-up directories with the backup in ``source``."""
    vendor = engine()
    manifest = read_manifest(source)
    if manifest["engine"] != vendor:
        raise BackupError(
            f"this is a {manifest['engine']} backup and the database is {vendor}: "
            "restore into the same kind of database"
        )
    _load_database(source, manifest)
    files = _replace_files(source, manifest)
    size = sum(p.stat().st_size for p in source.rglob("*") if p.is_file())
    return Summary(source, vendor, files, size)


def moved_directories(manifest: dict[str, Any]) -> list[str]:
    """Backed-up directories whose path differs here (letter records name their files)."""
    here = {k: str(v) for k, v in file_dirs().items()}
    return [
        f"{name}: backed up from {path}, restored to {here.get(name)}"
        for name, path in manifest.get("file_dirs", {}).items()
        if here.get(name) != path
    ]
