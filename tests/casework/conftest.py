from __future__ import annotations

import datetime as dt

import pytest

from councilperf.authorities.models import Authority
from councilperf.casework.models import Dataset
from tests.factories import make_authority, make_dataset


@pytest.fixture
def borsetshire(db: None) -> Authority:
    return make_authority(name="Borsetshire", gss_code="E07999001")


@pytest.fixture
def felpersham(db: None) -> Authority:
    """A council abolished on 31 March 2019 (its last day)."""
    return make_authority(
        name="Felpersham",
        gss_code="E07999002",
        start_date=dt.date(1974, 4, 1),
        end_date=dt.date(2019, 3, 31),
        years=("2018-19",),
    )


@pytest.fixture
def dataset(db: None) -> Dataset:
    return make_dataset()
