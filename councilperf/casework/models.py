"""The ombudsman's casework: cases and their decisions, recommendations, compliance outcomes.

Definitions are in ../shared/guide/DOMAIN.md.
"""

from __future__ import annotations

from django.db import models

from councilperf.authorities.models import Authority


class Outcome(models.TextChoices):
    INVALID_OR_INCOMPLETE = "invalid_or_incomplete", "Incomplete/Invalid"
    ADVICE_GIVEN = "advice_given", "Advice given"
    REFERRED_BACK = "referred_back_for_local_resolution", "Referred back for local resolution"
    CLOSED_AFTER_INITIAL_ENQUIRIES = (
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
    )
    NOT_UPHELD = "not_upheld", "Not upheld"
    UPHELD = "upheld", "Upheld"


# Detailed investigations are the decisions with one of these outcomes.
DETAILED_INVESTIGATION_OUTCOMES = (Outcome.UPHELD, Outcome.NOT_UPHELD)


class ServiceArea(models.TextChoices):
    ADULT_CARE = "adult_care", "Adult care services"
    BENEFITS_AND_TAX = "benefits_and_tax", "Benefits & tax"
    CORPORATE_AND_OTHER = "corporate_and_other", "Corporate & other services"
    EDUCATION_AND_CHILDRENS = "education_and_childrens", "Education & children's services"
    ENVIRONMENT_AND_REGULATION = (
        "environment_and_regulation",
        "Environmental services & public protection & regulation",
    )
    HIGHWAYS_AND_TRANSPORT = "highways_and_transport", "Highways & transport"
    HOUSING = "housing", "Housing"
    PLANNING_AND_DEVELOPMENT = "planning_and_development", "Planning & development"


class RecommendationKind(models.TextChoices):
    APOLOGY = "apology", "Apology"
    FINANCIAL_REDRESS = "financial_redress", "Financial redress"
    PROCEDURE_CHANGE = "procedure_change", "Procedure or policy change"
    TRAINING = "training", "Training"
    RECORDS_CORRECTION = "records_correction", "Add or correct records"
    OTHER = "other", "Other"


class ComplianceResult(models.TextChoices):
    COMPLIED = "complied", "Complied"
    COMPLIED_LATE = "complied_late", "Complied late"
    NOT_COMPLIED = "not_complied", "Not complied"


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

    class Meta:
        ordering = ["reference"]
        indexes = [
            models.Index(fields=["authority", "decision_date"]),
            models.Index(fields=["authority", "received_date"]),
            models.Index(fields=["decision_date", "outcome"]),
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
