"""Uploaded casework files kept between the admin's preview and its confirmation.

What was previewed is recorded beside the files (``staged.json``): each file's name and
SHA-256, and the dataset. The confirmation imports exactly that or nothing: a file changed
on disk since, or another dataset named in the confirmation, is refused."""

from __future__ import annotations

import json
import re
import shutil
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from .filerows import sha256

_SUFFIX = re.compile(r"^\.[a-z0-9]{1,10}$")


def _root() -> Path:
    return Path(settings.VAR_DIR) / "casework-uploads"


MANIFEST = "staged.json"


@dataclass(frozen=True)
class StagedUpload:
    token: uuid.UUID
    paths: list[Path]
    names: list[str]
    dataset: str
    hashes: list[str]

    def discard(self) -> None:
        shutil.rmtree(_root() / str(self.token), ignore_errors=True)

    def changed(self) -> list[str]:
        """The names of the files that are not, byte for byte, the ones previewed."""
        if len(self.paths) != len(self.hashes):
            return list(self.names)
        return [
            name
            for name, path, digest in zip(self.names, self.paths, self.hashes, strict=True)
            if not path.is_file() or sha256(path) != digest
        ]


# Uploads previewed but never confirmed are removed after this long.
KEEP_SECONDS = 24 * 3600


def _discard_stale() -> None:
    root = _root()
    if not root.is_dir():
        return
    cutoff = time.time() - KEEP_SECONDS
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def stage(files: Iterable[UploadedFile], *, dataset: str) -> StagedUpload:
    """Save uploaded files under a new token, with their names (for messages), hashes and the
    dataset they are previewed for. The files are read-only once written."""
    _discard_stale()
    token = uuid.uuid4()
    folder = _root() / str(token)
    folder.mkdir(parents=True)
    paths, names = [], []
    for number, upload in enumerate(files, start=1):
        name = Path(upload.name or f"file-{number}").name
        suffix = Path(name).suffix.lower()
        # Stored under a number: the uploaded name is only shown, never used as a path.
        path = folder / f"{number}{suffix if _SUFFIX.match(suffix) else '.unknown'}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        path.chmod(0o444)
        paths.append(path)
        names.append(name)
    hashes = [sha256(path) for path in paths]
    manifest = {"names": names, "dataset": dataset, "sha256": hashes}
    (folder / MANIFEST).write_text(json.dumps(manifest))
    return StagedUpload(token, paths, names, dataset, hashes)


def find(token: uuid.UUID) -> StagedUpload | None:
    folder = _root() / str(token)
    if not (folder / MANIFEST).is_file():
        return None
    manifest = json.loads((folder / MANIFEST).read_text())
    paths = sorted(
        (path for path in folder.iterdir() if path.name != MANIFEST),
        key=lambda path: int(path.stem) if path.stem.isdigit() else -1,
    )
    return StagedUpload(token, paths, manifest["names"], manifest["dataset"], manifest["sha256"])
