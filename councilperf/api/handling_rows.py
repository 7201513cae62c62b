"""Councils' own complaint handling and their replies as records: one definition of the
fields for the API (``handling_endpoints``) and the year's open data files (``builds``).

Both read the public doorways (``published.handling``, ``published.replies``), which return
nothing of a year before it is published.
"""

from __future__ import annotations

from typing import Any

from councilperf.portal import handling as measure
from councilperf.portal.code import SECTION_KEYS
from councilperf.published.handling import NOT_VERIFIED, Handling, year_handling
from councilperf.published.replies import OWN_WORDS, PublicReply, year_replies
from councilperf.years import ReportingYear

Row = dict[str, Any]


def handling_record(h: Handling) -> Row:
    """One council's own complaint handling in a year, as the API answers it."""
    counts = {name: getattr(h.counts, name) for name in measure.COUNTS}
    measures = {name: measure.as_number(v) for name, v in h.measures.as_dict().items()}
    return {
        "year": h.year.label,
        "authority_code": h.authority_code,
        "authority_name": h.authority_name,
        "reported": h.reported,
        "source": NOT_VERIFIED,
        "population": h.population,
        **counts,
        **measures,
        "self_assessment_url": h.self_assessment_url,
        "self_assessment_date": h.self_assessment_date,
        "signed_off_date": h.signed_off,
        "self_assessment": [
            {"section": a.section, "heading": a.heading, "rating": a.rating, "comment": a.comment}
            for a in h.assessments
        ],
        "synthetic": h.synthetic,
    }


def handling_row(h: Handling) -> Row:
    """The same record flat, as the open data's complaint-handling file has it: one rating
    and one comment column per section of the Code."""
    found = handling_record(h)
    rated = {a["section"]: a for a in found.pop("self_assessment")}
    found.pop("source")
    for key in SECTION_KEYS:
        found[f"code_{key}"] = rated[key]["rating"] if key in rated else None
        found[f"code_{key}_comment"] = rated[key]["comment"] if key in rated else None
    return found


def reply_record(r: PublicReply) -> Row:
    """One council's reply to its letter, as the API answers it (its earlier versions too)."""
    return {
        "year": r.year.label,
        "authority_code": r.authority_code,
        "authority_name": r.authority_name,
        "source": OWN_WORDS,
        "version": r.current.number,
        "accepted_date": r.current.accepted,
        "text": r.current.text,
        "earlier_versions": [
            {"version": v.number, "accepted_date": v.accepted, "text": v.text} for v in r.earlier
        ],
        "synthetic": r.synthetic,
    }


def reply_rows(year: ReportingYear) -> list[Row]:
    """Every accepted version of the year's replies, one row each, ``current`` marking the
    one shown (the open data's replies file)."""
    rows: list[Row] = []
    for r in year_replies(year):
        for v, current in [(r.current, True), *((e, False) for e in r.earlier)]:
            rows.append(
                {
                    "year": r.year.label,
                    "authority_code": r.authority_code,
                    "version": v.number,
                    "current": current,
                    "accepted_date": v.accepted,
                    "text": v.text,
                    "synthetic": r.synthetic,
                }
            )
    return rows


def handling_rows(year: ReportingYear) -> list[Row]:
    return [handling_row(h) for h in year_handling(year)]


def handling_records(year: ReportingYear, authority: str = "") -> list[Row]:
    return [
        handling_record(h)
        for h in year_handling(year)
        if not authority or h.authority_code == authority
    ]


def reply_records(year: ReportingYear, authority: str = "") -> list[Row]:
    return [
        reply_record(r)
        for r in year_replies(year)
        if not authority or r.authority_code == authority
    ]
