"""What the staff import pages show: the forms, the staged files, the preview and the
problems grouped by message (reads only; the views in ``importviews`` stay thin)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from councilperf.casework.forms import SeveralFilesField
from councilperf.casework.problems import GROUP_EXAMPLES, CaseworkValidationError
from councilperf.casework.uploads import StagedUpload
from councilperf.distribution import importing


class CheckForm(forms.Form):
    """Step 1: the dataset (from the list) and the files (added to any already staged)."""

    dataset = forms.ChoiceField(
        label="Dataset", error_messages={"required": "Choose a dataset from the list"}
    )
    casework_files = SeveralFilesField(label="Upload casework files", required=False)
    upload = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = [("", "Choose a dataset")] + [
            (found.slug, f"{found.name} ({found.slug})") for found in importing.datasets()
        ]
        field = self.fields["dataset"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = self.choices

    def chosen_files(self) -> list[Any]:
        cleaned = getattr(self, "cleaned_data", {})
        return [upload for upload in cleaned.get("casework_files") or [] if upload]


class ConfirmForm(forms.Form):
    upload = forms.UUIDField(widget=forms.HiddenInput)
    dataset = forms.SlugField(widget=forms.HiddenInput, max_length=importing.SLUG_LENGTH)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RemoveForm(forms.Form):
    upload = forms.UUIDField(widget=forms.HiddenInput)
    index = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class DatasetForm(forms.Form):
    """Slug and title, checked by ``importing.add_dataset`` (one message for the page)."""

    slug = forms.CharField(label="Slug", required=False, strip=False)
    title = forms.CharField(label="Title", required=False)


def problem_groups(error: CaseworkValidationError) -> list[dict[str, Any]]:
    """The problems by message, largest first: the count and the first rows of each."""
    return [
        {
            "number": number,
            "message": group.message,
            "count": group.count,
            "examples": group.examples[:GROUP_EXAMPLES],
            "more": group.count - len(group.examples[:GROUP_EXAMPLES]),
            # Messages that differ in one row's details: each row's own message is shown.
            "detailed": any(problem.message != group.message for problem in group.examples),
        }
        for number, group in enumerate(error.groups, start=1)
    ]


def upload_page(
    *,
    form: CheckForm,
    staged: StagedUpload | None,
    error: CaseworkValidationError | None = None,
    refusal: str = "",
) -> dict[str, Any]:
    """The upload page: the form, the files kept from before, and what went wrong."""
    field_errors = [
        {"field": name, "message": message}
        for name, messages in form.errors.items()
        for message in messages
    ]
    return {
        "form": form,
        "staged": staged,
        "staged_files": list(enumerate(staged.names)) if staged else [],
        "datasets": form.choices,
        "chosen": form.data.get("dataset") or (staged.dataset if staged else ""),
        "field_errors": field_errors,
        "refusal": refusal,
        "error": error,
        "groups": problem_groups(error) if error else [],
    }


def preview_page(checked: importing.Checked) -> dict[str, Any]:
    """The preview: what the import would add and change, and the confirmation form."""
    staged = checked.staged
    return {
        "staged": staged,
        "summary": checked.summary,
        "confirm": ConfirmForm(
            initial={
                "upload": staged.token,
                "dataset": staged.dataset,
                "fingerprint": staged.previewed,
            }
        ),
    }


def token(value: str | None) -> uuid.UUID | None:
    """A staging token from a query string or form (None when absent or malformed)."""
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None
