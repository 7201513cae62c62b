"""The subscribe form: an address and what to follow (every release, or one council)."""

from __future__ import annotations

from typing import Any

from django import forms

from councilperf.authorities.models import Authority

EVERYTHING = ""


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    council = forms.ChoiceField(label="What to get alerts of", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        councils = Authority.objects.order_by("official_name").values_list("slug", "official_name")
        field = self.fields["council"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (EVERYTHING, "Every release (all councils)"),
            *((slug, f"{name} only") for slug, name in councils),
        ]

    def authority(self) -> Authority | None:
        slug = self.cleaned_data.get("council") or EVERYTHING
        return None if slug == EVERYTHING else Authority.objects.get(slug=slug)
