"""Authorities (councils in England), their years, populations, boundaries and contacts."""

from __future__ import annotations

import datetime as dt

from django.db import models


class ComparisonGroup(models.TextChoices):
    """The five groups of "similar authorities" the ombudsman compares councils within."""

    COUNTY = "county", "County Councils"
    DISTRICT = "district", "District Councils"
    METROPOLITAN = "metropolitan", "Metropolitan Boroughs"
    UNITARY = "unitary", "Unitary Councils"
    LONDON = "london", "London Boroughs"


# Register type → comparison group. The City of London (CC) counts with London Boroughs.
REGISTER_TYPE_GROUPS: dict[str, str] = {
    "CTY": ComparisonGroup.COUNTY,
    "NMD": ComparisonGroup.DISTRICT,
    "MD": ComparisonGroup.METROPOLITAN,
    "UA": ComparisonGroup.UNITARY,
    "LBO": ComparisonGroup.LONDON,
    "CC": ComparisonGroup.LONDON,
}


class Tier(models.TextChoices):
    """The two map tiers: counties and districts overlap, so the map shows one at a time."""

    UPPER = "upper", "County & unitary tier"
    LOWER = "lower", "District & unitary tier"


# Which groups appear on each tier's map.
TIER_GROUPS: dict[str, frozenset[str]] = {
    Tier.UPPER: frozenset({"county", "unitary", "metropolitan", "london"}),
    Tier.LOWER: frozenset({"district", "unitary", "metropolitan", "london"}),
}


class Authority(models.Model):
    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    register_code = models.CharField("register code", max_length=8, unique=True)
    official_name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    register_type = models.CharField(max_length=4)
    group = models.CharField("comparison group", max_length=16, choices=ComparisonGroup.choices)
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

    def existed_between(self, first: dt.date, last: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= last) and (
            self.end_date is None or first <= self.end_date
        )


class Boundary(models.Model):
    """One authority's shape in one ONS boundary vintage (GeoJSON geometry, WGS84)."""

    vintage = models.CharField(max_length=16, help_text='e.g. "ltla19", "utla21", "utla23"')
    tier = models.CharField(max_length=8, choices=Tier.choices)
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="boundaries")
    geometry = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vintage", "authority"], name="one_shape_per_vintage")
        ]

    def __str__(self) -> str:
        return f"{self.authority.short_name} ({self.vintage})"


class AuthorityYear(models.Model):
    """An authority in a reporting year it existed in (on any day of it)."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="years")
    year = models.CharField(max_length=7, help_text='Reporting year, e.g. "2019-20".')
    group = models.CharField(max_length=16, choices=ComparisonGroup.choices)
    population = models.PositiveIntegerField(null=True, blank=True)
    population_estimate = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of the ONS mid-year estimate used (e.g. 2019)."
    )
    population_source = models.CharField(max_length=200, blank=True)
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
