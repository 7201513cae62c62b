"""The format document and its example files stay true to the importer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from councilperf.casework.models import (
    Case,
    ComplianceResult,
    Outcome,
    RecommendationKind,
    ServiceArea,
)
from councilperf.casework.parsing import COLUMNS
from councilperf.casework.services import import_files
from tests.factories import make_authority, make_dataset

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLES = sorted((DOCS / "examples").glob("*.csv"))


def test_there_is_an_example_of_each_kind():
    assert [path.name for path in EXAMPLES] == [
        "cases.csv",
        "compliance.csv",
        "recommendations.csv",
    ]


@pytest.mark.django_db
def test_the_examples_import_and_import_again_unchanged():
    make_authority(name="North East Derbyshire", gss_code="E07000038")
    dataset = make_dataset()
    today = dt.date(2020, 7, 1)

    first = import_files(paths=EXAMPLES, dataset=dataset, today=today)
    again = import_files(paths=EXAMPLES, dataset=dataset, today=today)

    assert str(first.cases) == "5 added, 0 changed, 0 unchanged"
    assert str(first.recommendations) == "3 added, 0 changed, 0 unchanged"
    assert str(first.compliance) == "1 added, 0 changed, 0 unchanged"
    assert not again.changes_anything
    assert Case.objects.get(reference="19 002 345").service_area == "planning_and_development"


def test_every_column_and_code_is_documented():
    text = " ".join((DOCS / "data-format.md").read_text().split())
    names = [column for columns in COLUMNS.values() for column in columns]
    for choices in (Outcome, ServiceArea, RecommendationKind, ComplianceResult):
        names += [f"{code}` — {label}" for code, label in choices.choices]
    missing = [name for name in names if f"`{name}" not in text]
    assert missing == []
