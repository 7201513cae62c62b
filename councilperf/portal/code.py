"""The Complaint Handling Code's sections, as councils rate themselves against them (pure).

The ombudsman's Code for councils (issued February 2024, aligned with the Housing
Ombudsman's; applies to complaints from 1 April 2026) sets stage 1 answers within 10 working
days and stage 2 within 20, and asks councils to self-assess against each section yearly.
"""

from __future__ import annotations

from typing import Final

STAGE1_WORKING_DAYS: Final = 10
STAGE2_WORKING_DAYS: Final = 20
FIRST_FULL_YEAR: Final = "2026-27"

# (key, heading): the key is what files and the API carry; the heading is what people read.
SECTIONS: Final[tuple[tuple[str, str], ...]] = (
    ("definition", "Definition of a complaint"),
    ("exclusions", "Exclusions"),
    ("accessibility", "Accessibility and awareness"),
    ("staff", "Complaint handling staff"),
    ("process", "The complaint handling process"),
    ("stages", "Complaint stages"),
    ("remedies", "Putting things right"),
    ("reporting", "Self-assessment, reporting and compliance"),
    ("learning", "Scrutiny and oversight: continuous learning and improvement"),
)
SECTION_KEYS: Final = tuple(key for key, _ in SECTIONS)
HEADING: Final = dict(SECTIONS)

# The counts of a return, in the order forms, files and tables give them: (field, label).
COUNTS: Final[tuple[tuple[str, str], ...]] = (
    ("stage1_received", "Stage 1 complaints received"),
    ("stage1_responded", "Stage 1 complaints answered"),
    ("stage1_in_time", f"Stage 1 complaints answered within {STAGE1_WORKING_DAYS} working days"),
    ("stage1_upheld", "Stage 1 complaints upheld"),
    ("stage2_received", "Stage 2 complaints received"),
    ("stage2_responded", "Stage 2 complaints answered"),
    ("stage2_in_time", f"Stage 2 complaints answered within {STAGE2_WORKING_DAYS} working days"),
    ("stage2_upheld", "Stage 2 complaints upheld"),
    ("escalated", "Complaints escalated to the ombudsman"),
)
COUNT_KEYS: Final = tuple(key for key, _ in COUNTS)

# (smaller, larger): the smaller count may not exceed the larger.
NOT_MORE_THAN: Final[tuple[tuple[str, str], ...]] = (
    ("stage1_responded", "stage1_received"),
    ("stage1_in_time", "stage1_responded"),
    ("stage1_upheld", "stage1_responded"),
    ("stage2_received", "stage1_responded"),
    ("stage2_responded", "stage2_received"),
    ("stage2_in_time", "stage2_responded"),
    ("stage2_upheld", "stage2_responded"),
    ("escalated", "stage2_responded"),
)
