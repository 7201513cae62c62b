"""Response shapes of the councils' own complaint handling and their replies (the OpenAPI
schema is generated from these). Every figure here is reported by the council and not
verified by the ombudsman; a reply is the council's own words."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from councilperf.api.schemas import Page

COUNCILS_OWN = "Reported by the council; not verified by the ombudsman."


def _count(what: str) -> int | None:
    return Field(None, ge=0, description=f"{what} (None: not reported). {COUNCILS_OWN}")


def _share(what: str) -> float | None:
    return Field(None, description=f"{what}, 0 to 1 (None: nothing to divide by). {COUNCILS_OWN}")


class Rating(Schema):
    section: str = Field(description="The Code section's key.")
    heading: str
    rating: str = Field(description="meets, partly or does_not.")
    comment: str


class ComplaintHandling(Schema):
    """A council's own complaint handling in a published year. ``reported`` false: it did not
    report (every count and measure null: "not reported", never zero)."""

    year: str
    authority_code: str
    authority_name: str
    reported: bool
    source: str = Field(description="Always: " + COUNCILS_OWN)
    population: int | None = Field(None, description="Residents, as the year's figures use.")
    stage1_received: int | None = _count("Stage 1 complaints received")
    stage1_responded: int | None = _count("Stage 1 complaints answered")
    stage1_in_time: int | None = _count("Stage 1 answered within 10 working days")
    stage1_upheld: int | None = _count("Stage 1 complaints upheld by the council")
    stage2_received: int | None = _count("Stage 2 complaints received")
    stage2_responded: int | None = _count("Stage 2 complaints answered")
    stage2_in_time: int | None = _count("Stage 2 answered within 20 working days")
    stage2_upheld: int | None = _count("Stage 2 complaints upheld by the council")
    escalated: int | None = _count("Complaints the council knows went on to the ombudsman")
    stage1_per_10k: float | None = Field(
        None, description=f"Stage 1 complaints per 10,000 residents. {COUNCILS_OWN}"
    )
    stage2_per_10k: float | None = Field(
        None, description=f"Stage 2 complaints per 10,000 residents. {COUNCILS_OWN}"
    )
    stage1_in_time_rate: float | None = _share("Stage 1 in time of stage 1 answered")
    stage2_in_time_rate: float | None = _share("Stage 2 in time of stage 2 answered")
    stage1_uphold_rate: float | None = _share("Stage 1 upheld of stage 1 answered")
    stage2_uphold_rate: float | None = _share("Stage 2 upheld of stage 2 answered")
    escalated_share: float | None = _share("Escalated of stage 2 answered")
    self_assessment_url: str
    self_assessment_date: dt.date | None
    signed_off_date: dt.date | None
    self_assessment: list[Rating]
    synthetic: bool


class ComplaintHandlingPage(Page):
    results: list[ComplaintHandling]


class EarlierReply(Schema):
    version: int
    accepted_date: dt.date
    text: str


class ReplyOut(Schema):
    """A council's reply to its annual review letter: its own words, as accepted for
    publication (plain text; paragraphs separated by a blank line)."""

    year: str
    authority_code: str
    authority_name: str
    source: str = Field(description="Always: The council's own words.")
    version: int
    accepted_date: dt.date
    text: str
    earlier_versions: list[EarlierReply]
    synthetic: bool


class ReplyPage(Page):
    results: list[ReplyOut]
