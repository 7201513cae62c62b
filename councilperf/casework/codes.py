"""The casework's codes: outcomes, service areas, kinds of recommendation, compliance
results. Pure: no Django, so validation, parsing and the demo generator can use them.

Each code is a string enum member with a label; ``.values``, ``.labels`` and ``.choices``
give what a model field or a form needs (the same as Django's ``TextChoices``).
"""

from __future__ import annotations

from enum import EnumMeta, StrEnum
from typing import Any


class _CodesMeta(EnumMeta):
    def _members(cls) -> list[Code]:
        return list(cls.__members__.values())

    @property
    def values(cls) -> list[str]:
        return [str(member) for member in cls._members()]

    @property
    def labels(cls) -> list[str]:
        return [member.label for member in cls._members()]

    @property
    def choices(cls) -> list[tuple[str, str]]:
        return [(str(member), member.label) for member in cls._members()]


class Code(StrEnum, metaclass=_CodesMeta):
    """A code with a label: ``UPHELD = "upheld", "Upheld"``."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Any:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member


class Outcome(Code):
    INVALID_OR_INCOMPLETE = "invalid_or_incomplete", "Incomplete/Invalid"
    ADVICE_GIVEN = "advice_given", "Advice given"
    REFERRED_BACK = "referred_back_for_local_resolution", "Referred back for local resolution"
    CLOSED_AFTER_INITIAL_ENQUIRIES = (
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
    )
    NOT_UPHELD = "not_upheld", "Not upheld"
    UPHELD = "upheld", "Upheld"


class ServiceArea(Code):
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


class RecommendationKind(Code):
    APOLOGY = "apology", "Apology"
    FINANCIAL_REDRESS = "financial_redress", "Financial redress"
    PROCEDURE_CHANGE = "procedure_change", "Procedure or policy change"
    TRAINING = "training", "Training"
    RECORDS_CORRECTION = "records_correction", "Add or correct records"
    OTHER = "other", "Other"


class ComplianceResult(Code):
    COMPLIED = "complied", "Complied"
    COMPLIED_LATE = "complied_late", "Complied late"
    NOT_COMPLIED = "not_complied", "Not complied"
