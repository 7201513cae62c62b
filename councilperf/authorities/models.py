"""Authorities (councils in England), their years, populations, boundaries and contacts."""

from __future__ import annotations

import datetime as dt

from django.db import models

from councilperf.groups import GROUPS, TIERS

# Field choices from the one definition of groups and tiers (``councilperf.groups``).
GROUP_CHOICES: list[tuple[str, str]] = [(g.code, g.plural) for g in GROUPS]
TIER_CHOICES: list[tuple[str, str]] = list(TIERS.items())


class Authority(models.Model):
    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    register_code = models.CharField("register code", max_length=8, unique=True)
    official_name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    register_type = models.CharField(max_length=4)
    group = models.CharField("comparison group", max_length=16, choices=GROUP_CHOICES)
    region = models.CharField(max_length=60, blank=True)
    start_date = models.DateField(null=True, blank=True, help_text="First day of existence.")
    end_date = models.DateField(null=True, blank=True, help_text="Last day of existence.")
    county = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="districts",
        help_text="For a district: the county council of the upper tier.",
    )
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors"
    )

    class Meta:
        ordering = ["short_name"]
        verbose_name_plural = "authorities"

    def __str__(self) -> str:
        return self.official_name

    def existed_on(self, day: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or day <= self.end_date
        )


class AuthoritySlug(models.Model):
    """An address an authority had before the register named it differently (same GSS code):
    links to it keep working, as a permanent redirect to the authority's current address."""

    slug = models.SlugField(max_length=120, unique=True)
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="former_slugs")
    name = models.CharField(max_length=200, help_text="The name the old address was made from.")
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = "former address"

    def __str__(self) -> str:
        return f"{self.slug} → {self.authority.slug}"


class Boundary(models.Model):
    """One authority's shape in one ONS boundary vintage (GeoJSON geometry, WGS84)."""

    vintage = models.CharField(max_length=16, help_text='e.g. "ltla19", "utla21", "utla23"')
    tier = models.CharField(max_length=8, choices=TIER_CHOICES)
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="boundaries")
    geometry = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vintage", "authority"], name="one_shape_per_vintage")
        ]

    def __str__(self) -> str:
        return f"{self.authority.short_name} ({self.vintage})"


class Border(models.Model):
    """Two authorities whose shapes in one boundary vintage touch or lie within about 100 m
    (``reference/neighbours.py``); stored both ways round, so ``authority.borders`` lists
    every neighbour. Computed by ``load_reference_data`` from the vintage's shapes."""

    vintage = models.CharField(max_length=16)
    tier = models.CharField(max_length=8, choices=TIER_CHOICES)
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="borders")
    neighbour = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vintage", "authority", "neighbour"], name="one_border_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority.short_name} borders {self.neighbour.short_name} ({self.vintage})"


class AuthorityYear(models.Model):
    """An authority in a reporting year it existed in (on any day of it)."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="years")
    year = models.CharField(max_length=7, help_text='Reporting year, e.g. "2019-20".')
    group = models.CharField(max_length=16, choices=GROUP_CHOICES)
    population = models.PositiveIntegerField(null=True, blank=True)
    population_estimate = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of the ONS mid-year estimate used (e.g. 2019)."
    )
    population_source = models.CharField(max_length=200, blank=True)
    population_file = models.CharField(
        max_length=200,
        blank=True,
        help_text="The reference file(s) the population was read from (as the manifest names).",
    )
    upper_boundary = models.ForeignKey(
        Boundary, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lower_boundary = models.ForeignKey(
        Boundary, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["year", "authority__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="one_row_per_authority_year")
        ]
        indexes = [models.Index(fields=["year", "group"])]

    def __str__(self) -> str:
        return f"{self.authority.short_name} {self.year}"


class ContactRole(models.TextChoices):
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"
    LINK_OFFICER = "link_officer", "Link officer"
    LEADER = "leader", "Leader"
    SCRUTINY_CHAIR = "scrutiny_chair", "Chair of scrutiny"
    MONITORING_OFFICER = "monitoring_officer", "Monitoring officer"


class Contact(models.Model):
    """Who the annual letter goes to (chief executive) and who it is copied to."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(max_length=20, choices=ContactRole.choices)
    name = models.CharField(max_length=120, help_text='As written in a letter, e.g. "Mr Hickin".')
    job_title = models.CharField(max_length=200)
    email = models.EmailField()

    class Meta:
        ordering = ["authority__short_name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "role"], name="one_contact_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title} ({self.authority.short_name})"
