"""Review years and (added by the statistics engine) the stored, frozen figures."""

from __future__ import annotations

from django.db import models


class ReviewYear(models.Model):
    """A reporting year under review: its letter and publication dates and its state.

    Statistics of a draft year may be recomputed freely; freezing makes them a revision.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FROZEN = "frozen", "Frozen"

    class PeerMethod(models.TextChoices):
        POOLED = "pooled", "Pooled (sum of numerators over sum of denominators)"
        MEAN = "mean", "Mean of authority rates"

    year = models.CharField(max_length=7, unique=True, help_text='e.g. "2019-20"')
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="following"
    )
    letter_date = models.DateField(null=True, blank=True)
    publication_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    peer_method = models.CharField(
        max_length=8, choices=PeerMethod.choices, default=PeerMethod.POOLED
    )

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return self.year
