"""What the letter template page shows: the form of the year's wording and a preview of one
council's letter made from it, in the page (reads only; the view in ``templateviews`` stays
thin and the writes are ``yearstart.edit_template``'s).

The preview is the letter as ``letters.rendering`` makes it — the body's Markdown cut to the
letters' allow-list — and its ``<main>`` cut again to what the letter template writes, as the
public letter page does; no PDF is made.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from councilperf.authorities.models import Authority, ContactRole
from councilperf.distribution import lifecycle, roles
from councilperf.distribution.models import SentLetter
from councilperf.letters import rendering, safety, sources, wording
from councilperf.letters.models import COPY_ROLES, LetterTemplate
from councilperf.statistics.models import ReviewYear

# The statistics blocks a letter may show, in the order of the form.
BLOCKS = (
    "show_upheld",
    "show_compliance",
    "show_remedies",
    "show_upheld_per_100k",
    "show_late_remedies",
    "show_categories",
)
# A model field's error is shown at the form field that edits it.
FIELD_OF = {"signatory": "signatory_name", "copies": "copies", "body": "body"}
_MAIN = re.compile(r"<main[^>]*>(?P<inner>.*)</main>", re.DOTALL)


def _text(value: str) -> str:
    """A textarea's value with the browser's CRLF line ends as the template stores them."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _label(name: str) -> str:
    field = LetterTemplate._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


class TemplateForm(forms.Form):
    signatory_name = forms.CharField(
        label="Signed by",
        max_length=200,
        error_messages={"required": "Enter the name of the person who signs the letters"},
    )
    signatory_roles = forms.CharField(
        label="Their job title",
        required=False,
        strip=False,
        help_text="One role on each line, as printed under the name.",
    )
    copies = forms.MultipleChoiceField(
        label="Copied to",
        required=False,
        choices=[(role, ContactRole(role).label) for role in COPY_ROLES],
        help_text="Each council's contact in these roles gets a copy (it is always addressed "
        "to the chief executive). Readiness checks every council has an email for each.",
    )
    blocks = forms.MultipleChoiceField(
        label="Statistics shown after the letter",
        required=False,
        choices=[(name, _label(name)) for name in BLOCKS],
    )
    body = forms.CharField(
        label="Body of the letter",
        strip=False,
        error_messages={"required": "Enter the body of the letter"},
        help_text=LetterTemplate._meta.get_field("body").help_text,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_body(self) -> str:
        body = _text(self.cleaned_data["body"])
        if not body.strip():
            raise ValidationError("Enter the body of the letter")
        return body

    def based_on(self) -> int | None:
        """The version the editor started from (None: not given, no check)."""
        found = self.cleaned_data.get("version")
        return found if isinstance(found, int) else None

    def changes(self) -> dict[str, str | bool]:
        """The template's fields as the form sets them."""
        data = self.cleaned_data
        roles_text = _text(data["signatory_roles"])
        lines = [data["signatory_name"].strip(), *(x.strip() for x in roles_text.split("\n"))]
        chosen = set(data["copies"])
        return {
            "signatory": "\n".join(line for line in lines if line),
            "copies": ",".join(role for role in COPY_ROLES if role in chosen),
            "body": data["body"],
            **{name: name in data["blocks"] for name in BLOCKS},
        }

    def add_model_errors(self, error: ValidationError) -> None:
        """The model's validation errors at the fields that edit them."""
        for name, messages in error.message_dict.items():
            self.add_error(FIELD_OF.get(name), [f"{message}" for message in messages])


def form_for(template: LetterTemplate) -> TemplateForm:
    """The form as the template is now."""
    name, _, titles = template.signatory.partition("\n")
    return TemplateForm(
        initial={
            "signatory_name": name.strip(),
            "signatory_roles": titles,
            "copies": list(template.copy_roles),
            "blocks": [name for name in BLOCKS if getattr(template, name)],
            "body": template.body,
            "version": template.version,
        }
    )


def with_changes(template: LetterTemplate, changes: dict[str, str | bool]) -> LetterTemplate:
    """An unsaved copy of ``template`` with ``changes`` (for the preview before saving)."""
    draft = LetterTemplate(
        **{f.attname: getattr(template, f.attname) for f in LetterTemplate._meta.concrete_fields}
    )
    draft.review_year = template.review_year
    for name, value in changes.items():
        setattr(draft, name, value)
    return draft


def preview(*, template: LetterTemplate, code: str) -> dict[str, Any]:
    """One council's letter from ``template`` (the council ``code``, or the first by name):
    the councils to choose from, the letter's HTML, or the reason there is none."""
    year = template.review_year.reporting_year
    try:
        statistics = sources.load_statistics(year)
    except sources.StatisticsUnavailable:
        return {
            "councils": [],
            "problem": f"No {year} figures yet: compute the draft statistics to preview a "
            "council's letter.",
        }
    councils = list(
        Authority.objects.filter(gss_code__in=list(statistics))
        .order_by("official_name")
        .values_list("gss_code", "official_name")
    )
    chosen = code if code in statistics else (councils[0][0] if councils else "")
    if not chosen:
        return {"councils": [], "problem": f"No council has {year} figures."}
    authority = Authority.objects.prefetch_related("contacts").get(gss_code=chosen)
    found = statistics[chosen]
    try:
        content = rendering.build_letter(
            template=template,
            authority=authority,
            statistics=found,
            correction=sources.correction_for(year, found.revision),
        )
    except rendering.LetterError as error:
        return {"councils": councils, "chosen": chosen, "problem": f"No preview: {error}."}
    main = _MAIN.search(rendering.render_html(content, inline_css=False))
    return {
        "councils": councils,
        "chosen": chosen,
        "council_name": authority.official_name,
        "letter": safety.clean_page(main.group("inner")) if main else "",
        "synthetic": content.synthetic,
        "demo_label": wording.DEMO_LABEL,
    }


def page(
    *,
    review_year: ReviewYear,
    template: LetterTemplate,
    form: TemplateForm,
    code: str,
    user: Any,
    previewing: LetterTemplate | None = None,
) -> dict[str, Any]:
    """The page: the form (as given: a failed save keeps what was typed), the letter
    preview (of ``previewing``, the unsaved changes, when given) and whether it may change."""
    sent = SentLetter.objects.filter(review_year=review_year).exists()
    errors = [
        {"field": name if name != "__all__" else "", "message": message}
        for name, messages in form.errors.items()
        for message in messages
    ]
    return {
        "review_year": review_year,
        "stage": lifecycle.stage(review_year),
        "template": template,
        "form": form,
        "errors": errors,
        "sent": sent,
        "can_edit": not sent and roles.allowed(user, "edit_letter_template"),
        "can_review": roles.allowed(user, "approve_year") and not template.reviewed,
        "unsaved": previewing is not None,
        **preview(template=previewing or template, code=code),
    }
