"""Each letter year's own facts, as data. Pure: no Django, no I/O.

These rows seed only the historical demo years: a later year is started by staff as a copy
of the latest year's template (``distribution/yearstart.py``). A historical year's template
starts from its row here and from ``<letter year>.md`` (its body): who
signs, the letter and publication dates, who receives a copy, and which statistics blocks
the letter shows. The 2020 body is the published North East Derbyshire letter's text; every
other body is demonstration text written for this project (it says so in its first lines)
and describes no real year's events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

KING = (
    "Michael King",
    "Local Government and Social Care Ombudsman",
    "Chair, Commission for Local Administration in England",
)
NAJSAREK = (
    "Paul Najsarek",
    "Interim Local Government and Social Care Ombudsman",
    "Interim Chair, Commission for Local Administration in England",
)
SOMAL = (
    "Amerdeep Somal",
    "Local Government and Social Care Ombudsman",
    "Chair, Commission for Local Administration in England",
)

CLASSIC_BLOCKS = ("upheld", "compliance", "remedy")
COPIES = ("link_officer", "leader", "scrutiny_chair")


@dataclass(frozen=True, slots=True)
class YearFacts:
    letter_year: int  # the year the letter is sent: 2020 for the 2019-20 figures
    signatory: tuple[str, ...]  # name, then one role per line
    letter_date: dt.date
    publication_date: dt.date
    copies: tuple[str, ...] = COPIES  # contact roles copied in, beside the chief executive
    blocks: tuple[str, ...] = CLASSIC_BLOCKS
    demonstration: bool = True  # the body is this project's text, not a published letter

    @property
    def signatory_text(self) -> str:
        return "\n".join(self.signatory)


FACTS: tuple[YearFacts, ...] = (
    YearFacts(2019, KING, dt.date(2019, 7, 24), dt.date(2019, 7, 31)),
    YearFacts(2020, KING, dt.date(2020, 7, 22), dt.date(2020, 7, 29), demonstration=False),
    YearFacts(2021, KING, dt.date(2021, 7, 21), dt.date(2021, 7, 28)),
    YearFacts(2022, KING, dt.date(2022, 7, 20), dt.date(2022, 7, 27)),
    YearFacts(2023, NAJSAREK, dt.date(2023, 7, 12), dt.date(2023, 7, 19)),
    YearFacts(
        2024,
        SOMAL,
        dt.date(2024, 7, 17),
        dt.date(2024, 7, 24),
        blocks=(*CLASSIC_BLOCKS, "upheld_per_100k"),
    ),
    YearFacts(
        2025,
        SOMAL,
        dt.date(2025, 5, 21),
        dt.date(2025, 7, 16),
        copies=(*COPIES, "monitoring_officer"),
        blocks=(*CLASSIC_BLOCKS, "upheld_per_100k", "late_remedy", "categories"),
    ),
)
BY_LETTER_YEAR: dict[int, YearFacts] = {facts.letter_year: facts for facts in FACTS}


def facts_for(letter_year: int) -> YearFacts | None:
    return BY_LETTER_YEAR.get(letter_year)


def latest_before(letter_year: int) -> YearFacts | None:
    """The facts of the latest historical year before ``letter_year`` (None before them all)."""
    earlier = [facts for facts in FACTS if facts.letter_year < letter_year]
    return max(earlier, key=lambda facts: facts.letter_year) if earlier else None
