"""Email alerts: who follows the releases (a :class:`Subscription`, kept only while it
lasts) and each alert sent to them (an :class:`Alert`, one per subscriber and revision).

An address is stored when someone asks for alerts, confirmed through a single-use link
(double opt-in), and deleted — with its alerts — when they unsubscribe. Only a hash of the
confirmation token is kept; the unsubscribe token is the authority of the one-click link.
"""

from __future__ import annotations

from django.db import models

from councilperf.authorities.models import Authority
from councilperf.distribution.models import Delivery

ALL = "all"


class Subscription(models.Model):
    """An address following every release (``scope`` "all") or one council's page."""

    email = models.EmailField()
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scope = models.CharField(max_length=20, help_text='"all", or the council\'s GSS code.')
    confirm_hash = models.CharField(max_length=64, blank=True, help_text="sha256 of the link")
    confirm_expires = models.DateTimeField(null=True, blank=True)
    confirm_sent_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "scope"], name="one_subscription_per_scope")
        ]
        indexes = [models.Index(fields=["confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.scope})"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class Alert(models.Model):
    """One subscriber's email about one revision of a year: sent exactly once, with the
    letters' delivery statuses (claimed ``sending`` before the SMTP transaction). An alert
    left in doubt is sent again only when an operator asks, with a reason (a new attempt)."""

    Status = Delivery.Status

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="alerts")
    year = models.CharField(max_length=7)
    revision = models.PositiveIntegerField()
    replaces = models.PositiveIntegerField(
        null=True, blank=True, help_text="The revision public before: a correction; else none."
    )
    attempt = models.PositiveSmallIntegerField(
        default=1, help_text="1 for the first send; 2, 3, … for each 'send again'."
    )
    reason = models.TextField(blank=True, help_text="Why it was sent again.")
    message_id = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    tries = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "year", "revision", "attempt"],
                name="one_alert_per_revision",
            )
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.year} r{self.revision} → {self.subscription_id} ({self.status})"
