"""The ombudsman's casework: cases and their decisions, recommendations, compliance outcomes.

Definitions are in ../shared/guide/DOMAIN.md.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql.compiler import SQLCompiler

from councilperf.authorities.models import Authority
from councilperf.casework.codes import ComplianceResult, Outcome, RecommendationKind, ServiceArea

__all__ = [
    "Case",
    "ComplianceOutcome",
    "ComplianceResult",
    "Dataset",
    "ImportRun",
    "Outcome",
    "Recommendation",
    "RecommendationKind",
    "ServiceArea",
]


class ReportingStartYear(models.Func):
    """The start year of the reporting year (1 April to 31 March) containing a date, in SQL.

    Plain SQL on each backend (no Python functions), so it can define a generated column:
    2019 for any date from 1 April 2019 to 31 March 2020; NULL for a NULL date.
    """

    arity = 1
    output_field = models.IntegerField()
    template = (
        "(CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer)"
        " - CAST(EXTRACT(MONTH FROM %(expressions)s) < 4 AS integer))"
    )

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> Any:
        # SQLite keeps dates as "YYYY-MM-DD" text.
        return self.as_sql(
            compiler,
            connection,
            template=(
                "(CAST(substr(%(expressions)s, 1, 4) AS integer)"
                " - (substr(%(expressions)s, 6, 2) < '04'))"
            ),
            **extra_context,
        )


def _reporting_year_field(date_field: str, help_text: str) -> models.GeneratedField:
    return models.GeneratedField(
        expression=ReportingStartYear(date_field),
        output_field=models.IntegerField(null=True),
        db_persist=True,
        help_text=help_text,
    )


class Dataset(models.Model):
    """Where a body of casework came from. Synthetic data says so on everything made from it."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    synthetic = models.BooleanField(
        default=False, help_text="Demonstration data: not real ombudsman decisions."
    )
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True, help_text='e.g. "19 001 234"')
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="cases")
    # Not indexed alone: the indexes below start with the authority.
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    received_date = models.DateField()
    decision_date = models.DateField(null=True, blank=True)
    service_area = models.CharField(max_length=32, choices=ServiceArea.choices, blank=True)
    outcome = models.CharField(max_length=40, choices=Outcome.choices, blank=True)
    remedied_by_authority = models.BooleanField(
        default=False,
        help_text="Upheld, and the authority had already put things right satisfactorily.",
    )
    public_report_date = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    statement_url = models.URLField(max_length=500, blank=True)
    # Kept by the database from the dates above, for the statistics' grouped counts.
    received_year = _reporting_year_field(
        "received_date", "Start year of the reporting year of the received date."
    )
    decision_year = _reporting_year_field(
        "decision_date", "Start year of the reporting year of the decision date."
    )
    public_report_year = _reporting_year_field(
        "public_report_date", "Start year of the reporting year of the public report date."
    )

    class Meta:
        ordering = ["reference"]
        indexes = [
            models.Index(fields=["authority", "decision_date"]),
            models.Index(fields=["decision_date", "outcome"]),
            # Covering indexes of the statistics' grouped counts: read in group order,
            # without touching the table or sorting. (The first replaces the index on
            # authority and received date, which nothing else reads by.)
            models.Index(
                fields=["authority", "service_area", "received_year"],
                name="casework_case_received_stats",
            ),
            models.Index(
                fields=[
                    "authority",
                    "service_area",
                    "decision_year",
                    "outcome",
                    "remedied_by_authority",
                ],
                name="casework_case_decision_stats",
            ),
            models.Index(
                fields=["public_report_year", "authority", "service_area"],
                condition=models.Q(public_report_year__isnull=False),
                name="casework_case_report_stats",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class Recommendation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recommendations")
    kind = models.CharField(max_length=24, choices=RecommendationKind.choices)
    description = models.TextField(blank=True)
    due_date = models.DateField()
    service_improvement = models.BooleanField(
        default=False, help_text="Changes how the council works (policy, procedure, training)."
    )

    class Meta:
        ordering = ["case", "due_date", "id"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_kind_display()}"


class ComplianceOutcome(models.Model):
    """One per decision, recorded when its recommendations fall due."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="compliance")
    recorded_date = models.DateField()
    outcome = models.CharField(max_length=16, choices=ComplianceResult.choices)
    recorded_year = _reporting_year_field(
        "recorded_date", "Start year of the reporting year of the recorded date."
    )

    class Meta:
        ordering = ["recorded_date"]
        indexes = [models.Index(fields=["recorded_date"])]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_outcome_display()}"


class ImportRun(models.Model):
    """One import of casework that was written to the database: when, from what, and counts.

    Dry runs write nothing, so they leave no record.
    """

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="imports")
    source = models.CharField(
        max_length=200, blank=True, help_text='How it came in, e.g. "import_casework command".'
    )
    user = models.CharField(max_length=150, blank=True, help_text="Who uploaded it, if known.")
    files = models.JSONField(
        default=list, blank=True, help_text="One entry per file: name, kind, rows, sha256."
    )
    cases_added = models.PositiveIntegerField(default=0)
    cases_changed = models.PositiveIntegerField(default=0)
    cases_unchanged = models.PositiveIntegerField(default=0)
    recommendations_added = models.PositiveIntegerField(default=0)
    recommendations_changed = models.PositiveIntegerField(default=0)
    recommendations_unchanged = models.PositiveIntegerField(default=0)
    recommendations_removed = models.PositiveIntegerField(default=0)
    compliance_added = models.PositiveIntegerField(default=0)
    compliance_changed = models.PositiveIntegerField(default=0)
    compliance_unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        names = ", ".join(str(f.get("name", "")) for f in self.files) or self.source
        return f"Import of {self.started_at:%Y-%m-%d %H:%M} ({names})"
