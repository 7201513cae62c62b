"""Fixtures for letters: the reference letter's authority, contact, year and statistics."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest
from django.conf import settings

from councilperf.authorities.models import Authority
from councilperf.letters.wording import LetterStatistics
from councilperf.statistics.models import ReviewYear
from tests.factories import make_authority, make_contact, make_review_year

# The shared reference material sits beside the shared data (../shared/reference).
REFERENCE_LETTER = (
    Path(settings.REFERENCE_DATA_DIR).parent
    / "reference"
    / "annual-review-letter-2020-north-east-derbyshire.txt"
)


@pytest.fixture
def review_year(db: None) -> ReviewYear:
    return make_review_year(
        year="2019-20", letter_date=dt.date(2020, 7, 22), publication_date=dt.date(2020, 7, 29)
    )


@pytest.fixture
def north_east_derbyshire(db: None) -> Authority:
    authority = make_authority(name="North East Derbyshire District", gss_code="E07000038")
    make_contact(authority=authority, name="Mr Hickin", job_title="Director of Corporate Resources")
    return authority


def reference_statistics(**changes: object) -> LetterStatistics:
    """North East Derbyshire's 2019-20 figures as in the reference letter (demo data)."""
    fields: dict[str, object] = {
        "year": "2019-20",
        "authority_code": "E07000038",
        "authority_name": "North East Derbyshire District Council",
        "comparison_group": "district",
        "detailed_investigations": 2,
        "upheld": 0,
        "upheld_with_satisfactory_remedy": 0,
        "compliance_outcomes": 0,
        "not_complied": 0,
        "peer_upheld_rate": Fraction(89, 200),  # 44.5 % on the exact fraction: shown as 45%
        "peer_satisfactory_remedy_rate": Fraction(1, 8),
        "peer_compliance_rate": Fraction(99, 100),
        "revision": 1,
        "synthetic": True,
    }
    fields.update(changes)
    return LetterStatistics(**fields)  # type: ignore[arg-type]
