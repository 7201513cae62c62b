"""Councils in the loop: their people, their own complaint handling and their reply.

- :class:`Membership` — a person's role for one council (*officer* prepares, *approver*
  signs off); one person may hold several councils (shared services).
- :class:`Invitation` — a single-use, expiring link (only its hash is kept) to set a
  password and join a council.
- :class:`AccessEvent` — the log of invitations, sign-ins, downloads and staff actions on
  accounts (who, which council, when).
- :class:`ReturnPeriod` — a review year that staff opened for complaint-handling returns,
  with its deadline.
- :class:`ComplaintReturn` and :class:`SelfAssessment` — a council's own stage 1 and 2
  figures for a year and its self-assessment against each section of the Code.
- :class:`Reply` and :class:`ReplyVersion` — the council's right of reply to its letter; every
  version kept; a publisher accepts or returns each submitted version with a reason.
- :class:`ReminderRound` and :class:`Reminder` — reminders to councils that have not
  submitted, sent exactly once per round per recipient (``distribution.claims``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from councilperf.authorities.models import Authority
from councilperf.distribution.models import Delivery
from councilperf.statistics.models import ReviewYear

USER = settings.AUTH_USER_MODEL


class CouncilRole(models.TextChoices):
    OFFICER = "officer", "Council officer"
    APPROVER = "approver", "Council approver"


class Membership(models.Model):
    """One person's role for one council; ended (not deleted) when it stops."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="council_memberships")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=10, choices=CouncilRole.choices)
    granted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["authority__short_name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "authority"],
                condition=models.Q(ended_at__isnull=True),
                name="one_live_membership_per_council",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.authority.short_name} ({self.role})"


class Invitation(models.Model):
    """A single-use link, sent by email, to set a password and join a council."""

    email = models.EmailField()
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="invitations")
    role = models.CharField(max_length=10, choices=CouncilRole.choices)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.authority.short_name} ({self.role})"


class AccessEvent(models.Model):
    """One logged event: an invitation, a sign-in, a download, a change to an account."""

    class Kind(models.TextChoices):
        INVITED = "invited", "Invited"
        JOINED = "joined", "Accepted an invitation"
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in refused"
        TWO_FACTOR_SET = "two_factor_set", "Set up two-factor sign-in"
        DOWNLOAD = "download", "Downloaded"
        TRANSFERRED = "transferred", "Passed to a successor council"
        ENDED = "ended", "Membership ended"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True, help_text="As typed or as it was.")
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_year = models.ForeignKey(
        ReviewYear, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"


class ReturnPeriod(models.Model):
    """A review year opened for councils' complaint-handling returns."""

    review_year = models.OneToOneField(
        ReviewYear, on_delete=models.PROTECT, related_name="return_period"
    )
    deadline = models.DateField()
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()

    class Meta:
        ordering = ["review_year__year"]

    def __str__(self) -> str:
        return f"Returns for {self.review_year.year} (by {self.deadline})"


class ComplaintReturn(models.Model):
    """A council's own complaint handling in one reporting year, as the council reports it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        READY = "ready", "Waiting for sign-off"
        SUBMITTED = "submitted", "Submitted"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="returns")
    review_year = models.ForeignKey(ReviewYear, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    stage1_received = models.PositiveIntegerField(null=True, blank=True)
    stage1_responded = models.PositiveIntegerField(null=True, blank=True)
    stage1_in_time = models.PositiveIntegerField(
        null=True, blank=True, help_text="Answered within 10 working days."
    )
    stage1_upheld = models.PositiveIntegerField(null=True, blank=True)
    stage2_received = models.PositiveIntegerField(null=True, blank=True)
    stage2_responded = models.PositiveIntegerField(null=True, blank=True)
    stage2_in_time = models.PositiveIntegerField(
        null=True, blank=True, help_text="Answered within 20 working days."
    )
    stage2_upheld = models.PositiveIntegerField(null=True, blank=True)
    escalated = models.PositiveIntegerField(
        null=True, blank=True, help_text="Complaints the council knows went on to the ombudsman."
    )
    self_assessment_url = models.URLField(blank=True, max_length=500)
    self_assessment_date = models.DateField(
        null=True, blank=True, help_text="When members considered the self-assessment."
    )
    synthetic = models.BooleanField(default=False)
    prepared_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()
    signed_off_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review_year__year", "authority__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "review_year"], name="one_return_per_council_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority.short_name} {self.review_year.year} return ({self.status})"


class SelfAssessment(models.Model):
    """The council's own rating against one section of the Complaint Handling Code."""

    class Rating(models.TextChoices):
        MEETS = "meets", "Meets"
        PARTLY = "partly", "Partly meets"
        DOES_NOT = "does_not", "Does not meet"

    complaint_return = models.ForeignKey(
        ComplaintReturn, on_delete=models.CASCADE, related_name="assessments"
    )
    section = models.CharField(max_length=40)
    rating = models.CharField(max_length=10, choices=Rating.choices)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["complaint_return", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint_return", "section"], name="one_rating_per_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_return} {self.section}: {self.rating}"


class Reply(models.Model):
    """A council's right of reply to its letter for one year (its versions below)."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="replies")
    review_year = models.ForeignKey(ReviewYear, on_delete=models.PROTECT, related_name="replies")

    class Meta:
        ordering = ["review_year__year", "authority__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "review_year"], name="one_reply_per_council_year"
            )
        ]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"Reply of {self.authority.short_name} {self.review_year.year}"


class ReplyVersion(models.Model):
    """One version of a reply, never changed once submitted; the publisher's decision on it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for a publisher"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned"

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    synthetic = models.BooleanField(default=False)
    written_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(
        blank=True, help_text="Why it was returned (or a note on acceptance)."
    )

    class Meta:
        ordering = ["reply", "number"]
        constraints = [
            models.UniqueConstraint(fields=["reply", "number"], name="one_reply_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.reply} v{self.number} ({self.status})"


class ReminderRound(models.Model):
    """One round of reminders to councils whose return for a year is not submitted."""

    review_year = models.ForeignKey(
        ReviewYear, on_delete=models.PROTECT, related_name="reminder_rounds"
    )
    number = models.PositiveIntegerField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["review_year__year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review_year", "number"], name="one_reminder_round_number"
            )
        ]

    def __str__(self) -> str:
        return f"Reminders {self.review_year.year} round {self.number}"


class Reminder(models.Model):
    """One recipient's reminder in a round: claimed before its SMTP transaction and settled
    after it (the columns ``distribution.claims`` needs), so it goes exactly once."""

    Status = Delivery.Status

    round = models.ForeignKey(ReminderRound, on_delete=models.PROTECT, related_name="reminders")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120, blank=True)
    email = models.EmailField()
    message_id = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Delivery.Status.PENDING
    )
    tries = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "authority__short_name", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "authority", "email"], name="one_reminder_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} → {self.email} ({self.status})"
