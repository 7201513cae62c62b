"""The ombudsman's default letter text, as data.

``<letter year>.md`` is the body of that year's letter (the 2020 one is the published
North East Derbyshire letter's text); the other fields are the same every year unless staff
change them in the admin. A year without a template of its own starts as a copy of the
previous year's (see ``services.template_for_year``); these defaults are only the seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent

# The first line of every body written for this project rather than taken from a letter.
DEMONSTRATION = "<!-- Demonstration text written for Council Performance"

LETTERHEAD = "Local Government & Social Care\nOMBUDSMAN"
TITLE = "Annual Review letter {letter_year}"
DELIVERY_LINE = "By email"
SIGN_OFF = "Yours sincerely,"
SIGNATORY = (
    "Michael King\n"
    "Local Government and Social Care Ombudsman\n"
    "Chair, Commission for Local Administration in England"
)
MAP_URL = "https://www.lgo.org.uk/your-councils-performance"
GUIDANCE_URL = (
    "https://www.lgo.org.uk/information-centre/reports/annual-review-reports/"
    "interpreting-local-authority-statistics"
)


@dataclass(frozen=True, slots=True)
class DefaultBody:
    letter_year: int
    text: str


def available_years() -> list[int]:
    return sorted(int(path.stem) for path in DIRECTORY.glob("[0-9][0-9][0-9][0-9].md"))


def default_body(letter_year: int) -> DefaultBody:
    """The body for ``letter_year``: its own file, else the latest earlier one, else the first."""
    years = available_years()
    if not years:
        raise FileNotFoundError(f"no default letter bodies in {DIRECTORY}")
    earlier = [year for year in years if year <= letter_year]
    chosen = earlier[-1] if earlier else years[0]
    return DefaultBody(chosen, (DIRECTORY / f"{chosen}.md").read_text(encoding="utf-8"))
