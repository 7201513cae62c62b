"""Short synthetic decision summaries and recommendation wording. Pure: no Django, no I/O.

Texts are built from a few phrases per service area, so many cases share the same string
object (memory matters at ``--scale 10``). They name no one: "the complainant".
"""

from __future__ import annotations

from functools import lru_cache

ISSUES: dict[str, tuple[str, ...]] = {
    "adult_care": (
        "delayed a care needs assessment",
        "charged too much for residential care",
        "did not plan a hospital discharge properly",
    ),
    "benefits_and_tax": (
        "took council tax recovery action wrongly",
        "delayed a housing benefit claim",
        "refused a council tax reduction without giving reasons",
    ),
    "corporate_and_other": (
        "did not answer a complaint properly",
        "mishandled a request for information",
        "kept poor records of a decision",
    ),
    "education_and_childrens": (
        "delayed issuing an education, health and care plan",
        "did not arrange suitable education while a child was out of school",
        "mishandled a school transport application",
    ),
    "environment_and_regulation": (
        "repeatedly missed bin collections",
        "did not deal properly with reports of noise nuisance",
        "failed to act on a licensing complaint",
    ),
    "highways_and_transport": (
        "issued a parking penalty wrongly",
        "did not repair a reported highway defect",
        "delayed a blue badge application",
    ),
    "housing": (
        "delayed a homelessness decision",
        "placed a family in unsuitable temporary accommodation",
        "did not deal properly with reports of disrepair",
    ),
    "planning_and_development": (
        "did not consider a neighbour's objections to a planning application",
        "failed to take planning enforcement action",
        "gave misleading pre-application advice",
    ),
}

REASONS_NOT_INVESTIGATED = (
    "the complainant could reasonably have appealed to a tribunal",
    "further investigation would not lead to a different outcome",
    "the complaint was made too late",
)

REMEDY_VERBS: dict[str, str] = {
    "apology": "apologise",
    "financial_redress": "make a payment to the complainant",
    "records_correction": "correct its records",
    "other": "take further action to put things right",
    "procedure_change": "review its procedures",
    "training": "remind or train relevant staff",
}

PAYMENTS = (100, 150, 200, 250, 300, 500, 750, 1000)

AREA_PHRASES: dict[str, str] = {
    "adult_care": "care assessments and charging",
    "benefits_and_tax": "benefit claims and council tax recovery",
    "corporate_and_other": "complaint handling",
    "education_and_childrens": "education, health and care plans",
    "environment_and_regulation": "waste collection and enforcement",
    "highways_and_transport": "highway inspections and parking",
    "housing": "homelessness and housing applications",
    "planning_and_development": "planning applications and enforcement",
}


def _join(verbs: tuple[str, ...]) -> str:
    if len(verbs) == 1:
        return verbs[0]
    return ", ".join(verbs[:-1]) + " and " + verbs[-1]


@lru_cache(maxsize=4096)
def summary(
    service_area: str,
    issue: int,
    outcome: str,
    remedied: bool = False,
    kinds: tuple[str, ...] = (),
    reason: int = 0,
) -> str:
    """A one-paragraph decision statement summary."""
    issues = ISSUES[service_area]
    opening = f"The complainant said the Council {issues[issue % len(issues)]}."
    if outcome == "closed_after_initial_enquiries":
        why = REASONS_NOT_INVESTIGATED[reason % len(REASONS_NOT_INVESTIGATED)]
        return f"{opening} We will not investigate the complaint because {why}."
    if outcome == "not_upheld":
        return f"{opening} We found no fault in how the Council acted."
    if remedied:
        return (
            f"{opening} The Council had already accepted fault and put things right before the "
            "complaint came to us, and we were satisfied with its remedy."
        )
    if not kinds:
        return (
            f"{opening} We found fault, but it did not cause the complainant a significant "
            "injustice."
        )
    verbs = tuple(REMEDY_VERBS[k] for k in kinds)
    return f"{opening} We found fault causing injustice. The Council agreed to {_join(verbs)}."


@lru_cache(maxsize=1024)
def recommendation_description(kind: str, service_area: str, variant: int = 0) -> str:
    if kind == "apology":
        return "Apologise to the complainant in writing."
    if kind == "financial_redress":
        amount = PAYMENTS[variant % len(PAYMENTS)]
        return f"Pay the complainant £{amount:,} for the distress and uncertainty caused."
    if kind == "records_correction":
        return "Correct the complainant's records."
    if kind == "other":
        return "Reconsider the complainant's case without the fault we found."
    area = AREA_PHRASES[service_area]
    if kind == "procedure_change":
        return f"Review its procedures for {area} and tell us what it has changed."
    return f"Remind staff dealing with {area} of the law and guidance."
