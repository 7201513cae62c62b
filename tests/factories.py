"""Small builders for test data about fictional councils (Borsetshire and friends)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from councilperf.authorities.models import Authority, AuthorityYear, Contact
from councilperf.casework.models import Case, ComplianceOutcome, Dataset, Recommendation
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import freeze_statistics
from councilperf.years import ReportingYear

_seq = itertools.count(1)


def make_authority(
    *,
    name: str = "Borsetshire",
    group: str = "district",
    gss_code: str | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    years: tuple[str, ...] = ("2019-20",),
    population: int | None = 100_000,
) -> Authority:
    n = next(_seq)
    prefix = {
        "county": "E10",
        "district": "E07",
        "metropolitan": "E08",
        "unitary": "E06",
        "london": "E09",
    }[group]
    register_type = {
        "county": "CTY",
        "district": "NMD",
        "metropolitan": "MD",
        "unitary": "UA",
        "london": "LBO",
    }[group]
    authority = Authority.objects.create(
        gss_code=gss_code or f"{prefix}9{n:05d}",
        register_code=f"T{n:03d}",
        official_name=f"{name} Council",
        short_name=name,
        slug=f"{name.lower().replace(' ', '-')}-{n}",
        register_type=register_type,
        group=group,
        region="Test Region",
        start_date=start_date,
        end_date=end_date,
    )
    for label in years:
        AuthorityYear.objects.create(
            authority=authority,
            year=label,
            group=group,
            population=population,
            population_estimate=ReportingYear.parse(label).start_year if population else None,
        )
    return authority


def make_dataset(*, synthetic: bool = False) -> Dataset:
    slug = "demo" if synthetic else "test"
    dataset, _ = Dataset.objects.get_or_create(
        slug=slug, defaults={"name": slug.title(), "synthetic": synthetic}
    )
    return dataset


def make_case(*, authority: Authority, **fields: Any) -> Case:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "reference": f"19 {n:03d} {n:03d}",
        "received_date": dt.date(2019, 5, 1),
        "dataset": fields.pop("dataset", None) or make_dataset(),
    }
    defaults.update(fields)
    return Case.objects.create(authority=authority, **defaults)


def make_recommendation(*, case: Case, **fields: Any) -> Recommendation:
    defaults: dict[str, Any] = {"kind": "procedure_change", "due_date": dt.date(2019, 9, 1)}
    defaults.update(fields)
    return Recommendation.objects.create(case=case, **defaults)


def make_compliance(
    *, case: Case, outcome: str = "complied", recorded_date: dt.date = dt.date(2019, 10, 1)
) -> ComplianceOutcome:
    return ComplianceOutcome.objects.create(case=case, outcome=outcome, recorded_date=recorded_date)


# Letters (review years and the contacts letters are addressed to).


def make_review_year(
    *,
    year: str = "2019-20",
    letter_date: dt.date | None = dt.date(2020, 7, 22),
    publication_date: dt.date | None = dt.date(2020, 7, 29),
) -> ReviewYear:
    review_year, _ = ReviewYear.objects.update_or_create(
        year=year, defaults={"letter_date": letter_date, "publication_date": publication_date}
    )
    return review_year


def make_contact(
    *,
    authority: Authority,
    role: str = "chief_executive",
    name: str = "Ms Grundy",
    job_title: str = "Chief Executive",
    email: str | None = None,
) -> Contact:
    return Contact.objects.create(
        authority=authority,
        role=role,
        name=name,
        job_title=job_title,
        email=email or f"{role}@{authority.slug}.example.org",
    )


def publish_year(year: str = "2019-20") -> ReviewYear:
    """Make ``year`` public as far as the data goes: frozen (if it is not yet) and approved
    by a publisher (the approval record ``lifecycle.approve_year`` writes, without its
    readiness checks: these worlds have no letters). It is public once its publication date
    has come (``councilperf.published.years.snapshot``)."""
    from django.utils import timezone

    from councilperf.distribution.models import YearCycle

    review_year = ReviewYear.objects.filter(year=year).first()
    if review_year is None or review_year.status != ReviewYear.Status.FROZEN:
        freeze_statistics(year=ReportingYear.parse(year))
        review_year = ReviewYear.objects.get(year=year)
    latest = review_year.revisions.filter(number__isnull=False).order_by("-number").first()
    assert latest is not None
    YearCycle.objects.update_or_create(
        review_year=review_year,
        defaults={"approved_revision": latest.number, "approved_at": timezone.now()},
    )
    return review_year
