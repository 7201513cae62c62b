"""Uploaded casework files kept between the preview and its confirmation (the admin's
upload and the staff import page).

What was previewed is recorded beside the files (``staged.json``): each file's name and
SHA-256, and the dataset. The confirmation imports exactly that or nothing: a file changed
on disk since, or another dataset named in the confirmation, is refused. The staff page
also keeps the files for a retry after errors (files added or removed one by one: each
change forgets the preview) and records the preview's :attr:`StagedUpload.fingerprint`."""

from __future__ import annotations

import hashlib
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
    owner: str = ""
    previewed: str = ""

    @property
    def fingerprint(self) -> str:
        """One hash of what an import of these files would read: the dataset and each
        file's name and SHA-256, in order."""
        parts = [self.dataset, *(f"{n}\0{h}" for n, h in zip(self.names, self.hashes, strict=True))]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

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


def _write(folder: Path, number: int, upload: UploadedFile) -> tuple[Path, str]:
    name = Path(upload.name or f"file-{number}").name
    suffix = Path(name).suffix.lower()
    # Stored under a number: the uploaded name is only shown, never used as a path.
    path = folder / f"{number}{suffix if _SUFFIX.match(suffix) else '.unknown'}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    path.chmod(0o444)
    return path, name


def _save(staged: StagedUpload) -> StagedUpload:
    manifest = {
        "names": staged.names,
        "dataset": staged.dataset,
        "sha256": staged.hashes,
        "owner": staged.owner,
        "previewed": staged.previewed,
    }
    (_root() / str(staged.token) / MANIFEST).write_text(json.dumps(manifest))
    return staged


def stage(files: Iterable[UploadedFile], *, dataset: str, owner: str = "") -> StagedUpload:
    """Save uploaded files under a new token, with their names (for messages), hashes and the
    dataset they are previewed for. The files are read-only once written."""
    _discard_stale()
    token = uuid.uuid4()
    (_root() / str(token)).mkdir(parents=True)
    return add(StagedUpload(token, [], [], dataset, [], owner), files, dataset=dataset)


def add(staged: StagedUpload, files: Iterable[UploadedFile], *, dataset: str) -> StagedUpload:
    """``staged`` with ``files`` added after its own, for ``dataset``; the preview is
    forgotten (it was of other files)."""
    folder = _root() / str(staged.token)
    numbers = [int(path.stem) for path in staged.paths if path.stem.isdigit()]
    paths, names = list(staged.paths), list(staged.names)
    for number, upload in enumerate(files, start=max(numbers, default=0) + 1):
        path, name = _write(folder, number, upload)
        paths.append(path)
        names.append(name)
    hashes = [*staged.hashes, *(sha256(path) for path in paths[len(staged.hashes) :])]
    return _save(StagedUpload(staged.token, paths, names, dataset, hashes, staged.owner))


def remove(staged: StagedUpload, *, index: int) -> StagedUpload:
    """``staged`` without its file at ``index`` (0-based); the preview is forgotten."""
    if not 0 <= index < len(staged.paths):
        return staged
    staged.paths[index].unlink(missing_ok=True)
    keep = [number for number in range(len(staged.paths)) if number != index]
    return _save(
        StagedUpload(
            staged.token,
            [staged.paths[n] for n in keep],
            [staged.names[n] for n in keep],
            staged.dataset,
            [staged.hashes[n] for n in keep],
            staged.owner,
        )
    )


def mark_previewed(staged: StagedUpload) -> StagedUpload:
    """Record that the dry run of exactly these files for this dataset passed."""
    return _save(
        StagedUpload(
            staged.token,
            staged.paths,
            staged.names,
            staged.dataset,
            staged.hashes,
            staged.owner,
            staged.fingerprint,
        )
    )


def forget_preview(staged: StagedUpload) -> StagedUpload:
    """The same files, no longer counted as previewed (a confirmation must preview again)."""
    return _save(
        StagedUpload(
            staged.token, staged.paths, staged.names, staged.dataset, staged.hashes, staged.owner
        )
    )


def find(token: uuid.UUID) -> StagedUpload | None:
    folder = _root() / str(token)
    if not (folder / MANIFEST).is_file():
        return None
    manifest = json.loads((folder / MANIFEST).read_text())
    paths = sorted(
        (path for path in folder.iterdir() if path.name != MANIFEST),
        key=lambda path: int(path.stem) if path.stem.isdigit() else -1,
    )
    return StagedUpload(
        token,
        paths,
        manifest["names"],
        manifest["dataset"],
        manifest["sha256"],
        manifest.get("owner", ""),
        manifest.get("previewed", ""),
    )
