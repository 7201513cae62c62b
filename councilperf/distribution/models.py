"""The yearly cycle after freezing: sign-off, the letters as sent, and every delivery.

- :class:`YearCycle` — one per review year: who approved which revision and template, when
  the letters were issued. The stage of the year is derived from it (``lifecycle.stage``).
- :class:`SentLetter` — the PDF and HTML that were emailed, copied once and kept with their
  SHA-256; never changed afterwards. The public letter page serves these bytes.
- :class:`Delivery` — one per (sent letter, recipient): written *before* the SMTP transaction
  and confirmed after it, so an interrupted attempt is found and listed as in doubt.
- :class:`QueueJob` — a background job (import, compute, freeze, approve, generate, send,
  publish) and its progress: phase, done/total, start and finish.
- :class:`Publication` — which revision of a public year the publication job last built
  (review PDF, open data, map, cache); written only through ``publication.record_publication``.
- :class:`ReleaseChange` — a change to an announced publication date or time, with its reason
  (who, when, old, new); written only through ``dates.set_year_dates``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from councilperf.authorities.models import Authority
from councilperf.statistics.models import ReviewYear


class YearCycle(models.Model):
    """Where a review year's letters stand after freezing. Its permissions are the roles'."""

    review_year = models.OneToOneField(ReviewYear, on_delete=models.PROTECT, related_name="cycle")
    approved_revision = models.PositiveIntegerField(null=True, blank=True)
    approved_template_hash = models.CharField(max_length=64, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_revision = models.PositiveIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    send_lock = models.CharField(
        max_length=200, blank=True, help_text="host:pid of the process sending, if any."
    )
    send_lock_until = models.DateTimeField(null=True, blank=True)
    send_problem = models.TextField(
        blank=True,
        help_text="Why the last send stopped with letters unsent (empty once all are sent).",
    )
    copy_monitoring_officer = models.BooleanField(
        default=False, help_text="Copy this year's letters to each council's monitoring officer."
    )
    attach_case_spreadsheet = models.BooleanField(
        default=False,
        help_text="Attach the case-level spreadsheet to this year's emails (otherwise the "
        "email links to the council's portal, where each download is logged).",
    )

    class Meta:
        ordering = ["review_year__year"]
        permissions = [
            ("import_casework", "Import casework"),
            ("compute_statistics", "Compute statistics"),
            ("freeze_year", "Freeze a year's statistics"),
            ("preview_letters", "Generate and preview letters"),
            ("approve_year", "Approve a year's figures and letter template"),
            ("send_letters", "Send a year's letters"),
            ("correct_year", "Correct a year after issue"),
            ("resend_letter", "Send a letter again to one recipient"),
            ("edit_letter_template", "Edit a year's letter template"),
        ]

    def __str__(self) -> str:
        return f"Cycle {self.review_year.year}"


class SentLetter(models.Model):
    """An authority's letter for one statistics revision, exactly as emailed."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="sent_letters")
    review_year = models.ForeignKey(
        ReviewYear, on_delete=models.PROTECT, related_name="sent_letters"
    )
    statistics_revision = models.PositiveIntegerField()
    corrected = models.BooleanField(default=False, help_text="Sent after a correction.")
    pdf_path = models.CharField(max_length=500)
    pdf_sha256 = models.CharField(max_length=64)
    html_path = models.CharField(max_length=500)
    html_sha256 = models.CharField(max_length=64)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    email_path = models.CharField(
        max_length=500, blank=True, help_text="The email as sent (every copy but its Message-ID)."
    )
    email_sha256 = models.CharField(max_length=64, blank=True)
    content_hash = models.CharField(max_length=64)
    synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["review_year__year", "authority__short_name", "statistics_revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "review_year", "statistics_revision"],
                name="one_sent_letter_per_revision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority.short_name} {self.review_year.year} r{self.statistics_revision}"


class Delivery(models.Model):
    """One recipient's copy of a sent letter: one SMTP transaction with one recipient."""

    class Status(models.TextChoices):
        PENDING = "pending", "Not yet attempted"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        RETRY = "retry", "Temporary failure (sent again on resume)"
        FAILED = "failed", "Refused (permanent failure)"
        IN_DOUBT = "in_doubt", "In doubt (interrupted mid-send)"

    letter = models.ForeignKey(SentLetter, on_delete=models.PROTECT, related_name="deliveries")
    role = models.CharField(max_length=20)
    name = models.CharField(max_length=120)
    email = models.EmailField()
    copy = models.BooleanField(default=False, help_text="Copied (Cc) rather than addressed.")
    attempt = models.PositiveSmallIntegerField(
        default=1, help_text="1 for the first send; 2, 3, … for each 'send again'."
    )
    reason = models.TextField(blank=True, help_text="Why it was sent again.")
    requested_by = models.CharField(max_length=150, blank=True)
    message_id = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    tries = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["letter__authority__short_name", "copy", "role", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "email", "attempt"], name="one_delivery_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["status"])]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.letter} → {self.email} ({self.status})"


class QueueJob(models.Model):
    """A long piece of work run by the worker, with progress the staff page shows."""

    class Kind(models.TextChoices):
        GENERATE = "generate", "Generate letters"
        SEND = "send", "Send letters"
        IMPORT = "import", "Import casework"
        COMPUTE = "compute", "Compute statistics"
        FREEZE = "freeze", "Freeze statistics"
        APPROVE = "approve", "Approve"
        PUBLISH = "publish", "Publish"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # None for a job of no year (a casework import).
    review_year = models.ForeignKey(
        ReviewYear, on_delete=models.CASCADE, related_name="jobs", null=True, blank=True
    )
    payload = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the job works on: for an import, the staged upload, its dataset and "
        "the preview's fingerprint.",
    )
    requested_by = models.CharField(max_length=150)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    rq_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    phase = models.CharField(
        max_length=200, blank=True, help_text='What the job is doing now, e.g. "sending".'
    )
    phases = models.JSONField(
        default=list, blank=True, help_text="Each phase of the run: name, total and start time."
    )
    started_at = models.DateTimeField(null=True, blank=True, help_text="When this run started.")
    phase_started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        year = f" {self.review_year.year}" if self.review_year else ""
        return f"{self.get_kind_display()}{year} ({self.status})"


class Publication(models.Model):
    """What the publication job (``manage.py publish_due``) last built for a year: the review
    PDF, the open data, the map data and the warmed cache, all of ``revision``. A year whose
    latest frozen revision differs (a correction since) is due again."""

    review_year = models.OneToOneField(
        ReviewYear, on_delete=models.CASCADE, related_name="publication"
    )
    revision = models.PositiveIntegerField()
    built_at = models.DateTimeField()

    class Meta:
        ordering = ["review_year__year"]

    def __str__(self) -> str:
        return f"Published {self.review_year.year} revision {self.revision}"


class ReleaseChange(models.Model):
    """A change to an announced release (a frozen year's publication date or time), with the
    reason the release calendar shows. Written only by ``dates.set_year_dates``."""

    review_year = models.ForeignKey(
        ReviewYear, on_delete=models.PROTECT, related_name="release_changes"
    )
    old_date = models.DateField()
    old_time = models.TimeField()
    new_date = models.DateField()
    new_time = models.TimeField()
    reason = models.TextField(help_text="Why the release moved (shown on the release calendar).")
    changed_by = models.CharField(max_length=150, help_text="Who changed it (or the command line).")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["review_year__year", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.review_year.year}: {self.old_date} {self.old_time} → {self.new_date}"
