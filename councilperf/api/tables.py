"""The open data files of a published year: each resource's fields, keys and meaning, and
the Frictionless Data Package that describes them (``datapackage.json``).

The statistics resource's columns are the statistics export's (``EXPORT_COLUMNS``) with the
downloads' data dictionary; the case-level resources are defined here once, and the files,
the descriptor and the downloads page's dictionary are all made from these definitions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from councilperf.casework.codes import ComplianceResult, Outcome, RecommendationKind, ServiceArea
from councilperf.groups import GROUP_CODES
from councilperf.portal.code import HEADING, SECTION_KEYS
from councilperf.portal.models import SelfAssessment
from councilperf.published.downloads import DICTIONARY
from councilperf.statistics.measures import METRIC
from councilperf.statistics.selectors import EXPORT_COLUMNS
from councilperf.years import ReportingYear

FORMATS = ("csv", "xlsx", "json")
KINDS = {"text": "string", "whole number": "integer", "fraction": "number", "decimal": "number"}
CODE = r"^E\d{8}$"
RATINGS = tuple(SelfAssessment.Rating.values)
OGL = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
CC_BY = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 (the register of local authorities, mySociety)",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless: string, integer, number, boolean, date
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    pattern: str = ""
    minimum: int | None = None
    unit: str = ""

    def descriptor(self) -> dict[str, Any]:
        found: dict[str, Any] = {"name": self.name, "type": self.type}
        found["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if constraints:
            found["constraints"] = constraints
        if self.unit:
            found["unit"] = self.unit
        return found


@dataclass(frozen=True)
class Resource:
    name: str  # file stem: "decisions" → decisions.csv
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, its field)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


SYNTHETIC = Field("synthetic", "boolean", "true when made from synthetic demonstration data.")
AUTHORITY = Field(
    "authority_code", "string", "The council's GSS code.", required=True, pattern=CODE
)
TO_AUTHORITY = (("authority_code", "authorities", "code"),)


def _statistics_field(name: str, kind: str, meaning: str) -> Field:
    unit = ""
    if kind == "fraction":
        unit = "proportion from 0 to 1"
    elif name.endswith("per_100k"):
        unit = "per 100,000 residents"
    elif kind == "whole number" and name != "revision":
        unit = "residents" if name == "population" else "count"
    return Field(
        name,
        KINDS[kind],
        meaning,
        required=name in ("year", "authority_code", "authority_name", "comparison_group"),
        enum=GROUP_CODES if name == "comparison_group" else (),
        pattern=CODE if name == "authority_code" else "",
        minimum=0 if kind == "whole number" else None,
        unit=unit,
    )


_MEANING = {c.name: c for c in DICTIONARY}
STATISTICS = Resource(
    "statistics",
    "Each council's figures",
    "One row per council existing in the year: counts, rates, intervals and group averages "
    "of the published revision (the statistics export).",
    tuple(
        _statistics_field(c, _MEANING[c].kind, _MEANING[c].meaning)
        for c in EXPORT_COLUMNS
        if c in _MEANING
    ),
    ("authority_code",),
    TO_AUTHORITY,
)

AUTHORITIES = Resource(
    "authorities",
    "Councils",
    "The councils that existed in the year: the codes every other file refers to.",
    (
        Field("code", "string", "GSS code.", required=True, pattern=CODE),
        Field("name", "string", "Official name.", required=True),
        Field("short_name", "string", "Short name."),
        Field("slug", "string", "The address of its page: /councils/<slug>/.", required=True),
        Field("comparison_group", "string", "Comparison group.", enum=GROUP_CODES),
        Field("region", "string", "Region of England."),
        Field("start_date", "date", "First day of existence, if known."),
        Field("end_date", "date", "Last day of existence (abolished councils)."),
    ),
    ("code",),
)

DECISIONS = Resource(
    "decisions",
    "Decisions",
    "Every decision about a council made in the year: public fields only, never a "
    "complainant's details.",
    (
        Field("reference", "string", "The case reference.", required=True),
        AUTHORITY,
        Field("received_date", "date", "When the complaint was received.", required=True),
        Field("decision_date", "date", "When it was decided.", required=True),
        Field("service_area", "string", "Service area code.", enum=tuple(ServiceArea.values)),
        Field("outcome", "string", "Outcome code.", required=True, enum=tuple(Outcome.values)),
        Field(
            "remedied_by_authority",
            "boolean",
            "Upheld, and the council had already put things right satisfactorily.",
        ),
        Field("public_report_date", "date", "Date of a public report, if one was issued."),
        Field("summary", "string", "Summary of the decision."),
        Field("statement_url", "string", "Link to the published decision statement."),
        SYNTHETIC,
    ),
    ("reference",),
    TO_AUTHORITY,
)

IMPROVEMENTS = Resource(
    "service-improvements",
    "Service improvements",
    "Recommendations in the year's decisions that change how a council works, with the "
    "compliance recorded for the decision.",
    (
        Field("case_reference", "string", "The decision's case reference.", required=True),
        Field("number", "integer", "Its number within the decision, from 1.", minimum=1),
        AUTHORITY,
        Field("decision_date", "date", "When the decision was made.", required=True),
        Field("service_area", "string", "Service area code.", enum=tuple(ServiceArea.values)),
        Field("kind", "string", "Recommendation kind.", enum=tuple(RecommendationKind.values)),
        Field("description", "string", "What the council was asked to do."),
        Field("due_date", "date", "When it fell due.", required=True),
        Field(
            "compliance",
            "string",
            "Compliance recorded for the decision; blank while none is recorded.",
            enum=tuple(ComplianceResult.values),
        ),
        Field("compliance_recorded", "date", "When the compliance was recorded."),
        SYNTHETIC,
    ),
    ("case_reference", "number"),
    (*TO_AUTHORITY, ("case_reference", "decisions", "reference")),
)

COMPLIANCE = Resource(
    "compliance",
    "Compliance with recommendations",
    "The compliance outcome recorded for each of the year's decisions with recommendations.",
    (
        Field("case_reference", "string", "The decision's case reference.", required=True),
        AUTHORITY,
        Field(
            "outcome",
            "string",
            "complied, complied_late or not_complied.",
            required=True,
            enum=tuple(ComplianceResult.values),
        ),
        Field("recorded_date", "date", "When it was recorded.", required=True),
        SYNTHETIC,
    ),
    ("case_reference",),
    (*TO_AUTHORITY, ("case_reference", "decisions", "reference")),
)

METHOD_NOTES = Resource(
    "method-notes",
    "Method notes",
    "The changes of method recorded against the year, as the API's years and the site's "
    "trend tables show them: one row per note, none when the method did not change.",
    (
        Field("year", "string", "The reporting year.", required=True, pattern=r"^\d{4}-\d{2}$"),
        Field(
            "number",
            "integer",
            "The note's number within the year, from 1.",
            required=True,
            minimum=1,
        ),
        Field(
            "measure",
            "string",
            "The measure's code it is about; blank when about every measure.",
            enum=tuple(METRIC),
        ),
        Field(
            "group",
            "string",
            "The comparison group it is about; blank when about every group.",
            enum=GROUP_CODES,
        ),
        Field("text", "string", "What changed, for the public.", required=True),
    ),
    ("number",),
)
OWN = "Reported by the council; not verified by the ombudsman."
YEAR = Field("year", "string", "The reporting year.", required=True, pattern=r"^\d{4}-\d{2}$")
_OWN_FIGURES = (  # (column, what it is, its unit): portal.handling's counts and measures
    *((f"stage{n}_{c}", f"Stage {n} complaints {w}", "count") for n in (1, 2) for c, w in (
        ("received", "received"), ("responded", "answered"), ("upheld", "upheld by it"),
        ("in_time", f"answered within {10 * n} working days"),
    )),
    ("escalated", "Complaints it knows went on to the ombudsman", "count"),
    *((f"stage{n}_per_10k", f"Stage {n} complaints", "per 10,000 residents") for n in (1, 2)),
    *((f"stage{n}_{c}_rate", f"Stage {n} {w} of those answered", "proportion from 0 to 1")
      for n in (1, 2) for c, w in (("in_time", "in time"), ("uphold", "upheld"))),
    ("escalated_share", "Escalated of stage 2 answered", "proportion from 0 to 1"),
)  # fmt: skip
_OWN_FIELDS = tuple(
    Field(name, "integer", f"{what}. {OWN}", minimum=0, unit=unit)
    if unit == "count"
    else Field(name, "number", f"{what}. {OWN}", unit=unit)
    for name, what, unit in _OWN_FIGURES
)
_CODE_FIELDS = tuple(f for key in SECTION_KEYS for f in (
    Field(f"code_{key}", "string", f"Own rating: {HEADING[key]}.", enum=RATINGS),
    Field(f"code_{key}_comment", "string", f"Its comment: {HEADING[key]}."),
))  # fmt: skip
COMPLAINT_HANDLING = Resource(
    "complaint-handling",
    "Councils' own complaint handling",
    f"{OWN} One row per council with figures in the year: its own stage 1 and 2 complaints "
    "under the Complaint Handling Code and its self-assessment; reported false and every "
    "figure blank when it did not report (not reported, never zero).",
    (
        YEAR,
        AUTHORITY,
        Field("authority_name", "string", "Official name.", required=True),
        Field("reported", "boolean", "Whether the council reported (signed off).", required=True),
        Field("population", "integer", "Residents, as the year's figures use.", minimum=0),
        *_OWN_FIELDS,
        Field("self_assessment_url", "string", "The council's published self-assessment."),
        Field("self_assessment_date", "date", "When its members considered it."),
        Field("signed_off_date", "date", "When the council's approver signed the return off."),
        *_CODE_FIELDS,
        SYNTHETIC,
    ),
    ("authority_code",),
    TO_AUTHORITY,
)
REPLIES = Resource(
    "replies",
    "Councils' replies to their letters",
    "The council's own words, as accepted for publication: every accepted version of each "
    "council's reply to its letter for the year (current marks the one shown).",
    (
        YEAR,
        AUTHORITY,
        Field("version", "integer", "The version's number, from 1.", required=True, minimum=1),
        Field("current", "boolean", "The version the council's page shows.", required=True),
        Field("accepted_date", "date", "When a publisher accepted it.", required=True),
        Field("text", "string", "Plain text; a blank line between paragraphs.", required=True),
        SYNTHETIC,
    ),
    ("authority_code", "version"),
    TO_AUTHORITY,
)
RESOURCES: tuple[Resource, ...] = (
    AUTHORITIES,
    STATISTICS,
    DECISIONS,
    IMPROVEMENTS,
    COMPLIANCE,
    METHOD_NOTES,
    COMPLAINT_HANDLING,
    REPLIES,
)
BY_NAME = {r.name: r for r in RESOURCES}


def resource_descriptor(resource: Resource, path: str) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [f.descriptor() for f in resource.fields],
        "missingValues": [""],
        "primaryKey": list(resource.primary_key),
    }
    if resource.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": field, "reference": {"resource": other, "fields": key}}
            for field, other, key in resource.foreign_keys
        ]
    found: dict[str, Any] = {
        "name": resource.name,
        "title": resource.title,
        "description": resource.description,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }
    if resource is AUTHORITIES:
        found["licenses"] = [CC_BY]
    return found


def package(
    *,
    year: ReportingYear,
    revision: int,
    synthetic: bool,
    licence: dict[str, str],
    site: str,
    published: str,
    method_notes: Sequence[Mapping[str, Any]],
    reference: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The Data Package descriptor of a year's files (CSV resources beside it); the year's
    method notes are also written into it (``method_notes``), as in method-notes.csv, and
    the population estimates and boundaries the year used (``population_and_boundaries``:
    ``published.sources``)."""
    found = {
        "profile": "tabular-data-package",
        "name": f"council-performance-{year}",
        "title": f"Council performance {year}: complaints decided about councils in England",
        "description": (
            f"The ombudsman's published figures for {year} (revision {revision}), its "
            "decisions, service improvements and compliance, one file per resource. "
            + ("Synthetic demonstration data, not real figures. " if synthetic else "")
            + "The same files as CSV, XLSX and JSON are on the downloads page."
        ),
        "version": f"{year}.{revision}",
        "created": published,
        "keywords": ["local government", "complaints", "ombudsman", "England"],
        "synthetic": synthetic,
        "method_notes": [dict(n) for n in method_notes],
        "population_and_boundaries": dict(reference or {}),
        "licenses": [licence],
        "sources": [
            {"title": "Council Performance: the ombudsman's casework"},
            {
                "title": "Register of local authorities, mySociety (CC BY 4.0)",
                "path": "https://github.com/mysociety/uk_local_authority_names_and_codes",
            },
            {
                "title": "Population estimates and boundaries, Office for National Statistics "
                "(Open Government Licence v3.0; contains OS data © Crown copyright and "
                "database right)",
                "path": "https://geoportal.statistics.gov.uk/",
            },
        ],
        "contributors": [{"title": "The ombudsman", "role": "publisher"}],
        "resources": [resource_descriptor(r, f"{r.name}.csv") for r in RESOURCES],
    }
    if site:
        found["homepage"] = f"{site}/downloads/"
    return found
