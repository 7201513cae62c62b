"""The API's response shapes (pydantic models through django-ninja): the OpenAPI 3.1 schema at
``/api/v1/openapi.json`` is generated from these, so the documentation cannot drift from the
responses. Within v1 fields may be added; none is removed, renamed or changes type."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class Problem(Schema):
    """An error, as RFC 9457 problem details (``application/problem+json``)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""


class BadParameter(Problem):
    """A filter value that names nothing (400): which parameter, the value, what is allowed."""

    parameter: str
    value: str
    allowed: list[str]


class MethodNote(Schema):
    measure: str  # "" for every measure
    group: str  # "" for every group
    text: str


class EstimateUsed(Schema):
    estimate_year: int | None  # the ONS mid-year estimate (e.g. 2024 for mid-2024)
    file: str  # the reference file it was read from
    title: str
    councils: int  # how many councils' figures used it


class BoundariesUsed(Schema):
    tier: str  # "upper" (counties and unitaries) or "lower" (districts and unitaries)
    vintage: str
    title: str
    councils: int


class PopulationAndBoundaries(Schema):
    """Which ONS population estimates the year's figures used and which boundaries draw it."""

    estimates: list[EstimateUsed]
    boundaries: list[BoundariesUsed]
    notes: list[str]  # caveats, e.g. the step between two releases of the estimates


class Year(Schema):
    year: str
    status: str
    revision: int
    publication_date: dt.date
    letter_date: dt.date | None
    synthetic: bool
    peer_method: str
    small_number_threshold: int
    revision_reason: str
    methodology: str
    method_notes: list[MethodNote]
    population_and_boundaries: PopulationAndBoundaries


class AuthorityLink(Schema):
    code: str
    name: str
    slug: str


class AuthoritySummary(Schema):
    code: str
    register_code: str
    name: str
    short_name: str
    slug: str
    group: str
    region: str
    start_date: dt.date | None
    end_date: dt.date | None
    years: list[str]
    page: str


class AuthorityDetail(AuthoritySummary):
    county: AuthorityLink | None
    predecessors: list[AuthorityLink]
    successors: list[AuthorityLink]


class Interval(Schema):
    lower: float
    upper: float
    level: float


class MeasureOut(Schema):
    code: str
    label: str
    kind: str
    better: str
    numerator: int
    numerator_label: str
    denominator: int | None
    denominator_label: str
    rate_fraction: str | None
    rate: float | None
    interval: Interval | None
    peer_average_fraction: str | None
    peer_average: float | None
    comparison: str | None
    small_number: bool
    page: str  # the figure's permanent address: its council page and anchor


class AuthorityFiguresOut(Schema):
    year: str
    revision: int | None
    authority_code: str
    authority_name: str
    slug: str
    comparison_group: str
    comparison_label: str
    peer_method: str
    population: int | None
    synthetic: bool
    counts: dict[str, int]
    measures: list[MeasureOut]
    page: str


class FigureRow(Schema):
    """One measure of one council in one published year (the time series' tidy row)."""

    year: str
    revision: int | None
    authority_code: str
    authority_name: str
    slug: str
    comparison_group: str
    region: str
    measure: str
    label: str
    kind: str
    better: str
    numerator: int
    numerator_label: str
    denominator: int | None
    denominator_label: str
    rate_fraction: str | None
    rate: float | None
    interval: Interval | None
    peer_average_fraction: str | None
    peer_average: float | None
    comparison: str | None
    small_number: bool
    population: int | None
    population_estimate: int | None  # the ONS mid-year estimate used (e.g. 2023)
    population_file: str  # the reference file it was read from
    synthetic: bool
    page: str


class Average(Schema):
    code: str
    label: str
    average_fraction: str | None
    average: float | None


class GroupFiguresOut(Schema):
    year: str
    revision: int | None
    group: str
    label: str
    authorities: int
    population: int | None
    synthetic: bool
    counts: dict[str, int]
    averages: list[Average]


class Decision(Schema):
    reference: str
    authority_code: str
    received_date: dt.date
    decision_date: dt.date
    service_area: str
    outcome: str
    remedied_by_authority: bool
    public_report_date: dt.date | None
    summary: str
    statement_url: str
    synthetic: bool


class ServiceImprovement(Schema):
    case_reference: str
    authority_code: str
    decision_date: dt.date
    service_area: str
    kind: str
    description: str
    due_date: dt.date
    compliance: str | None
    compliance_recorded: dt.date | None
    synthetic: bool


class LetterOut(Schema):
    year: str
    authority_code: str
    title: str
    html_url: str
    pdf_url: str
    content_hash: str
    synthetic: bool


class Page(Schema):
    count: int
    page: int
    per_page: int
    pages: int
    next: str | None
    previous: str | None


class AuthorityPage(Page):
    results: list[AuthoritySummary]


class FiguresPage(Page):
    results: list[AuthorityFiguresOut]


class DecisionPage(Page):
    results: list[Decision]


class ImprovementPage(Page):
    results: list[ServiceImprovement]


class FigureRowPage(Page):
    results: list[FigureRow]


class AuthorityYearsPage(Page):
    results: list[AuthorityFiguresOut]
