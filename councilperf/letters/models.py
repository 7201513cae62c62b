"""A letter template per review year, and a record of every letter generated from one."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from councilperf.authorities.models import Authority
from councilperf.letters import wording
from councilperf.letters.placeholders import PLACEHOLDERS, unknown_placeholders
from councilperf.statistics.models import ReviewYear

PLACEHOLDER_HELP = "Placeholders: " + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS) + "."

# The fields that make up a template's content: a change to any of them is a new version.
# The letter and publication dates are not here: they are the review year's, set once
# (``ReviewYear``), and a letter records them in its own content hash.
CONTENT_FIELDS = (
    "copies",
    "delivery_line",
    "title",
    "letterhead",
    "body",
    "sign_off",
    "signatory",
    "map_url",
    "guidance_url",
    "show_upheld",
    "show_compliance",
    "show_remedies",
    "show_upheld_per_100k",
    "show_categories",
    "show_late_remedies",
)

# The contact roles a letter may be copied to (it is always addressed to the chief executive).
COPY_ROLES = ("link_officer", "leader", "scrutiny_chair", "monitoring_officer")


class LetterTemplate(models.Model):
    """The wording of one review year's annual review letters, editable by staff."""

    review_year = models.OneToOneField(
        ReviewYear, on_delete=models.PROTECT, related_name="letter_template"
    )
    copies = models.CharField(
        "copied to",
        max_length=200,
        default="link_officer,leader,scrutiny_chair",
        blank=True,
        help_text="Contact roles copied in, comma-separated: " + ", ".join(COPY_ROLES) + ".",
    )
    delivery_line = models.CharField(max_length=100, default="By email")
    title = models.CharField(max_length=200, help_text=PLACEHOLDER_HELP)
    letterhead = models.TextField(help_text="The sender's name at the top, one line each.")
    body = models.TextField(
        help_text="Markdown: a blank line between paragraphs, ## for a heading, **bold**, "
        "[text](address) for a link; a line <!-- new page --> starts a new page. "
        + PLACEHOLDER_HELP
    )
    sign_off = models.CharField(max_length=100, default="Yours sincerely,")
    signatory = models.TextField(help_text="Name on the first line, then each role on its own.")
    map_url = models.URLField("address of the interactive map", max_length=300)
    guidance_url = models.URLField("address of the statistics guidance", max_length=300)
    show_upheld = models.BooleanField("show complaints upheld", default=True)
    show_compliance = models.BooleanField("show compliance with recommendations", default=True)
    show_remedies = models.BooleanField("show satisfactory remedies", default=True)
    show_upheld_per_100k = models.BooleanField(
        "show upheld decisions per 100,000 residents", default=False
    )
    show_categories = models.BooleanField(
        "show the year's reporting categories (dealt with, not for us, …)", default=False
    )
    show_late_remedies = models.BooleanField("show remedies completed late", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    content_hash = models.CharField(max_length=64, editable=False)
    # A publisher's review of this wording for the year (``review_template``): it stands
    # while the content is the one reviewed (``reviewed_hash``); any edit needs a new review.
    reviewed_by = models.CharField(max_length=150, blank=True, editable=False)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Who last changed the wording in the staff pages or with ``edit_letter_template``.
    edited_by = models.CharField(max_length=150, blank=True, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review_year__year"]

    def __str__(self) -> str:
        return f"Letter template {self.review_year.year} (version {self.version})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A change of content is a new version (letters record the version they used)."""
        new_hash = self.compute_hash()
        if self.pk is not None and self.content_hash and new_hash != self.content_hash:
            self.version += 1
        self.content_hash = new_hash
        super().save(*args, **kwargs)

    @property
    def blocks(self) -> tuple[str, ...]:
        shown = {
            wording.UPHELD: self.show_upheld,
            wording.COMPLIANCE: self.show_compliance,
            wording.REMEDY: self.show_remedies,
            wording.UPHELD_PER_100K: self.show_upheld_per_100k,
        }
        return tuple(key for key in wording.BLOCK_ORDER if shown[key])

    def compute_hash(self) -> str:
        content = {name: getattr(self, name) for name in CONTENT_FIELDS}
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()

    @property
    def reviewed(self) -> bool:
        """Whether a publisher reviewed exactly this content."""
        return bool(self.reviewed_by) and self.reviewed_hash == self.compute_hash()

    @property
    def copy_roles(self) -> tuple[str, ...]:
        return tuple(role.strip() for role in self.copies.split(",") if role.strip())

    def clean(self) -> None:
        errors = {}
        unknown_roles = [role for role in self.copy_roles if role not in COPY_ROLES]
        if unknown_roles:
            errors["copies"] = "Unknown role(s): " + ", ".join(unknown_roles)
        for name in ("title", "body"):
            unknown = unknown_placeholders(getattr(self, name))
            if unknown:
                errors[name] = "Unknown placeholder(s): " + ", ".join(
                    f"{{{item}}}" for item in unknown
                )
        if errors:
            raise ValidationError(errors)


class Letter(models.Model):
    """The latest letter generated for an authority's review year, and its files."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="letters")
    review_year = models.ForeignKey(ReviewYear, on_delete=models.CASCADE, related_name="letters")
    statistics_revision = models.PositiveIntegerField(
        null=True, blank=True, help_text="Blank when made from draft statistics."
    )
    template_version = models.PositiveIntegerField()
    template_hash = models.CharField(max_length=64)
    content_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the HTML: unchanged means the PDF need not change."
    )
    synthetic = models.BooleanField(default=False, help_text="Made from demonstration data.")
    html_path = models.CharField(max_length=500)
    pdf_path = models.CharField(max_length=500)
    generated_at = models.DateTimeField()

    class Meta:
        ordering = ["review_year__year", "authority__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "review_year"], name="one_letter_per_authority_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority.short_name} {self.review_year.year}"
