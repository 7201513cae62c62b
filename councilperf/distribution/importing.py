"""Importing casework from the staff pages: datasets made explicitly, files staged on the
server between tries, a dry run to preview, and a confirmation that imports exactly what
was previewed (the files' hashes and the dataset recorded at the preview) or nothing.

The files are staged with :mod:`casework.uploads`, the import is :func:`casework.services.
import_files` (the admin's upload and the ``import_casework`` command call it too). The
confirmation runs in the web request: a background job (``jobs``) needs a review year
today, which an import has not.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from councilperf.casework import services as casework_services
from councilperf.casework import uploads
from councilperf.casework.models import Dataset
from councilperf.casework.problems import CaseworkValidationError
from councilperf.casework.services import ImportSummary, dataset_for, import_files
from councilperf.distribution import roles
from councilperf.writelock import WriterBusy

ACTION = "import_casework"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_LENGTH = 40
TITLE_LENGTH = 200


class ImportRefused(Exception):
    """The step cannot be done as asked (the message says why, for the page)."""


@dataclass(frozen=True, slots=True)
class Checked:
    """A preview: the staged files and either what the import would do or its problems."""

    staged: uploads.StagedUpload
    summary: ImportSummary | None = None
    error: CaseworkValidationError | None = None


def datasets() -> list[Dataset]:
    """The datasets an import may name (only existing ones: new ones are added first)."""
    return list(Dataset.objects.order_by("name", "slug"))


def add_dataset(*, slug: str, title: str, user: Any) -> Dataset:
    """A new dataset: ``slug`` lower-case letters, digits and single hyphens; a title."""
    roles.require(user, ACTION)
    slug, title = slug.strip(), " ".join(title.split())
    if not slug or len(slug) > SLUG_LENGTH or not SLUG.match(slug):
        raise ImportRefused(
            f"Enter a slug of at most {SLUG_LENGTH} lower-case letters, digits and single "
            "hyphens, like “ombudsman-2025”"
        )
    if not title or len(title) > TITLE_LENGTH:
        raise ImportRefused(f"Enter a title of at most {TITLE_LENGTH} characters")
    try:
        return casework_services.add_dataset(slug=slug, name=title)
    except casework_services.DatasetExists as error:
        raise ImportRefused(f"A dataset with the slug “{slug}” already exists") from error


def staged_for(*, token: uuid.UUID | None, user: Any) -> uploads.StagedUpload | None:
    """The user's staged files under ``token`` (None: none, expired, or someone else's)."""
    if token is None:
        return None
    staged = uploads.find(token)
    if staged is None or staged.owner != user.get_username():
        return None
    return staged


def check_files(
    *,
    user: Any,
    dataset: str,
    files: Sequence[UploadedFile],
    token: uuid.UUID | None = None,
) -> Checked:
    """Stage ``files`` (beside those already staged under ``token``) for ``dataset`` and
    preview their import (a dry run). Passed: the preview is recorded for the confirmation."""
    roles.require(user, ACTION)
    found = Dataset.objects.filter(slug=dataset).first()
    staged = staged_for(token=token, user=user)
    if staged is None:
        staged = uploads.stage(files, dataset=dataset, owner=user.get_username())
    else:
        staged = uploads.add(staged, files, dataset=dataset)
    if found is None:
        raise ImportRefused("Choose a dataset from the list (add a new one first)")
    if not staged.paths:
        raise ImportRefused("Choose one or more casework files (CSV or XLSX)")
    try:
        summary = import_files(paths=staged.paths, names=staged.names, dataset=found, dry_run=True)
    except CaseworkValidationError as error:
        return Checked(staged=staged, error=error)
    return Checked(staged=uploads.mark_previewed(staged), summary=summary)


def keep_files(
    *, user: Any, files: Sequence[UploadedFile], token: uuid.UUID | None = None
) -> uploads.StagedUpload | None:
    """Stage ``files`` (beside those under ``token``) without checking them: a form sent
    back with an error keeps the files chosen for the retry."""
    roles.require(user, ACTION)
    staged = staged_for(token=token, user=user)
    if not files:
        return staged
    if staged is None:
        return uploads.stage(files, dataset="", owner=user.get_username())
    return uploads.add(staged, files, dataset=staged.dataset)


def remove_file(*, user: Any, token: uuid.UUID, index: int) -> uploads.StagedUpload | None:
    """The staged files without the one at ``index``; the preview is forgotten."""
    roles.require(user, ACTION)
    staged = staged_for(token=token, user=user)
    return None if staged is None else uploads.remove(staged, index=index)


def not_as_previewed(staged: uploads.StagedUpload, *, dataset: str, fingerprint: str) -> str:
    """Why a confirmation is not of what was previewed ("" when it is)."""
    if dataset != staged.dataset:
        return f"The preview was for the dataset “{staged.dataset}”, not “{dataset}”."
    changed = staged.changed()
    if changed:
        return f"Changed since the preview: {', '.join(changed)}."
    if not staged.previewed or staged.previewed != staged.fingerprint:
        return "These files have not been previewed as they are."
    if fingerprint != staged.previewed:
        return "The confirmation is not of the files previewed."
    return ""


def checked_confirmation(
    *, user: Any, token: uuid.UUID, dataset: str, fingerprint: str
) -> uploads.StagedUpload:
    """The staged files a confirmation names, if it is of exactly what was previewed; else
    ``ImportRefused`` (and the staged files are discarded: upload them again)."""
    roles.require(user, ACTION)
    staged = staged_for(token=token, user=user)
    if staged is None:
        raise ImportRefused("That upload has expired or was already imported: upload again.")
    refusal = not_as_previewed(staged, dataset=dataset, fingerprint=fingerprint)
    if refusal:
        staged.discard()
        raise ImportRefused(f"{refusal} Nothing was imported: upload the files again.")
    return staged


def confirm(*, user: Any, token: uuid.UUID, dataset: str, fingerprint: str) -> ImportSummary:
    """Import the staged files exactly as previewed, or refuse and import nothing (see
    :func:`checked_confirmation`; the import job calls this, the page checks first). Problems
    found now (the database changed since the preview) raise ``CaseworkValidationError``;
    the files stay staged for a new preview."""
    staged = checked_confirmation(user=user, token=token, dataset=dataset, fingerprint=fingerprint)
    try:
        summary = import_files(
            paths=staged.paths,
            names=staged.names,
            dataset=dataset_for(slug=staged.dataset, create=False),
            label="staff import",
            user=user.get_username(),
        )
    except CaseworkValidationError:
        uploads.forget_preview(staged)
        raise
    except WriterBusy as busy:
        raise ImportRefused(f"{busy} Nothing was imported: confirm again shortly.") from busy
    staged.discard()
    return summary


def failure_message(error: CaseworkValidationError) -> str:
    """A failed import job's message: the count and the largest groups of problems."""
    groups = "; ".join(f"{g.message} ({g.count:,} rows)" for g in error.groups[:5])
    return f"{error.total:,} problems found; nothing was imported: {groups}"
