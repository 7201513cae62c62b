"""One writer at a time: the database-level lock held by a casework import and by every
statistics write for their whole validate-and-write transaction.

``writing(what=..., user=...)`` opens the transaction and takes the lock:

- PostgreSQL: ``pg_advisory_xact_lock`` semantics (tried with ``pg_try_advisory_xact_lock``
  until the wait is over; released when the transaction ends, even if the process is killed).
- SQLite: the transaction starts with ``BEGIN IMMEDIATE`` (the project's transaction mode),
  which takes the database's write lock; it is tried with a short busy timeout until the wait
  is over. Readers keep reading meanwhile (WAL).

A second writer waits up to ``WRITER_WAIT_SECONDS`` (a setting, default 30), then fails with
``WriterBusy``: one sentence saying what holds the lock, since when and started by whom (kept
in ``VAR_DIR/writer.json`` while the lock is held), never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import OperationalError, connection, transaction
from django.utils import timezone

WAIT_SECONDS = 30.0
_KEY = 0x43_50_57_52  # "CPWR": the advisory lock of the one writer
_POLL = 0.05


class WriterBusy(CommandError):
    """Another writer holds the lock; the message says who and since when. A ``CommandError``,
    so every management command that writes ends with that sentence and exit code 1."""


def _holder_file() -> Path:
    return Path(settings.VAR_DIR) / "writer.json"


def _wait_seconds() -> float:
    return float(getattr(settings, "WRITER_WAIT_SECONDS", WAIT_SECONDS))


def busy_message(what: str) -> str:
    """The sentence for a writer that gave up waiting."""
    try:
        holder = json.loads(_holder_file().read_text())
        since = dt.datetime.fromisoformat(holder["since"]).astimezone(
            timezone.get_current_timezone()
        )
        who = f", started by {holder['user']}" if holder.get("user") else ""
        running = (
            f"another writer ({holder['what']}) is running since {since:%H:%M:%S on %d/%m/%Y}"
            f"{who} (process {holder['pid']})"
        )
    except (OSError, ValueError, KeyError, TypeError):
        running = "another writer (an import or a statistics write) is running"
    return f"Cannot start {what}: {running}; try again when it ends."


def _note_holder(what: str, user: str) -> None:
    path = _holder_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    note = {"what": what, "user": user, "since": timezone.now().isoformat(), "pid": os.getpid()}
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(note))
    temporary.replace(path)


def _forget_holder() -> None:
    with contextlib.suppress(OSError, ValueError):
        if json.loads(_holder_file().read_text()).get("pid") == os.getpid():
            _holder_file().unlink()


@contextlib.contextmanager
def writing(*, what: str, user: str = "") -> Iterator[None]:
    """A transaction holding the one writer's lock (nested in a transaction: that one's)."""
    if connection.in_atomic_block:
        # Already inside a transaction (a test case, or a writer calling a writer): the lock,
        # if any, is the outer transaction's to take; on PostgreSQL it is taken again (cheap).
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _advisory_lock(what, time.monotonic() + _wait_seconds())
            yield
        return
    deadline = time.monotonic() + _wait_seconds()
    with _begin(what, deadline):
        if connection.vendor == "postgresql":
            _advisory_lock(what, deadline)
        _note_holder(what, user)
        try:
            yield
        finally:
            _forget_holder()


@contextlib.contextmanager
def _begin(what: str, deadline: float) -> Iterator[None]:
    """``transaction.atomic()``, retried while SQLite's write lock is taken."""
    if connection.vendor != "sqlite":
        with transaction.atomic():
            yield
        return
    while True:
        stack = contextlib.ExitStack()
        try:
            busy_timeout(100)
            stack.enter_context(transaction.atomic())
            break
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise WriterBusy(busy_message(what)) from None
            time.sleep(_POLL)
        finally:
            busy_timeout(None)
    with stack:
        yield


def busy_timeout(milliseconds: int | None) -> None:
    """Set SQLite's busy timeout for this connection (None: back to the configured one)."""
    if milliseconds is None:
        seconds = float(settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 5))
        milliseconds = int(seconds * 1000)
    connection.ensure_connection()
    connection.connection.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")


def _advisory_lock(what: str, deadline: float) -> None:
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_KEY])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise WriterBusy(busy_message(what))
            time.sleep(_POLL)
