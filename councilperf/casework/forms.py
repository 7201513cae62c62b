"""The admin's upload form: several casework files at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile


class _SeveralFilesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SeveralFilesField(forms.FileField):
    """A file field that takes one or more files and cleans to a list of them."""

    widget = _SeveralFilesInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        clean_one = super().clean
        return [clean_one(item, initial) for item in items]


class UploadForm(forms.Form):
    casework_files = SeveralFilesField(
        label="Casework files",
        help_text="CSV (UTF-8) or XLSX: cases, recommendations and compliance files, checked and "
        "imported together. See docs/data-format.md.",
    )
    dataset = forms.SlugField(
        initial="ombudsman",
        max_length=40,
        help_text="The dataset the cases belong to (created if new).",
    )


class ConfirmForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
    # The dataset is the one recorded at the preview; one named here must be the same.
    dataset = forms.SlugField(widget=forms.HiddenInput, max_length=40, required=False)
