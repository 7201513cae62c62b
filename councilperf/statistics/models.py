"""Review years and the stored statistics of each: a draft, then frozen revisions.

A review year's statistics live in a :class:`StatisticsRevision`: while the year is a draft
there is one revision with ``number`` None, replaced on every recompute. Freezing stores
revision 1; each correction adds revision n + 1 with a reason. A numbered revision, its
authority rows and its group rows can never be changed or deleted (:class:`FrozenRevisionError`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

from councilperf.statistics.core.counts import DerivedCounts
from councilperf.statistics.dates import DEFAULT_PUBLICATION_TIME, moment
from councilperf.years import ReportingYear


class FrozenRevisionError(Exception):
    """Raised on any attempt to change or delete a numbered (frozen) revision."""


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
    publication_time = models.TimeField(
        default=DEFAULT_PUBLICATION_TIME,
        help_text="The time of day (Europe/London, the site's zone) the year is published.",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    peer_method = models.CharField(
        max_length=8, choices=PeerMethod.choices, default=PeerMethod.POOLED
    )

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return self.year

    @property
    def reporting_year(self) -> ReportingYear:
        """The year as a value, read from the row (the column keeps its label)."""
        return ReportingYear.parse(self.year)

    @property
    def publication_at(self) -> dt.datetime | None:
        """The moment of publication (date and time in the site's zone); None without a date."""
        return publication_moment(self.publication_date, self.publication_time)


def publication_moment(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    """``day`` at ``time`` (default 09:30) in the site's zone, as an aware datetime."""
    if day is None:
        return None
    return moment(day, time or DEFAULT_PUBLICATION_TIME, timezone.get_default_timezone())


class StatisticsRevisionQuerySet(models.QuerySet["StatisticsRevision"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(number__isnull=False).exists():
            raise FrozenRevisionError("a frozen revision cannot be deleted")
        return super().delete()

    def update(self, **kwargs: Any) -> int:
        if self.filter(number__isnull=False).exists():
            raise FrozenRevisionError("a frozen revision cannot be changed")
        return super().update(**kwargs)


class StatisticsRevision(models.Model):
    """One computation of a review year's statistics: the draft (``number`` None) or a
    frozen revision (1, 2, …). The peer method and small-number threshold used are stored
    with the figures."""

    review_year = models.ForeignKey(ReviewYear, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(
        null=True, blank=True, help_text="Revision number; empty for the draft."
    )
    reason = models.TextField(blank=True, help_text="Why this revision was made.")
    computed_at = models.DateTimeField()
    peer_method = models.CharField(max_length=8, choices=ReviewYear.PeerMethod.choices)
    small_number_threshold = models.PositiveSmallIntegerField()
    synthetic = models.BooleanField(
        default=False, help_text="Some counted casework comes from a synthetic dataset."
    )
    unattributed = models.JSONField(
        default=dict,
        blank=True,
        help_text="Counts about authorities that did not exist in the year, by GSS code.",
    )

    objects = StatisticsRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["review_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review_year", "number"], name="one_revision_number_per_year"
            ),
            models.UniqueConstraint(
                fields=["review_year"],
                condition=models.Q(number__isnull=True),
                name="one_draft_per_year",
            ),
        ]

    def __str__(self) -> str:
        label = "draft" if self.number is None else f"revision {self.number}"
        return f"{self.review_year.year} {label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if (
            self.pk is not None
            and type(self).objects.filter(pk=self.pk, number__isnull=False).exists()
        ):
            raise FrozenRevisionError(f"{self} is frozen: record a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.number is not None:
            raise FrozenRevisionError(f"{self} is frozen and cannot be deleted")
        return super().delete(*args, **kwargs)


class Counts(DerivedCounts, models.Model):
    """The counts of a year, as columns (see ``core.AuthorityCounts``)."""

    complaints_received = models.PositiveIntegerField(default=0)
    invalid_or_incomplete = models.PositiveIntegerField(default=0)
    advice_given = models.PositiveIntegerField(default=0)
    referred_back_for_local_resolution = models.PositiveIntegerField(default=0)
    closed_after_initial_enquiries = models.PositiveIntegerField(default=0)
    not_upheld = models.PositiveIntegerField(default=0)
    upheld = models.PositiveIntegerField(default=0)
    upheld_with_satisfactory_remedy = models.PositiveIntegerField(default=0)
    complied = models.PositiveIntegerField(default=0)
    complied_late = models.PositiveIntegerField(default=0)
    not_complied = models.PositiveIntegerField(default=0)
    service_improvements = models.PositiveIntegerField(default=0)
    public_reports = models.PositiveIntegerField(default=0)
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        abstract = True


class FrozenRowQuerySet(models.QuerySet[Any]):
    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(revision__number__isnull=False).exists():
            raise FrozenRevisionError("rows of a frozen revision cannot be deleted")
        return super().delete()

    def update(self, **kwargs: Any) -> int:
        if self.filter(revision__number__isnull=False).exists():
            raise FrozenRevisionError("rows of a frozen revision cannot be changed")
        return super().update(**kwargs)


class FrozenRow(models.Model):
    """A row that belongs to a revision and is immutable once the revision is numbered."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._frozen():
            raise FrozenRevisionError("rows of a frozen revision cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._frozen():
            raise FrozenRevisionError("rows of a frozen revision cannot be deleted")
        return super().delete(*args, **kwargs)

    def _frozen(self) -> bool:
        revision_id = getattr(self, "revision_id", None)
        return (
            self.pk is not None
            and revision_id is not None
            and StatisticsRevision.objects.filter(pk=revision_id, number__isnull=False).exists()
        )


class AuthorityStatistics(FrozenRow, Counts):
    """One authority's counts and figures in one revision (every authority of the year).

    ``figures`` holds what was derived from the counts, exactly as computed then:
    ``{"upheld" | "satisfactory_remedy" | "compliance": {"rate", "lower", "upper", "peer",
    "peer_exact", "comparison"}, "upheld_per_100k": {"rate", "lower", "upper", "peer",
    "peer_exact", "comparison"}}`` — floats or None, ``*_exact`` a fraction written "n/d".
    (Funnel labels are not stored: the site computes them from the exact tails.)
    ``by_service_area`` maps a service area code to the same counts (non-zero areas only;
    "" for cases without one).
    """

    revision = models.ForeignKey(
        StatisticsRevision, on_delete=models.CASCADE, related_name="authority_rows"
    )
    authority = models.ForeignKey(
        "authorities.Authority", on_delete=models.PROTECT, related_name="statistics"
    )
    group = models.CharField(max_length=16)
    population_estimate = models.PositiveSmallIntegerField(null=True, blank=True)
    population_file = models.CharField(
        max_length=200, blank=True, help_text="The reference file(s) the population came from."
    )
    synthetic = models.BooleanField(default=False)
    figures = models.JSONField(default=dict)
    by_service_area = models.JSONField(default=dict)

    objects = FrozenRowQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "authority__official_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "authority"], name="one_row_per_authority_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority_id} in {self.revision_id}"


class GroupStatistics(FrozenRow, Counts):
    """A comparison group's (or, with group "national", England's) totals and averages.

    ``population`` is the population used for the per-100,000 average. ``figures`` holds
    ``{"upheld_rate" | "satisfactory_remedy_rate" | "compliance_rate" | "upheld_per_100k":
    {"value": float | None, "exact": "n/d" | None}}``.
    """

    NATIONAL = "national"

    revision = models.ForeignKey(
        StatisticsRevision, on_delete=models.CASCADE, related_name="group_rows"
    )
    group = models.CharField(max_length=16)
    authorities = models.PositiveIntegerField()
    synthetic = models.BooleanField(default=False)
    figures = models.JSONField(default=dict)

    objects = FrozenRowQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "group"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "group"], name="one_row_per_group_revision")
        ]

    def __str__(self) -> str:
        return f"{self.group} in {self.revision_id}"


class MethodNote(models.Model):
    """A note against a reporting year (optionally one measure or one comparison group) on a
    change of method: shown beside the year wherever figures span years."""

    year = models.CharField(max_length=7, help_text="The reporting year, e.g. 2022-23.")
    measure = models.CharField(
        max_length=40, blank=True, help_text="A measure's code (blank: every measure)."
    )
    group = models.CharField(
        max_length=20, blank=True, help_text="A comparison group (blank: every group)."
    )
    text = models.TextField(help_text="What changed, in a sentence or two, for the public.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "pk"]

    def __str__(self) -> str:
        return f"{self.year}: {self.text[:60]}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from councilperf.groups import GROUP_PLURAL
        from councilperf.statistics.measures import METRIC

        errors = {}
        try:
            self.year = ReportingYear.parse(self.year).label
        except ValueError as error:
            errors["year"] = str(error)
        if self.measure and self.measure not in METRIC:
            errors["measure"] = "Not a measure: " + ", ".join(METRIC)
        if self.group and self.group not in GROUP_PLURAL:
            errors["group"] = "Not a comparison group: " + ", ".join(GROUP_PLURAL)
        if errors:
            raise ValidationError(errors)
