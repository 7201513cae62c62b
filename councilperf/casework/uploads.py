"""Uploaded casework files kept between the admin's preview and its confirmation."""

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

_SUFFIX = re.compile(r"^\.[a-z0-9]{1,10}$")


def _root() -> Path:
    return Path(settings.VAR_DIR) / "casework-uploads"


@dataclass(frozen=True)
class StagedUpload:
    token: uuid.UUID
    paths: list[Path]
    names: list[str]

    def discard(self) -> None:
        shutil.rmtree(_root() / str(self.token), ignore_errors=True)


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


def stage(files: Iterable[UploadedFile]) -> StagedUpload:
    """Save uploaded files under a new token; their names are kept for messages."""
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
        paths.append(path)
        names.append(name)
    (folder / "names.json").write_text(json.dumps(names))
    return StagedUpload(token, paths, names)


def find(token: uuid.UUID) -> StagedUpload | None:
    folder = _root() / str(token)
    if not (folder / "names.json").is_file():
        return None
    names = json.loads((folder / "names.json").read_text())
    paths = sorted(
        (path for path in folder.iterdir() if path.name != "names.json"),
        key=lambda path: int(path.stem),
    )
    return StagedUpload(token, paths, names)
