"""A full disk said in one sentence, and directories that appear whole or not at all.

Writers of backups, letters and open data turn "no space left on device" into a message
naming the path and the free space (never a traceback), and leave nothing half-written:
they write into a temporary directory or file beside the target and rename it at the end,
removing it on any error.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class DiskFull(Exception):
    """A write ran out of space; the message names the path and the free space."""


def is_full(error: BaseException) -> bool:
    """Whether ``error`` says the disk (or the quota) is full."""
    if isinstance(error, OSError):
        return error.errno in FULL
    if isinstance(error, sqlite3.OperationalError):
        return "disk is full" in str(error)
    return False


def free_space(path: Path) -> int:
    """Bytes free on the file system of ``path`` (or of its nearest existing parent)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return shutil.disk_usage(candidate).free
    return 0


def _size(count: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def sentence(path: Path, what: str) -> str:
    return (
        f"{what}: the disk is full writing {path} ({_size(free_space(path))} free); nothing was "
        "kept: free some space and run it again."
    )


@contextmanager
def full_disk_as(error_type: type[Exception], path: Path, what: str) -> Iterator[None]:
    """Within the block, a full disk raises ``error_type`` with :func:`sentence`."""
    try:
        yield
    except (OSError, sqlite3.OperationalError) as error:
        if not is_full(error):
            raise
        raise error_type(sentence(path, what)) from error


@contextmanager
def new_directory(target: Path, *, what: str, replace: bool = False) -> Iterator[Path]:
    """A temporary directory beside ``target`` to write into; when the block ends it becomes
    ``target`` (with ``replace``, the old ``target`` is removed then, else ``target`` must not
    exist or be empty). On any error it is removed, and a full disk raises :class:`DiskFull`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    )
    staging.chmod(0o755)
    try:
        with full_disk_as(DiskFull, target, what):
            yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if target.exists():
        if replace:
            old = target.rename(target.with_name(f".{target.name}.{staging.name}.old"))
        else:
            target.rmdir()  # empty (checked by the caller): otherwise this refuses
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
